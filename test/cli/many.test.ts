/**
 * Catalog and many repositories at once: `regtags catalog` on the real
 * distribution registry (paginated, with credentials) and on registries that
 * refuse it; `regtags ls REF REF…`, `--from-file`, `--all`: exact per
 * repository, NDJSON as each finishes, errors reported without stopping the
 * rest, one token per scope rather than per page.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator, type Emulator, type RepositorySpec } from "../../src/emulator/index.js";
import { startRealRegistry, type RealRegistry } from "../helpers/real-registry.js";
import { runCli } from "../helpers/run-cli.js";

const REPOSITORY_COUNT = 150;

describe("real distribution registry: catalog and --all", () => {
  let registry: RealRegistry;
  let creds = "";
  const expected = new Map<string, string[]>();

  before(async () => {
    registry = await startRealRegistry({ auth: "token" });
    creds = Object.entries(registry.users).map(([u, p]) => `${u}:${p}`)[0]!;
    await registry.pushImage("seed/app", "1.0");
    await registry.addTags("seed/app", ["1.1", "2.0"]);
    // More repositories by copying the seed's storage (links to the same blobs).
    const root = join(registry.storageDir, "docker", "registry", "v2", "repositories");
    expected.set("seed/app", ["1.0", "1.1", "2.0"]);
    for (let i = 1; i < REPOSITORY_COUNT; i++) {
      const name = `team${String(i).padStart(3, "0")}/app`;
      cpSync(join(root, "seed", "app"), join(root, ...name.split("/")), { recursive: true });
      expected.set(name, ["1.0", "1.1", "2.0"]);
    }
  });
  after(async () => registry?.stop());

  test("catalog lists every repository, page by page (n=40)", async () => {
    const run = await runCli(["catalog", "--debug", "--page-size", "40", "--creds", creds, registry.host]);
    assert.equal(run.code, 0, run.stderr.slice(-2000));
    assert.deepEqual(run.stdout.trimEnd().split("\n").sort(), [...expected.keys()].sort());
    const pages = run.stderr.split("\n").filter((l) => /← 200 GET .*\/v2\/_catalog/.test(l)).length;
    assert.equal(pages, Math.ceil(REPOSITORY_COUNT / 40));
    assert.equal(run.stderr.split("\n").filter((l) => /→ GET .*\/token\?/.test(l)).length, 1, "one token for the catalog scope");
  });

  test("catalog without credentials: one line saying the registry does not offer it to you, exit 3", async () => {
    const run = await runCli(["catalog", registry.host]);
    assert.equal(run.code, 3);
    assert.match(run.stderr, /^regtags: 127\.0\.0\.1:\d+ does not offer a catalog to you \(\/v2\/_catalog answered 401\)/);
    assert.equal(run.stderr.trim().split("\n").length, 1);
  });

  test("ls --all lists every repository exactly, NDJSON, one token per scope", async () => {
    const run = await runCli(["ls", "--debug", "--all", registry.host, "--creds", creds]);
    assert.equal(run.code, 0, run.stderr.slice(-2000));
    const objects = run.stdout.trimEnd().split("\n").map((line) => JSON.parse(line) as { Repository: string; Tags: string[] });
    assert.equal(objects.length, REPOSITORY_COUNT);
    for (const object of objects) {
      const name = object.Repository.slice(registry.host.length + 1);
      assert.deepEqual([...object.Tags].sort(), expected.get(name), name);
    }
    const tokenRequests = run.stderr.split("\n").filter((l) => /→ GET .*\/token\?/.test(l)).length;
    assert.equal(tokenRequests, 1 + REPOSITORY_COUNT, "one token for the catalog, one per repository scope");
    assert.match(run.stderr, new RegExp(`regtags: ${REPOSITORY_COUNT} of ${REPOSITORY_COUNT} repositories listed\\n`));
  });
});

describe("emulator: refusing catalogs, several references, --from-file", () => {
  let emulator: Emulator;
  const repositories: Record<string, RepositorySpec> = {};
  for (let i = 0; i < 50; i++) repositories[`bulk/r${i}`] = { tags: Array.from({ length: 20 + i }, (_, t) => `1.${i}.${t}`) };
  repositories["private/repo"] = { tags: ["secret"], private: true };
  const profiles = ["dockerhub", "ghcr", "quay-2023", "distribution-3"] as const;
  const names: Record<(typeof profiles)[number], string> = { dockerhub: "docker.io", ghcr: "ghcr.io", "quay-2023": "quay.io", "distribution-3": "registry.test" };
  let endpointFlags: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), "regtags-many-"));

  before(async () => {
    emulator = await startEmulator({ profiles: [...profiles], repositories, users: { alice: "pw" } });
    endpointFlags = profiles.flatMap((p) => ["--endpoint", `${names[p]}=${emulator.get(p).url}`]);
  });
  after(async () => {
    await emulator?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("Docker Hub and ghcr refuse the catalog: one line each, no loop", async () => {
    const hub = emulator.get("dockerhub");
    hub.resetCounts();
    const refused = await runCli(["catalog", ...endpointFlags, "docker.io"]);
    assert.equal(refused.code, 3);
    assert.match(refused.stderr, /^regtags: docker\.io does not offer a catalog to you/);
    assert.ok(hub.counts().total <= 4, `${hub.counts().total} requests`);
    const ghcr = await runCli(["catalog", ...endpointFlags, "ghcr.io"]);
    assert.ok(ghcr.code === 3 || ghcr.code === 4, ghcr.stderr);
    assert.match(ghcr.stderr, /^regtags: ghcr\.io does not offer a catalog to you/);
  });

  test("200 repositories across four registries: exact each, one token per repository scope, not per page", async () => {
    const references = profiles.flatMap((p) => Object.keys(repositories).filter((r) => r.startsWith("bulk/")).map((r) => `${names[p]}/${r}`));
    assert.equal(references.length, 200);
    const file = join(dir, "refs.txt");
    writeFileSync(file, `# four registries\n\n${references.join("\n")}\n`);
    for (const p of profiles) emulator.get(p).resetCounts();
    const run = await runCli(["ls", "--from-file", file, "--concurrency", "16", ...endpointFlags], { timeoutMs: 120_000 });
    assert.equal(run.code, 0, run.stderr.slice(-2000));
    const objects = run.stdout.trimEnd().split("\n").map((line) => JSON.parse(line) as { Repository: string; Tags: string[] });
    assert.equal(objects.length, 200);
    for (const object of objects) {
      const repository = object.Repository.slice(object.Repository.indexOf("/") + 1);
      assert.deepEqual([...object.Tags].sort(), [...repositories[repository]!.tags].sort(), object.Repository);
    }
    for (const p of ["dockerhub", "ghcr", "distribution-3"] as const) assert.equal(emulator.get(p).counts().token, 50, `${p}: one token per repository`);
    assert.equal(emulator.get("quay-2023").counts().token, 0, "quay reads anonymously");
  });

  test("a failing repository is reported in its own object and the rest go on; exit is the failure's", async () => {
    const run = await runCli(["ls", ...endpointFlags, "registry.test/bulk/r1", "registry.test/nobody/here", "quay.io/bulk/r2"]);
    assert.equal(run.code, 4, run.stderr);
    const objects = run.stdout.trimEnd().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.equal(objects.length, 3);
    const failed = objects.find((o) => o["Repository"] === "registry.test/nobody/here")!;
    assert.equal(failed["Code"], "ERR_NOT_FOUND");
    assert.match(String(failed["Error"]), /repository not found/);
    assert.match(run.stderr, /regtags: 2 of 3 repositories listed, 1 failed\n$/);
  });

  test("--from-file - reads stdin; filters apply per repository", async () => {
    const run = await runCli(["latest", "--from-file", "-", ...endpointFlags], { input: "registry.test/bulk/r3\nquay.io/bulk/r4\n" });
    assert.equal(run.code, 0, run.stderr);
    const objects = run.stdout.trimEnd().split("\n").map((line) => JSON.parse(line) as { Repository: string; Tags: string[] });
    assert.deepEqual(new Map(objects.map((o) => [o.Repository, o.Tags])), new Map([["registry.test/bulk/r3", ["1.3.22"]], ["quay.io/bulk/r4", ["1.4.23"]]]));
  });

  test("a missing --from-file is a usage error naming it", async () => {
    const run = await runCli(["ls", "--from-file", join(dir, "nope.txt")]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^regtags: cannot read --from-file .*nope\.txt: ENOENT/);
  });
});
