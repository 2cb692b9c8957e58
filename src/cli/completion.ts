/**
 * `regtags completion bash|zsh|fish`: a completion script generated from the
 * command table that `--help` prints (help-table.ts): the commands, each
 * command's options, the values an option takes (--sort, --format, files,
 * directories) and the emulator's profile ids for `emulate --profile`.
 */
import { parseArgs } from "node:util";
import { builtinProfiles } from "../emulator/index.js";
import { UsageError } from "../errors.js";
import { optionsOf } from "./help.js";
import { COMMANDS, type CommandHelp, type OptionHelp } from "./help-table.js";
import { writeOut } from "./output.js";

export const SHELLS = ["bash", "zsh", "fish"] as const;
type Shell = (typeof SHELLS)[number];

export async function runCompletion(argv: string[]): Promise<number> {
  const { positionals } = parseArgs({ args: argv, allowPositionals: true, strict: true, options: {} });
  const shell = positionals[0];
  if (positionals.length !== 1 || !SHELLS.includes(shell as Shell)) {
    throw new UsageError(`completion takes one shell: bash, zsh or fish, e.g. source <(regtags completion bash)`);
  }
  await writeOut(completionScript(shell as Shell));
  return 0;
}

/** The script for `shell`, from the command table and the built-in emulator profiles. */
export function completionScript(shell: Shell, profiles: readonly string[] = Object.keys(builtinProfiles)): string {
  const model = completionModel(profiles);
  switch (shell) {
    case "bash":
      return bashScript(model);
    case "zsh":
      return zshScript(model);
    case "fish":
      return fishScript(model);
  }
}

interface Model {
  readonly commands: ReadonlyArray<{ names: readonly string[]; command: CommandHelp; options: readonly OptionHelp[]; positionals: readonly string[] }>;
  /** Option name → what its value completes to (words, or a file/directory). */
  readonly values: ReadonlyMap<string, readonly string[] | "file" | "directory">;
  readonly topLevel: readonly string[];
}

function completionModel(profiles: readonly string[]): Model {
  const commandWords = COMMANDS.flatMap((command) => [command.name, ...(command.aliases ?? [])]);
  const values = new Map<string, readonly string[] | "file" | "directory">();
  const commands = COMMANDS.map((command) => {
    const options = optionsOf(command);
    for (const option of options) {
      if (option.complete !== undefined) values.set(option.name, option.complete === "profile" ? profiles : option.complete);
      else if (option.value !== undefined && !values.has(option.name)) values.set(option.name, []);
    }
    const positionals = command.positionals === "command" ? commandWords : command.subcommands ?? (Array.isArray(command.positionals) ? command.positionals : []);
    return { names: [command.name, ...(command.aliases ?? [])], command, options, positionals };
  });
  return { commands, values, topLevel: [...commandWords, "--help", "--version"] };
}

const words = (list: readonly string[]): string => list.join(" ");

function bashScript(model: Model): string {
  const valueCases = [...model.values]
    .map(([name, complete]) => {
      const reply = complete === "file" ? "compgen -f -- \"$cur\"" : complete === "directory" ? "compgen -d -- \"$cur\"" : `compgen -W "${words(complete)}" -- "$cur"`;
      return `    ${name}) COMPREPLY=($(${reply})); return ;;`;
    })
    .join("\n");
  const commandCases = model.commands
    .map(({ names, options, positionals }) => `    ${names.join("|")}) opts="${words(options.map((o) => o.name))}"; args="${words(positionals)}" ;;`)
    .join("\n");
  return `# bash completion for regtags: source <(regtags completion bash)
_regtags() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" opts="" args=""
  if [[ $COMP_CWORD -eq 1 ]]; then
    COMPREPLY=($(compgen -W "${words(model.topLevel)}" -- "$cur"))
    return
  fi
  case "$prev" in
${valueCases}
  esac
  case "\${COMP_WORDS[1]}" in
${commandCases}
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$opts" -- "$cur"))
  elif [[ -n "$args" && $COMP_CWORD -eq 2 ]]; then
    COMPREPLY=($(compgen -W "$args" -- "$cur"))
  fi
}
complete -F _regtags regtags
`;
}

function zshScript(model: Model): string {
  const valueCases = [...model.values]
    .map(([name, complete]) => {
      const action = complete === "file" ? "_files" : complete === "directory" ? "_files -/" : complete.length > 0 ? `compadd -- ${words(complete)}` : ":";
      return `    ${name}) ${action}; return ;;`;
    })
    .join("\n");
  const commandCases = model.commands
    .map(({ names, options, positionals }) => `    ${names.join("|")}) opts=(${words(options.map((o) => o.name))}); args=(${words(positionals)}) ;;`)
    .join("\n");
  return `#compdef regtags
# zsh completion for regtags: source <(regtags completion zsh), after compinit
_regtags() {
  local -a opts args
  if (( CURRENT == 2 )); then
    compadd -- ${words(model.topLevel)}
    return
  fi
  case "\${words[CURRENT-1]}" in
${valueCases}
  esac
  case "\${words[2]}" in
${commandCases}
  esac
  if [[ "$PREFIX" == -* ]]; then
    compadd -- $opts
  elif (( CURRENT == 3 && \${#args} > 0 )); then
    compadd -- $args
  fi
}
compdef _regtags regtags
`;
}

/** A fish single-quoted string. */
const fishQuote = (text: string): string => `'${text.replace(/[\\']/g, "\\$&")}'`;

function fishScript(model: Model): string {
  const lines = [
    "# fish completion for regtags: regtags completion fish > ~/.config/fish/completions/regtags.fish",
    "complete -c regtags -f",
    "complete -c regtags -n __fish_use_subcommand -l help -s h -d 'print the help'",
    "complete -c regtags -n __fish_use_subcommand -l version -d 'print the version'",
  ];
  for (const { names, command, options, positionals } of model.commands) {
    const summary = command.usage[0]?.[1].split("\n")[0] ?? "";
    for (const name of names) lines.push(`complete -c regtags -n __fish_use_subcommand -a ${name} -d ${fishQuote(summary)}`);
    const when = `'__fish_seen_subcommand_from ${words(names)}'`;
    for (const option of options) {
      const complete = model.values.get(option.name);
      const value = complete === undefined ? "" : complete === "file" ? " -r -F" : complete === "directory" ? " -r -a '(__fish_complete_directories)'" : ` -x${complete.length > 0 ? ` -a ${fishQuote(words(complete))}` : ""}`;
      const short = option.short !== undefined ? ` -s ${option.short.slice(1)}` : "";
      lines.push(`complete -c regtags -n ${when} -l ${option.name.slice(2)}${short}${value} -d ${fishQuote(option.text.split("\n")[0]!)}`);
    }
    if (positionals.length > 0) lines.push(`complete -c regtags -n ${when} -a ${fishQuote(words(positionals))}`);
  }
  return `${lines.join("\n")}\n`;
}
