/**
 * `regtags completion bash|zsh|fish`: the scripts are generated from the
 * command table that `--help` prints, so every command, every option of
 * every command and every emulator profile id appears; the bash script
 * passes `bash -n` and completes as bash runs it (zsh and fish are checked
 * for syntax only where they are installed: they are not here, and not in CI).
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { COMMANDS } from "../../src/cli/help-table.js";
import { optionsOf } from "../../src/cli/help.js";
import { builtinProfiles } from "../../src/emulator/index.js";
import { fails } from "../helpers/cli-asserts.js";
import { runCli } from "../helpers/run-cli.js";

const SHELLS = ["bash", "zsh", "fish"] as const;

function installed(shell: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${shell}`]).status === 0;
}

describe("regtags completion", async () => {
  const scripts = new Map<string, string>();
  for (const shell of SHELLS) {
    const result = await runCli(["completion", shell]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, "");
    scripts.set(shell, result.stdout);
  }
  const dir = mkdtempSync(join(tmpdir(), "regtags-completion-"));
  const bashFile = join(dir, "regtags.bash");
  writeFileSync(bashFile, scripts.get("bash")!);

  for (const shell of SHELLS) {
    test(`${shell}: every command, every option of every command and every emulator profile appears`, () => {
      const script = scripts.get(shell)!;
      const word = (text: string) => new RegExp(`(^|[\\s|('"(])${text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}($|[\\s|)'";])`, "m");
      for (const command of COMMANDS) {
        for (const name of [command.name, ...(command.aliases ?? [])]) assert.match(script, word(name), `${shell}: command ${name}`);
        for (const option of optionsOf(command)) {
          // fish names long options without their dashes (-l json)
          assert.match(script, shell === "fish" ? word(`-l ${option.name.slice(2)}`) : word(option.name), `${shell}: ${command.name} ${option.name}`);
        }
      }
      for (const id of Object.keys(builtinProfiles)) assert.match(script, word(id), `${shell}: profile ${id}`);
    });
  }

  test("bash -n accepts the bash script", () => {
    execFileSync("bash", ["-n", bashFile]);
  });

  test("zsh and fish: syntax checked where installed", (t) => {
    for (const [shell, args] of [["zsh", ["-n"]], ["fish", ["--no-execute"]]] as const) {
      if (!installed(shell)) {
        t.diagnostic(`${shell} is not installed: its script was checked for content only`);
        continue;
      }
      const file = join(dir, `regtags.${shell}`);
      writeFileSync(file, scripts.get(shell)!);
      execFileSync(shell, [...args, file]);
    }
  });

  /** What bash offers for the words typed so far (the last one being completed). */
  const complete = (...words: string[]): string[] => {
    const quoted = words.map((w) => `'${w}'`).join(" ");
    const out = execFileSync("bash", ["-c", `source "$1"; COMP_WORDS=(${quoted}); COMP_CWORD=${words.length - 1}; _regtags; printf '%s\\n' "\${COMPREPLY[@]}"`, "bash", bashFile], {
      encoding: "utf8",
    });
    return out.split("\n").filter((line) => line !== "");
  };

  test("bash completes commands, a command's own options, option values and profile ids", () => {
    assert.deepEqual(complete("regtags", "la"), ["latest"]);
    assert.deepEqual(complete("regtags", "ls", "--js"), ["--json"]);
    assert.deepEqual(complete("regtags", "ls", "--page-si"), ["--page-size"]);
    assert.deepEqual(complete("regtags", "probe", "--sa"), ["--save"]);
    assert.deepEqual(complete("regtags", "catalog", "--sa"), [], "catalog has no --save");
    assert.deepEqual(complete("regtags", "ls", "--sort", ""), ["none", "lexical", "version", "date"]);
    assert.deepEqual(complete("regtags", "emulate", "--profile", "quay-"), Object.keys(builtinProfiles).filter((id) => id.startsWith("quay-")));
    assert.deepEqual(complete("regtags", "completion", ""), ["bash", "zsh", "fish"]);
    assert.deepEqual(complete("regtags", "auth", "w"), ["which"]);
  });

  test("a missing or unknown shell: exit 2, one line", async () => {
    fails(await runCli(["completion"]), 2, /^regtags: completion takes one shell: bash, zsh or fish/);
    fails(await runCli(["completion", "powershell"]), 2, /^regtags: completion takes one shell: bash, zsh or fish/);
  });

  test("cleanup", () => rmSync(dir, { recursive: true, force: true }));
});
