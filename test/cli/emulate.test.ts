/**
 * `regtags emulate`: the banner's example command works for every built-in
 * profile (each is run as printed, and lists the repository, exit 0);
 * `--port` puts the profiles on consecutive ports; `--user` passwords are
 * never echoed. The emulator runs as a child process, stopped by SIGTERM,
 * and killed if it outlives its bound.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { builtinProfiles } from "../../src/emulator/index.js";
import { fails } from "../helpers/cli-asserts.js";
import { CLI_PATH, NOWHERE, runCli } from "../helpers/run-cli.js";

interface Banner {
  readonly lines: string[];
  readonly stderr: string;
  /** Sends SIGTERM; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Starts `regtags emulate ARGS` and waits for its banner ("serving until Ctrl-C"). Killed after `boundMs` whatever happens. */
function startEmulate(args: readonly string[], boundMs = 90_000): Promise<Banner> {
  const child = spawn(process.execPath, [CLI_PATH, "emulate", ...args], { env: { PATH: process.env["PATH"] ?? "", HOME: NOWHERE }, stdio: ["ignore", "pipe", "pipe"] });
  const killer = setTimeout(() => child.kill("SIGKILL"), boundMs);
  const closed = new Promise<number | null>((resolve) =>
    child.on("close", (code) => {
      clearTimeout(killer);
      resolve(code);
    }),
  );
  let stdout = "";
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
      if (stdout.includes("serving until Ctrl-C\n")) {
        resolve({
          lines: stdout.split("\n").filter((line) => line !== "" && line !== "serving until Ctrl-C"),
          stderr,
          stop: () => {
            child.kill("SIGTERM");
            return closed;
          },
        });
      }
    });
    void closed.then((code) => reject(new Error(`regtags emulate exited (${code}) before its banner; stderr: ${stderr}`)));
  });
}

/** `ID URL e.g. regtags ARGS…` → the parts. */
function parseBannerLine(line: string): { id: string; url: string; args: string[] } {
  const match = /^(\S+)\s+(http:\/\/\S+)\s+e\.g\. regtags (.+)$/.exec(line);
  assert.ok(match !== null, `banner line: ${line}`);
  return { id: match[1]!, url: match[2]!, args: match[3]!.split(" ") };
}

describe("regtags emulate", () => {
  test("every profile's example command from the banner lists the repository, exit 0", async () => {
    const emulator = await startEmulate([]);
    try {
      const examples = emulator.lines.map(parseBannerLine);
      assert.deepEqual(examples.map((e) => e.id), Object.keys(builtinProfiles), "one line per built-in profile");
      for (let i = 0; i < examples.length; i += 4) {
        const batch = examples.slice(i, i + 4);
        const results = await Promise.all(batch.map((example) => runCli(example.args)));
        results.forEach((result, j) => {
          const { id, args } = batch[j]!;
          assert.equal(result.code, 0, `${id}: regtags ${args.join(" ")}: exit ${result.code}, ${result.stderr}`);
          assert.ok(result.stdout.split("\n").length > 100, `${id}: tags listed`);
        });
      }
    } finally {
      assert.equal(await emulator.stop(), 0, "SIGTERM stops it cleanly");
    }
  });

  test("--port: the first profile there, the next on the next port; a --user password is never echoed", async () => {
    // Two consecutive ports below the kernel's ephemeral range (32768 and up), where no port-0
    // listener of another test lands; a few tries, in case another process holds one.
    let emulator: Banner | undefined;
    let port = 0;
    for (let attempt = 0; emulator === undefined; attempt++) {
      port = 20_000 + Math.floor(Math.random() * 10_000);
      try {
        emulator = await startEmulate(["--profile", "ghcr", "--profile", "ecr", "--port", String(port), "--user", "alice:s3cret-pw"]);
      } catch (error) {
        if (attempt === 4 || !/EADDRINUSE/.test(String(error))) throw error;
      }
    }
    try {
      const [ghcr, ecr] = emulator.lines.map(parseBannerLine);
      assert.equal(ghcr!.url, `http://127.0.0.1:${port}`);
      assert.equal(ecr!.url, `http://127.0.0.1:${port + 1}`);
      assert.ok(ecr!.args.includes("--creds") && ecr!.args.includes("alice"), "ECR reads nothing anonymously: the example names the user");
      assert.ok(!emulator.lines.join("\n").includes("s3cret-pw"));
      // The given user is accepted (the password from stdin, as a script would give it).
      const listed = await runCli(["ls", "--endpoint", `ecr.test=${ecr!.url}`, "--creds", "alice", "--password-stdin", "ecr.test/linuxserver/hedgedoc"], { input: "s3cret-pw\n" });
      assert.equal(listed.code, 0, listed.stderr);
    } finally {
      await emulator.stop();
    }
  });

  test("bad --port, --latency or --profile: exit 2, one line", async () => {
    const [port, latency, profile, room] = await Promise.all([
      runCli(["emulate", "--port", "70000"]),
      runCli(["emulate", "--latency", "soon"]),
      runCli(["emulate", "--profile", "nosuch"]),
      runCli(["emulate", "--port", "65535"]),
    ]);
    fails(port!, 2, /^regtags: --port takes at most 65535, got 70000\n$/);
    fails(latency!, 2, /^regtags: --latency takes a whole number of milliseconds\n$/);
    fails(profile!, 2, /^regtags: unknown profile "nosuch"; regtags emulate --list shows them\n$/);
    fails(room!, 2, /^regtags: --port 65535 leaves no room for \d+ profiles/);
  });
});
