/**
 * On a terminal, the progress line (stderr) and the tags (stdout) never
 * share a line: the CLI runs on a pseudo-terminal (util-linux `script`, so
 * both streams are the same TTY, as in an interactive shell) and what the
 * terminal would show is replayed from the bytes it received: the screen must
 * hold the tags, one per line, and nothing else once the listing is done.
 * `script` is part of util-linux, on every Debian system; without it this
 * test fails (spawn ENOENT) rather than passing unseen.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { defaultRepositories, startEmulator, type Emulator } from "../../src/emulator/index.js";
import { CLI_PATH } from "../helpers/run-cli.js";

let emulator: Emulator;
before(async () => {
  emulator = await startEmulator({ profiles: ["distribution-3"] });
});
after(() => emulator.close());

/** Runs `argv` on a pseudo-terminal; resolves with every byte the terminal received. Bounded: killed after 30 s. */
function runOnTerminal(argv: readonly string[]): Promise<{ code: number | null; output: string }> {
  const quoted = argv.map((arg) => `'${arg.replace(/'/g, "'\\''")}'`).join(" ");
  return new Promise((resolve, reject) => {
    const child = spawn("script", ["-q", "-e", "-c", quoted, "/dev/null"], {
      env: { PATH: process.env["PATH"] ?? "", HOME: "/nonexistent-regtags-test", XDG_CONFIG_HOME: "/nonexistent-regtags-test", TERM: "xterm" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`regtags on a terminal did not finish within 30 s; output so far: ${output.slice(-300)}`));
    }, 30_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** The lines a terminal shows after these bytes: \r returns to the line's start, ESC[K erases to its end, other text overwrites. */
function screen(bytes: string): string[] {
  const lines: string[] = [""];
  let column = 0;
  for (let i = 0; i < bytes.length; i++) {
    const ch = bytes[i]!;
    if (ch === "\r") column = 0;
    else if (ch === "\n") {
      lines.push("");
      column = 0;
    } else if (ch === "\x1b" && bytes.startsWith("\x1b[K", i)) {
      lines[lines.length - 1] = lines[lines.length - 1]!.slice(0, column);
      i += 2;
    } else {
      const line = lines[lines.length - 1]!;
      lines[lines.length - 1] = line.slice(0, column) + ch + line.slice(column + 1);
      column++;
    }
  }
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

test("the progress line is cleared before tags are printed: the screen shows the tags alone", async () => {
  const url = emulator.get("distribution-3").url;
  // 10,000 tags in pages of 500: twenty pages, so progress is drawn between them.
  const { code, output } = await runOnTerminal([process.execPath, CLI_PATH, "ls", "--page-size", "500", "--endpoint", `reg.test=${url}`, "reg.test/big/repo"]);
  assert.equal(code, 0, output.slice(-500));
  assert.match(output, /regtags: \d+ tags, \d+ pages…/, "the progress line was drawn (else this test proves nothing)");
  const shown = screen(output);
  assert.equal(shown.length, 10_000, `the screen holds exactly the tags; e.g. ${JSON.stringify(shown.find((line) => line.includes("regtags")))}`);
  assert.deepEqual([...shown].sort(), [...defaultRepositories()["big/repo"]!.tags].sort());
});
