/**
 * Saved probe profiles in listings. A profile that fits saves round trips; a
 * profile that has gone wrong — the page size changed, anonymous access
 * withdrawn — still gives exact lists (pagination follows the registry's
 * links whatever the hints said), and the saved file is removed so the next
 * listing starts from discovery. Library (the client's `learned` hook) and
 * CLI (`probe --save`, then `ls`) both.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient, createProber, hintsFromProfile, type LearnedSurprise } from "../../src/index.js";
import { savedProfileOf } from "../../src/probe/saved-profile.js";
import { readSavedProfile, savedProfilePath, writeSavedProfile } from "../../src/probe/saved.js";
import { builtinProfiles, defaultRepositories, startEmulator, type Emulator, type EmulatorProfile } from "../../src/emulator/index.js";
import { runCli } from "../helpers/run-cli.js";

const USERS = { alice: "alice-password" };
const REPOS = defaultRepositories();
const quay = builtinProfiles["quay-2023"]!;
const ghcr = builtinProfiles["ghcr"]!;

/** quay 2023 as probed: pages of 50, anonymous reads. */
const quayThen: EmulatorProfile = { ...quay, id: "quay-then" };
/** The same registry after it changed its page size to 20 (clamped). */
const quaySmallerPages: EmulatorProfile = {
  ...quay,
  id: "quay-smaller-pages",
  tags: { ...quay.tags, paging: { ...quay.tags.paging, defaultPageSize: 20, maxPageSize: 20 } },
};
/** ... or started refusing n above 20 with 413. */
const quayRefusesN: EmulatorProfile = {
  ...quay,
  id: "quay-refuses-n",
  tags: { ...quay.tags, paging: { ...quay.tags.paging, defaultPageSize: 20, maxPageSize: 20, overMax: { status: 413, code: "TOO_MANY_TAGS_REQUESTED" } } },
};
/** ... or withdrew anonymous access. */
const quayNoAnonymous: EmulatorProfile = {
  ...quay,
  id: "quay-no-anonymous",
  auth: quay.auth.kind === "bearer" ? { ...quay.auth, anonymousReadsWithoutToken: false } : quay.auth,
};

describe("saved profiles in listings", () => {
  let emulator: Emulator;
  let cache: string;
  const url = (id: string) => emulator.get(id).url;

  before(async () => {
    emulator = await startEmulator({ profiles: [quayThen, quaySmallerPages, quayRefusesN, quayNoAnonymous, ghcr], users: USERS });
    cache = mkdtempSync(join(tmpdir(), "regtags-saved-"));
  });
  after(async () => {
    await emulator?.close();
    rmSync(cache, { recursive: true, force: true });
  });

  async function probeOf(id: string, reference: string) {
    const prober = createProber({ endpoints: { [reference.split("/")[0]!]: url(id) }, retry: { attempts: 1 } });
    try {
      return await prober.probe(reference);
    } finally {
      await prober.close();
    }
  }

  test("a fitting profile: the largest honoured page (ghcr's 10000) lists big/repo in one page, with no surprise", async () => {
    // A registry name without a client profile: without hints the client starts at n=10000 too (page-size.ts).
    const findings = await probeOf("ghcr", "ghcr.test/big/repo");
    const hints = hintsFromProfile(findings.profile);
    assert.deepEqual(hints, { pageSize: 10_000, anonymousWithoutToken: false });
    const surprises: LearnedSurprise[] = [];
    const registry = emulator.get("ghcr");
    for (const learned of [undefined, hints]) {
      const client = createClient({
        endpoints: { "ghcr.test": url("ghcr") },
        ...(learned !== undefined ? { learned: () => learned } : {}),
        onLearnedSurprise: (_, s) => surprises.push(s),
        retry: { attempts: 1 },
      });
      try {
        registry.resetCounts();
        const list = await client.listTags("ghcr.test/big/repo");
        assert.deepEqual(list.tags, [...REPOS["big/repo"]!.tags]);
        // One 401, one page of all 10,000, and the PAG-6 check that a page exactly n long
        // without a Link is the last (main, before page-size.ts, took 11 without hints).
        assert.equal(registry.counts().tags, 3);
      } finally {
        await client.close();
      }
    }
    assert.deepEqual(surprises, []);
  });

  for (const [changed, kind, reason] of [
    [quaySmallerPages, "page-size", /n=50 was clamped to 20/],
    [quayRefusesN, "page-size", /rejected n=50/],
    [quayNoAnonymous, "anonymous", /anonymous reads were expected/],
  ] as const) {
    test(`a profile gone wrong (${changed.id}): the list is still exact and the client reports the surprise`, async () => {
      const findings = await probeOf("quay-then", "quay.io/ansible/creator-ee");
      const hints = hintsFromProfile(findings.profile);
      assert.deepEqual(hints, { pageSize: 50, anonymousWithoutToken: true });
      const surprises: LearnedSurprise[] = [];
      const client = createClient({ endpoints: { "quay.io": url(changed.id) }, learned: () => hints, onLearnedSurprise: (_, s) => surprises.push(s), retry: { attempts: 1 } });
      try {
        const list = await client.listTags("quay.io/ansible/creator-ee");
        assert.deepEqual(list.tags, [...REPOS["ansible/creator-ee"]!.tags]);
        assert.equal(surprises.length, 1);
        assert.equal(surprises[0]!.kind, kind);
        assert.match(surprises[0]!.reason, reason);
      } finally {
        await client.close();
      }
    });
  }

  test("an explicit page size wins over the hint", async () => {
    const client = createClient({ endpoints: { "quay.io": url("quay-then") }, pageSize: 7, learned: () => ({ pageSize: 50 }), onLearnedSurprise: () => assert.fail("no surprise"), retry: { attempts: 1 } });
    try {
      emulator.get("quay-then").resetCounts();
      await client.listTags("quay.io/ansible/creator-ee");
      assert.equal(emulator.get("quay-then").requests[0]!.query, "n=7");
    } finally {
      await client.close();
    }
  });

  describe("CLI: probe --save, then ls", () => {
    const env = () => ({ XDG_CACHE_HOME: cache });
    const file = () => savedProfilePath("quay.io", { env: env() });

    async function saveQuayProfile(): Promise<void> {
      const saved = await runCli(["probe", "--save", "--endpoint", `quay.io=${url("quay-then")}`, "quay.io/ansible/creator-ee"], { env: env() });
      assert.equal(saved.code, 0, saved.stderr);
      assert.match(saved.stderr, /saved the profile of quay\.io to .*quay\.io\.json/);
      const lookup = await readSavedProfile("quay.io", { env: env() });
      assert.equal(lookup.status, "ok");
      if (lookup.status === "ok") assert.equal(lookup.saved.profile.tags?.paging.maxPageSize, 50);
    }

    test("a fitting saved profile sets the first n; --no-saved-profile ignores it; a stale one is not used", async () => {
      await saveQuayProfile();
      const registry = emulator.get("quay-then");
      registry.resetCounts();
      const used = await runCli(["ls", "--debug", "--endpoint", `quay.io=${url("quay-then")}`, "quay.io/ansible/creator-ee"], { env: env() });
      assert.equal(used.code, 0, used.stderr);
      assert.deepEqual(used.stdout.trimEnd().split("\n"), [...REPOS["ansible/creator-ee"]!.tags]);
      assert.match(used.stderr, /saved profile .*quay\.io\.json \(probed \d+ min ago\): n=50, anonymous reads/);
      assert.equal(registry.requests[0]!.query, "n=50", "the learned page size, not the client's default 100");
      assert.ok(existsSync(file()), "a profile that fits stays");

      registry.resetCounts();
      const ignored = await runCli(["ls", "--no-saved-profile", "--endpoint", `quay.io=${url("quay-then")}`, "quay.io/ansible/creator-ee"], { env: env() });
      assert.equal(ignored.code, 0, ignored.stderr);
      assert.equal(registry.requests[0]!.query, "n=100");

      const stale = JSON.parse(readFileSync(file(), "utf8")) as { probedAt: string };
      stale.probedAt = new Date(Date.now() - 8 * 24 * 3600 * 1000).toISOString();
      writeFileSync(file(), JSON.stringify(stale));
      registry.resetCounts();
      const old = await runCli(["ls", "--debug", "--endpoint", `quay.io=${url("quay-then")}`, "quay.io/ansible/creator-ee"], { env: env() });
      assert.equal(old.code, 0, old.stderr);
      assert.match(old.stderr, /ignoring saved profile .* older than 7 days/);
      assert.equal(registry.requests[0]!.query, "n=100");
    });

    for (const changed of [quaySmallerPages, quayNoAnonymous]) {
      test(`a saved profile gone wrong (${changed.id}): exact list, the file removed, said on stderr`, async () => {
        await saveQuayProfile();
        const result = await runCli(["ls", "--endpoint", `quay.io=${url(changed.id)}`, "quay.io/ansible/creator-ee"], { env: env() });
        assert.equal(result.code, 0, result.stderr);
        assert.deepEqual(result.stdout.trimEnd().split("\n"), [...REPOS["ansible/creator-ee"]!.tags]);
        assert.match(result.stderr, /the saved profile of quay\.io no longer fits \(.+\); removed .*quay\.io\.json/);
        assert.equal(existsSync(file()), false);
        // The next listing starts from discovery (the client's own default n).
        emulator.get(changed.id).resetCounts();
        const next = await runCli(["ls", "--endpoint", `quay.io=${url(changed.id)}`, "quay.io/ansible/creator-ee"], { env: env() });
        assert.equal(next.code, 0, next.stderr);
        assert.equal(next.stderr, "");
        assert.equal(emulator.get(changed.id).requests[0]!.query, "n=100");
      });
    }

    test("another repository that needs a token is no news about the registry: the profile stays", async () => {
      await saveQuayProfile();
      const result = await runCli(["ls", "--creds", `alice:${USERS.alice}`, "--endpoint", `quay.io=${url("quay-then")}`, "quay.io/private/repo"], { env: env() });
      assert.equal(result.code, 0, result.stderr);
      assert.ok(existsSync(file()));
    });

    test("writeSavedProfile and the file name: one file per registry, in the cache directory given", async () => {
      const findings = await probeOf("quay-then", "quay.io/ansible/creator-ee");
      const path = await writeSavedProfile({ ...findings, registry: "127.0.0.1:5000" }, { dir: join(cache, "elsewhere") });
      assert.equal(path, join(cache, "elsewhere", "127.0.0.1_5000.json"));
      assert.deepEqual(JSON.parse(readFileSync(path, "utf8")), JSON.parse(JSON.stringify(savedProfileOf({ ...findings, registry: "127.0.0.1:5000" }))));
    });
  });
});
