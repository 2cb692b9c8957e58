/**
 * Help texts rendered from the command table (help-table.ts): `regtags
 * --help` composes every command's usage lines, each option group once and
 * the exit codes (from exit-codes.ts); `regtags help CMD` and `CMD --help`
 * print one command's. Nothing here is typed twice.
 */
import { EXIT_CODE_MEANINGS } from "./exit-codes.js";
import { COMMANDS, HELP_OPTION, REFERENCE_HELP, type CommandHelp, type OptionGroup, type OptionHelp } from "./help-table.js";

const OPTION_COLUMN = 25;
const USAGE_COLUMN = 34;
const WIDTH = 80;

/** The command `name` runs (by its name or an alias), or undefined. */
export function findCommand(name: string): CommandHelp | undefined {
  return COMMANDS.find((command) => command.name === name || command.aliases?.includes(name) === true);
}

/** Every name typed after `regtags` that means something: commands, aliases and `version`. */
export function commandNames(): string[] {
  return [...COMMANDS.flatMap((command) => [command.name, ...(command.aliases ?? [])]), "version"];
}

/** Every option `command` accepts, `--help` included. */
export function optionsOf(command: CommandHelp): OptionHelp[] {
  const seen = new Map<string, OptionHelp>();
  for (const group of command.groups) for (const option of group.options) if (!seen.has(option.name)) seen.set(option.name, option);
  seen.set(HELP_OPTION.name, HELP_OPTION);
  return [...seen.values()];
}

function indentBody(text: string, column: number): string {
  return text.split("\n").join(`\n${" ".repeat(column)}`);
}

/** `label` then `text` from `column` on, continuation lines aligned; past a long label the text starts on the next line. */
function row(label: string, text: string, column: number): string {
  const head = label.length < column ? label.padEnd(column) : `${label}\n${" ".repeat(column)}`;
  return `${head}${indentBody(text, column)}`.trimEnd();
}

function optionLine(option: OptionHelp): string {
  const value = option.value ?? "";
  const label = `  ${option.short !== undefined ? `${option.short}, ` : ""}${option.name}${value}`;
  return row(label, option.text, OPTION_COLUMN);
}

function renderGroup(title: string, options: readonly OptionHelp[]): string {
  return `${title}:\n${options.map(optionLine).join("\n")}\n`;
}

function usageLines(command: CommandHelp): string {
  return command.usage.map(([usage, summary]) => row(`  regtags ${usage}`, summary, USAGE_COLUMN)).join("\n");
}

/** Words wrapped at WIDTH, each line after the first indented by `indent`. */
function wrap(text: string, indent: number, width = WIDTH): string {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line !== "" && indent + line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  lines.push(line);
  return lines.join(`\n${" ".repeat(indent)}`);
}

/** The "Exit codes:" section, generated from EXIT_CODE_MEANINGS. */
export function exitCodeHelp(): string {
  const rows = Object.entries(EXIT_CODE_MEANINGS).map(([code, meaning]) => `  ${code.padEnd(5)}${wrap(meaning, 7)}`);
  return `Exit codes:\n${rows.join("\n")}\n`;
}

/**
 * `regtags --help`: every command's usage, every option once (in the first
 * group that has it; a shared group names the commands that take it), and the
 * exit codes.
 */
export function renderMainHelp(): string {
  const usage = COMMANDS.map(usageLines).join("\n");
  const groups: Array<{ group: OptionGroup; commands: string[] }> = [];
  for (const command of COMMANDS) {
    for (const group of command.groups) {
      const known = groups.find((entry) => entry.group === group);
      if (known !== undefined) known.commands.push(command.name);
      else groups.push({ group, commands: [command.name] });
    }
  }
  const shown = new Set<OptionHelp>();
  const sections: string[] = [];
  for (const { group, commands } of groups) {
    const options = group.options.filter((option) => !shown.has(option));
    for (const option of options) shown.add(option);
    if (options.length > 0) sections.push(renderGroup(commands.length > 1 ? `${group.title} (${commands.join(", ")})` : group.title, options));
  }
  const options = sections.join("\n");
  return `regtags — list the tags of a container image repository on any registry

Usage:
${usage}
  regtags CMD --help              CMD's usage and options (also -h)
  regtags --version | --help

${REFERENCE_HELP}

${options}
${exitCodeHelp()}`;
}

/** `regtags help CMD`, `regtags CMD --help`. */
export function renderCommandHelp(command: CommandHelp): string {
  const description = command.description !== undefined ? `\n${command.description}\n` : "";
  const groups = command.groups.map((group) => `\n${renderGroup(group.title, group.options)}`).join("");
  return `Usage:\n${usageLines(command)}\n${description}${groups}\n${optionLine(HELP_OPTION)}\n\nExit codes and every command: regtags --help\n`;
}
