/**
 * The CLI takes what skopeo and podman users type: `docker://REF`,
 * `--tls-verify false` with a space; and it refuses, as a usage error (exit 2,
 * one line saying what form is expected), what cannot work: skopeo's local
 * transports, endpoints that are not http(s) URLs (from a flag or the config
 * file), and config-file keys it does not know. Against the emulator on
 * 127.0.0.1.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultRepositories, startEmulator, type Emulator } from "../../src/emulator/index.js";
import { fails, ok } from "../helpers/cli-asserts.js";
import { runCli } from "../helpers/run-cli.js";

/** The repository's tags, sorted: distribution-2.8 answers in its own order. */
const TAGS = [...defaultRepositories()["linuxserver/hedgedoc"]!.tags].sort();
let emulator: Emulator;
let url: string;
const dir = mkdtempSync(join(tmpdir(), "regtags-skopeo-compat-"));

before(async () => {
  emulator = await startEmulator({ profiles: ["distribution-2.8"] });
  url = emulator.get("distribution-2.8").url;
});
after(async () => {
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});

const lines = (stdout: string): string[] => stdout.replace(/\n$/, "").split("\n").sort();

describe("skopeo's reference syntax", () => {
  test("docker://REF lists REF (skopeo list-tags docker://REF)", async () => {
    const [prefixed, json] = await Promise.all([
      runCli(["ls", "--endpoint", `reg.test=${url}`, "docker://reg.test/linuxserver/hedgedoc"]),
      runCli(["ls", "--json", "--endpoint", `reg.test=${url}`, "docker://reg.test/linuxserver/hedgedoc:1.9.3-ls56"]),
    ]);
    assert.deepEqual(lines(ok(prefixed)), TAGS);
    const parsed = JSON.parse(ok(json)) as { Repository: string; Tags: string[] };
    assert.deepEqual({ ...parsed, Tags: [...parsed.Tags].sort() }, { Repository: "reg.test/linuxserver/hedgedoc", Tags: TAGS });
  });

  test("latest and auth which take docker:// too", async () => {
    const [latest, which] = await Promise.all([
      runCli(["latest", "--endpoint", `reg.test=${url}`, "docker://reg.test/linuxserver/hedgedoc"]),
      runCli(["auth", "which", "--no-creds", "docker://reg.test/linuxserver/hedgedoc"]),
    ]);
    assert.match(ok(latest), /^\d+\.\d+\.\d+\n$/);
    assert.equal(which.code, 0, which.stderr);
  });

  test("skopeo's local transports: exit 2, one line saying regtags lists registries only", async () => {
    const refs = ["oci:/tmp/layout", "docker-archive:image.tar", "containers-storage:ubuntu", "docker-daemon:ubuntu:latest"];
    const results = await Promise.all(refs.map((ref) => runCli(["ls", ref])));
    results.forEach((result, i) =>
      fails(result, 2, new RegExp(`^regtags: invalid reference "${refs[i]}": regtags lists the tags of registry repositories only; the ${refs[i]!.split(":")[0]}: transport names local storage \\(use REF or docker://REF\\)\\n$`)),
    );
  });
});

describe("--tls-verify as skopeo and podman spell it", () => {
  test("--tls-verify false (a space) is the flag's value, not a repository named false", async () => {
    // docker.io goes to the emulator too: were "false" read as a reference, it would be listed (a 404, exit 4).
    const endpoints = ["--endpoint", `reg.test=${url}`, "--endpoint", `docker.io=${url}`];
    const results = await Promise.all([
      runCli(["ls", "--tls-verify", "false", ...endpoints, "reg.test/linuxserver/hedgedoc"]),
      runCli(["ls", ...endpoints, "--tls-verify", "true", "reg.test/linuxserver/hedgedoc"]),
      runCli(["ls", "--tls-verify=false", ...endpoints, "reg.test/linuxserver/hedgedoc"]),
      runCli(["ls", ...endpoints, "--tls-verify", "reg.test/linuxserver/hedgedoc"]),
    ]);
    for (const result of results) assert.deepEqual(lines(ok(result)), TAGS);
  });

  test("--tls-verify=maybe: exit 2, one line", async () => {
    fails(await runCli(["ls", "--tls-verify=maybe", "ubuntu"]), 2, /^regtags: --tls-verify takes true or false, got "maybe"\n$/);
  });
});

describe("endpoints: http(s)://HOST[:PORT] or a usage error", () => {
  const expected = "expected HOST=http\\(s\\)://HOST\\[:PORT\\]\\[/PATH\\], e\\.g\\. docker\\.io=http://127\\.0\\.0\\.1:5000\\n$";
  const cases: ReadonlyArray<readonly [string, string]> = [
    ["docker.io=ftp://x", `^regtags: --endpoint for "docker.io": its scheme is ftp:, not http: or https:; ${expected}`],
    ["docker.io=mirror:5000", `^regtags: --endpoint for "docker.io": it has no scheme; ${expected}`],
    ["docker.io=127.0.0.1:5000", `^regtags: --endpoint for "docker.io": it has no scheme; ${expected}`],
    ["docker.io=http://", `^regtags: --endpoint for "docker.io": it is not a URL; ${expected}`],
    ["docker.io=http://alice:hunter2@mirror:5000", `^regtags: --endpoint for "docker.io": it carries a user name or password \\(give credentials separately\\); ${expected}`],
    ["nonsense", `^regtags: --endpoint wants HOST=http\\(s\\)://HOST\\[:PORT\\]\\[/PATH\\], e\\.g\\. docker\\.io=http://127\\.0\\.0\\.1:5000; got "nonsense"\\n$`],
  ];
  test("a flag's endpoint that is not an http(s) URL: exit 2, one line, never the password", async () => {
    const results = await Promise.all(cases.map(([entry]) => runCli(["ls", "--endpoint", entry, "ubuntu"])));
    results.forEach((result, i) => {
      fails(result, 2, new RegExp(cases[i]![1]));
      assert.ok(!result.stderr.includes("hunter2"));
    });
  });

  test("the config file's endpoints are checked the same way", async () => {
    const file = join(dir, "endpoints.json");
    writeFileSync(file, JSON.stringify({ endpoints: { "docker.io": "mirror.corp:5000" } }));
    fails(await runCli(["ls", "--config", file, "ubuntu"]), 2, new RegExp(`^regtags: config file ${file}: endpoints\\["docker.io"\\]: it has no scheme; expected "HOST": "http\\(s\\)://HOST\\[:PORT\\]\\[/PATH\\]"\\n$`));
  });
});

describe("config file keys", () => {
  test("an unknown key (a typo of tlsVerify) is an error naming it and the known keys", async () => {
    const file = join(dir, "typo.json");
    writeFileSync(file, JSON.stringify({ endpoints: { "reg.test": url }, tlsverify: false }));
    fails(
      await runCli(["ls", "--config", file, "reg.test/linuxserver/hedgedoc"]),
      2,
      new RegExp(`^regtags: config file ${file}: unknown key "tlsverify" \\(did you mean "tlsVerify"\\?\\); the keys are endpoints, plainHttp, tlsVerify, proxy, noProxy, certDir\\n$`),
    );
  });

  test("a file with known keys only is used", async () => {
    const file = join(dir, "good.json");
    writeFileSync(file, JSON.stringify({ endpoints: { "reg.test": url }, tlsVerify: true, plainHttp: false }));
    assert.deepEqual(lines(ok(await runCli(["ls", "--config", file, "reg.test/linuxserver/hedgedoc"]))), TAGS);
  });
});
