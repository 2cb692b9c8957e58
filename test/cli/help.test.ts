/**
 * Help and "did you mean", as users meet them: every command answers
 * `--help`, `-h` and `regtags help CMD` with its usage and options on stdout
 * (exit 0); the text comes from one table (src/cli/help-table.ts), which must
 * list exactly the options each command's parser accepts; the exit-code
 * table is generated from the map in src/cli/exit-codes.ts; mistyped
 * commands and options get one line naming the closest known one (exit 2).
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { AUTH_WHICH_FLAGS } from "../../src/cli/auth.js";
import { CATALOG_FLAGS } from "../../src/cli/catalog.js";
import { EMULATE_FLAGS } from "../../src/cli/emulate.js";
import { EXIT_CODE_MEANINGS, EXIT_CODES } from "../../src/cli/exit-codes.js";
import { closestWord, editDistance } from "../../src/cli/help-suggest.js";
import { COMMANDS } from "../../src/cli/help-table.js";
import { findCommand, optionsOf, renderCommandHelp } from "../../src/cli/help.js";
import { LS_FLAGS } from "../../src/cli/ls.js";
import { PROBE_FLAGS } from "../../src/cli/probe.js";
import { WATCH_FLAGS } from "../../src/cli/watch.js";
import { PROBE_REQUEST_BUDGET } from "../../src/probe/plan.js";
import { DEFAULTS } from "../../src/defaults.js";
import { fails } from "../helpers/cli-asserts.js";
import { runCli, type CliResult } from "../helpers/run-cli.js";

/** Runs batches of at most 6 CLIs at a time (the machine is shared). */
async function runAll(list: ReadonlyArray<readonly string[]>): Promise<CliResult[]> {
  const results: CliResult[] = [];
  for (let i = 0; i < list.length; i += 6) results.push(...(await Promise.all(list.slice(i, i + 6).map((args) => runCli(args)))));
  return results;
}

const PARSER_OPTIONS: Readonly<Record<string, object>> = {
  ls: LS_FLAGS,
  latest: LS_FLAGS,
  catalog: CATALOG_FLAGS,
  probe: PROBE_FLAGS,
  auth: AUTH_WHICH_FLAGS,
  watch: WATCH_FLAGS,
  emulate: EMULATE_FLAGS,
  demo: {},
  completion: {},
  help: {},
};

describe("the command table", () => {
  for (const command of COMMANDS) {
    test(`${command.name}: help lists exactly the options its parser accepts`, () => {
      const parser = PARSER_OPTIONS[command.name];
      assert.ok(parser !== undefined, `no parser table for ${command.name}`);
      const documented = optionsOf(command).map((option) => option.name).filter((name) => name !== "--help").sort();
      assert.deepEqual(documented, Object.keys(parser).map((name) => `--${name}`).sort());
    });
  }

  test("probe's help states the probe's real request budget", () => {
    assert.match(renderCommandHelp(findCommand("probe")!), new RegExp(`at most ${PROBE_REQUEST_BUDGET} per registry`));
  });
});

describe("--help, -h and regtags help CMD", () => {
  const asked = COMMANDS.flatMap((command) => {
    const sub = command.subcommands?.[0];
    const args = sub !== undefined ? [command.name, sub] : [command.name];
    const ways = [
      [...args, "--help"],
      [...args, "-h"],
      ["help", ...args],
      // after other options and a reference, as users add it at the end
      ...(command.groups.length > 0 ? [[...args, "--json", "ubuntu", "--help"]] : []),
    ];
    return ways.map((way) => ({ command, args: way }));
  });

  test("every command prints its own usage and options on stdout, exit 0, the same three ways", async () => {
    const results = await runAll(asked.map(({ args }) => args));
    asked.forEach(({ command, args }, i) => {
      const result = results[i]!;
      assert.equal(result.code, 0, `${args.join(" ")}: exit ${result.code}, stderr ${result.stderr}`);
      assert.equal(result.stderr, "", args.join(" "));
      assert.equal(result.stdout, renderCommandHelp(command), args.join(" "));
      assert.match(result.stdout, new RegExp(`^Usage:\\n  regtags ${command.name}`));
      for (const option of optionsOf(command)) assert.ok(result.stdout.includes(`${option.name}`), `${args.join(" ")} lacks ${option.name}`);
    });
  });

  test("ls --help was 'Unknown option' (exit 2); now it documents ls, latest --help keeps the family rules", async () => {
    const [ls, latest, listTags] = await runAll([["ls", "--help"], ["latest", "--help"], ["list-tags", "-h"]]);
    assert.equal(ls!.code, 0);
    for (const flag of ["--page-size", "--tls-verify", "--format", "--from-file", "--digests"]) assert.ok(ls!.stdout.includes(flag), flag);
    assert.ok(latest!.stdout.includes("TAG's family") && latest!.stdout.includes("usage error (exit 2)"));
    assert.equal(listTags!.stdout, ls!.stdout, "skopeo's name for ls has ls's help");
  });

  test("regtags --help lists every command and every option of every command", async () => {
    const [help, bare, helpCommand] = await runAll([["--help"], [], ["help"]]);
    assert.equal(help!.code, 0);
    assert.equal(bare!.code, 2, "no command at all is a usage error");
    assert.equal(bare!.stdout, help!.stdout);
    assert.equal(helpCommand!.code, 0);
    assert.equal(helpCommand!.stdout, help!.stdout);
    for (const command of COMMANDS) {
      assert.ok(help!.stdout.includes(`regtags ${command.name}`), command.name);
      for (const option of optionsOf(command)) assert.ok(help!.stdout.includes(option.name), `${command.name} ${option.name}`);
    }
  });

  test("the help's exit-code table is the map in src/cli/exit-codes.ts", async () => {
    const { stdout } = await runCli(["--help"]);
    const section = stdout.slice(stdout.indexOf("\nExit codes:\n") + "\nExit codes:\n".length);
    const rows = new Map<number, string>();
    let last: number | undefined;
    for (const line of section.split("\n")) {
      const row = /^ {2}(\d+) +(.*)$/.exec(line);
      if (row !== null) rows.set((last = Number(row[1])), row[2]!);
      else if (last !== undefined && /^ {7}\S/.test(line)) rows.set(last, `${rows.get(last)} ${line.trim()}`);
    }
    assert.deepEqual([...rows.keys()], Object.keys(EXIT_CODE_MEANINGS).map(Number));
    for (const [code, meaning] of Object.entries(EXIT_CODE_MEANINGS)) assert.equal(rows.get(Number(code)), meaning);
    for (const [error, code] of Object.entries(EXIT_CODES)) assert.ok(rows.has(code), `${error} exits ${code}, which the help does not explain`);
  });

  test("auth without a subcommand prints its help and exits 2", async () => {
    const result = await runCli(["auth"]);
    assert.equal(result.code, 2);
    assert.equal(result.stdout, renderCommandHelp(findCommand("auth")!));
  });
});

describe("did you mean", () => {
  const cases: ReadonlyArray<readonly [readonly string[], RegExp]> = [
    [["lss", "ubuntu"], /^regtags: unknown command "lss"; did you mean "ls"\? \(regtags --help lists the commands\)\n$/],
    [["catalgo", "r.example"], /^regtags: unknown command "catalgo"; did you mean "catalog"\?/],
    [["lastest", "node"], /^regtags: unknown command "lastest"; did you mean "latest"\?/],
    [["frobnicate"], /^regtags: unknown command "frobnicate" \(regtags --help lists the commands\)\n$/],
    [["help", "nosuch"], /^regtags: help: unknown command "nosuch" \(regtags --help lists the commands\)\n$/],
    [["help", "lss"], /^regtags: help: unknown command "lss"; did you mean "ls"\?/],
    [["ls", "--jsn", "ubuntu"], /^regtags: ls: unknown option "--jsn"; did you mean "--json"\? \(regtags ls --help lists its options\)\n$/],
    [["ls", "--page-sise", "5", "ubuntu"], /^regtags: ls: unknown option "--page-sise"; did you mean "--page-size"\?/],
    [["latest", "--include-prerelase", "node"], /^regtags: latest: unknown option "--include-prerelase"; did you mean "--include-prerelease"\?/],
    [["watch", "--stat", "f", "alpine"], /^regtags: watch: unknown option "--stat"; did you mean "--state"\?/],
    [["emulate", "--profiel", "ghcr"], /^regtags: emulate: unknown option "--profiel"; did you mean "--profile"\?/],
    [["auth", "whihc", "ubuntu"], /^regtags: unknown auth command "whihc"; did you mean "which"\?/],
    [["ls", "--no-such-option", "ubuntu"], /^regtags: ls: unknown option "--no-such-option" \(regtags ls --help lists its options\)\n$/],
    [["ls", "--creds"], /^regtags: ls: Option '--creds <value>' argument missing; see regtags ls --help\n$/],
    [["demo", "extra"], /^regtags: demo: Unexpected argument 'extra'; see regtags demo --help\n$/],
    [["help", "ls", "extra"], /^regtags: help takes one command, e\.g\. regtags help ls\n$/],
  ];
  test("a mistyped command or option: exit 2, one line naming the closest known one", async () => {
    const results = await runAll(cases.map(([args]) => args));
    cases.forEach(([, line], i) => fails(results[i]!, 2, line));
  });

  test("the user's text is escaped in the message: no raw control character reaches the terminal", async () => {
    const [command, option] = await runAll([["l\x1b[2Js"], ["ls", "--j\u202eson", "ubuntu"]]);
    fails(command!, 2, /^regtags: unknown command "l\\x1b\[2Js" \(/);
    fails(option!, 2, /^regtags: ls: unknown option "--j\\u202eson"/);
  });

  test("editDistance counts a swap of neighbours as one edit", () => {
    assert.equal(editDistance("catalgo", "catalog"), 1);
    assert.equal(editDistance("jsn", "json"), 1);
    assert.equal(editDistance("ls", "ls"), 0);
    assert.equal(editDistance("abc", "xyz"), 3);
  });

  test("closestWord: within 1 edit for short words, 2 for longer, else a unique prefix", () => {
    assert.equal(closestWord("lss", ["ls", "latest"]), "ls");
    assert.equal(closestWord("x", ["ls", "latest"]), undefined);
    assert.equal(closestWord("--dige", ["--digests", "--details"]), "--digests");
    assert.equal(closestWord("--de", ["--digests", "--details", "--debug"]), undefined, "an ambiguous prefix suggests nothing");
    assert.equal(closestWord("tlsverify", ["plainHttp", "tlsVerify"]), "tlsVerify");
  });
});

test("the defaults help states are the ones the client applies (src/defaults.ts)", () => {
  const ls = renderCommandHelp(findCommand("ls")!);
  for (const stated of [
    `after N pages (default ${DEFAULTS.maxPages})`,
    `in one listing (default ${DEFAULTS.maxTags})`,
    `(default ${DEFAULTS.maxListBytes / 2 ** 30}GiB)`,
    `resets, timeouts (default ${DEFAULTS.retry.attempts})`,
    `when to retry (default ${DEFAULTS.retry.maxDelayMs / 1000})`,
    `TLS included (default ${DEFAULTS.connectTimeoutMs / 1000})`,
    `before giving up (default ${DEFAULTS.idleTimeoutMs / 1000})`,
    `body included (default ${DEFAULTS.requestTimeoutMs / 1000})`,
    `digest lookups in flight (default ${DEFAULTS.digestConcurrency})`,
  ]) {
    assert.ok(ls.replace(/\s+/g, " ").includes(stated), `ls --help states ${stated}`);
  }
});
