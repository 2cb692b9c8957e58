#!/usr/bin/env node
/**
 * The regtags command. Kept light at start-up: `--version` and `--help`
 * load only the help table; commands import their modules when they run.
 * `--help`/`-h` after any command, and `regtags help CMD`, are answered here
 * from the table (help-table.ts), before the command parses its options.
 */
import { readFileSync } from "node:fs";
import { isRegtagsError, UsageError } from "../errors.js";
import { escapeServerText, MESSAGE_LIMIT, quoteServerText } from "../text/safe-text.js";
import { createCommandRun, EXIT_CODES, EXIT_INTERNAL, finalExitCode, type CommandRun } from "./exit-codes.js";
import { closestWord } from "./help-suggest.js";
import { commandNames, findCommand, optionsOf, renderCommandHelp, renderMainHelp } from "./help.js";
import type { CommandHelp } from "./help-table.js";
import { formatErrorForCli } from "./option-flags.js";

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

async function main(argv: string[], run: CommandRun): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "--help" || command === "-h") {
    process.stdout.write(renderMainHelp());
    return command === undefined ? EXIT_CODES.ERR_USAGE : 0;
  }
  if (command === "--version" || command === "-v" || command === "version") {
    process.stdout.write(`regtags ${version()}\n`);
    return 0;
  }
  const debug = rest.includes("--debug");
  const spec = findCommand(command);
  try {
    if (spec === undefined) throw unknownCommand(command);
    if (spec.name === "help") return showHelp(rest);
    if (asksForHelp(rest)) {
      process.stdout.write(renderCommandHelp(spec));
      return 0;
    }
    if (spec.subcommands !== undefined) {
      if (rest[0] === undefined) {
        process.stdout.write(renderCommandHelp(spec));
        return EXIT_CODES.ERR_USAGE;
      }
      if (!spec.subcommands.includes(rest[0])) throw unknownWord(`${spec.name} command`, rest[0], spec.subcommands, `regtags ${spec.name} --help lists them`);
    }
    switch (spec.name) {
      case "ls":
        return await (await import("./ls.js")).runLs(rest, "ls", run);
      case "latest":
        return await (await import("./ls.js")).runLs(rest, "latest", run);
      case "catalog":
        return await (await import("./catalog.js")).runCatalog(rest, run);
      case "probe":
        return await (await import("./probe.js")).runProbe(rest);
      case "auth":
        return await (await import("./auth.js")).runAuth(rest);
      case "watch":
        return await (await import("./watch.js")).runWatch(rest);
      case "demo":
        return await (await import("./demo.js")).runDemo(rest);
      case "emulate":
        return await (await import("./emulate.js")).runEmulate(rest);
      case "completion":
        return await (await import("./completion.js")).runCompletion(rest);
      default:
        throw new Error(`command ${spec.name} is in the help table but not dispatched`);
    }
  } catch (error) {
    return reportError(usageErrorOf(error, spec), debug);
  }
}

/** `--help` or `-h` anywhere before a `--`. */
function asksForHelp(args: readonly string[]): boolean {
  const end = args.indexOf("--");
  return (end === -1 ? args : args.slice(0, end)).some((arg) => arg === "--help" || arg === "-h");
}

/** `regtags help [CMD [SUB]]`. */
function showHelp(args: readonly string[]): number {
  const [name, sub, ...extra] = args;
  if (name === undefined) {
    process.stdout.write(renderMainHelp());
    return 0;
  }
  const spec = findCommand(name === "--help" || name === "-h" ? "help" : name);
  if (spec === undefined) throw unknownCommand(name, "help: ");
  if (extra.length > 0 || (sub !== undefined && spec.subcommands?.includes(sub) !== true)) throw new UsageError(`help takes one command, e.g. regtags help ls`);
  process.stdout.write(renderCommandHelp(spec));
  return 0;
}

/** `unknown WHAT "typed"; did you mean "x"? (WHERE)`, the user's text escaped. */
function unknownWord(what: string, typed: string, known: readonly string[], where: string, prefix = ""): UsageError {
  const suggestion = closestWord(typed, known);
  const hint = suggestion !== undefined ? `; did you mean ${quoteServerText(suggestion)}?` : "";
  return new UsageError(`${prefix}unknown ${what} ${quoteServerText(typed, 100)}${hint} (${where})`);
}

function unknownCommand(typed: string, prefix = ""): UsageError {
  return unknownWord("command", typed, commandNames(), "regtags --help lists the commands", prefix);
}

/**
 * node:util parseArgs rejects an unknown option or a missing value with its own
 * TypeError: a usage error (exit 2), not a bug (exit 1). An unknown option gets
 * the closest known one; other errors keep parseArgs' first sentence, which
 * says which option.
 */
function usageErrorOf(error: unknown, spec: CommandHelp | undefined): unknown {
  const code = (error as { code?: unknown })?.code;
  if (typeof code !== "string" || !code.startsWith("ERR_PARSE_ARGS_") || spec === undefined) return error;
  const message = (error as Error).message;
  const unknown = /^Unknown option '([^']*)'/.exec(message);
  const help = `regtags ${spec.name} --help`;
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && unknown !== null) {
    return unknownWord("option", unknown[1]!, optionsOf(spec).map((option) => option.name), `${help} lists its options`, `${spec.name}: `);
  }
  return new UsageError(`${spec.name}: ${escapeServerText(message.split(". ")[0]!, 200)}; see ${help}`);
}

/** One line on stderr, never a stack trace unless --debug; returns the exit code. */
export function reportError(error: unknown, debug: boolean): number {
  const known = isRegtagsError(error) && error.code in EXIT_CODES;
  // The message may quote a server: escaped, so it stays one inert line (issue 10).
  const message = escapeServerText(formatErrorForCli(error), MESSAGE_LIMIT);
  if (known) {
    process.stderr.write(`regtags: ${message}\n`);
  } else {
    process.stderr.write(`regtags: internal error: ${message} (run with --debug for details)\n`);
  }
  if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack.split("\n").map((line) => escapeServerText(line, MESSAGE_LIMIT)).join("\n")}\n`);
  return known ? EXIT_CODES[error.code] : EXIT_INTERNAL;
}

/**
 * Fail closed (issue 10): the event loop drained while the command's promise
 * was still pending, so nothing will ever finish it (a request or a wait that
 * no event settles). Whatever was printed is not a whole answer: exit 1, never 0.
 */
let finished = false;
process.once("beforeExit", () => {
  if (finished) return;
  process.stderr.write("regtags: internal error: the command ended with work pending (a request or a wait that nothing will complete), so its output is incomplete; please report it with --debug output\n");
  process.exitCode = EXIT_INTERNAL;
});

const run = createCommandRun();
main(process.argv.slice(2), run).then(
  (code) => {
    finished = true;
    process.exitCode = finalExitCode(code, run);
  },
  (error: unknown) => {
    finished = true;
    process.exitCode = reportError(error, false);
  },
);
