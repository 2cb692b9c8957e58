/**
 * `regtags probe` against every built-in emulator profile: the profile is the
 * ground truth, so what the probe reports must equal the profile's own data,
 * field by field, wherever one short probe can observe it. Each registry gets
 * at most PROBE_REQUEST_BUDGET requests (counted by the emulator).
 *
 * What one probe cannot observe, and so is not compared (also listed in each
 * finding's `unobserved`):
 * - `auth.missingRepository`, `auth.privateRepository`, `errors.nameUnknownCode`,
 *   `tags.body.emptyRepository`: they need a missing, private or empty repository;
 * - `auth.token.lifetimeSeconds` (the enforced lifetime): only `expires_in` is announced;
 * - `auth.acceptsBasic`, `tags.paging.unknownLast`, `tags.paging.fullFinalPage`,
 *   `cursor.keepsPageSize`, `cursor.invalid`, `link.escape`, `vendorApi`: extra requests
 *   or a full listing would be needed;
 * - `auth.repositoryScopeInChallenge` where anonymous reads work (no 401 to read it from);
 * - push order and a filesystem shuffle both look `unsorted`;
 * - a Basic registry whose ping answers 200 and that reads anonymously (Artifactory)
 *   never challenges: it looks like `none`;
 * - `maxPageSize` at or above the large n (ghcr's 10000), and `link.n` "effective"
 *   versus "as-requested" while no request was clamped (distribution-3.1.0, quay-2024-06);
 * - `zeroN: "default"` where the default page is everything looks like `all`, and with
 *   `ignoreParams` every n (0 included) returns everything.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createProber, type ProbeFindings } from "../../src/index.js";
import { PROBE_REQUEST_BUDGET } from "../../src/probe/plan.js";
import type { ProbedAuth, ProbedLink, ProbedPaging, ProbedTags, ProbedCursor, ProbedToken, ProbedCatalog } from "../../src/probe/findings.js";
import {
  builtinProfiles,
  defaultRepositories,
  startEmulator,
  type AuthProfile,
  type CatalogProfile,
  type CursorProfile,
  type Emulator,
  type EmulatedRegistry,
  type EmulatorProfile,
  type LinkProfile,
  type PagingProfile,
  type TagsProfile,
  type TokenResponseProfile,
} from "../../src/emulator/index.js";

// The two shapes share their vocabulary: every value the probe reports (its own
// "unknown", "unsorted", "not-seen" and error answers aside) is one the emulator's
// profile type allows. A rename on either side fails to compile.
type Assert<T extends true> = T;
type Extends<A, B> = [A] extends [B] ? true : false;
export type VocabularyChecks = [
  Assert<Extends<Exclude<ProbedAuth["kind"], "unknown">, AuthProfile["kind"]>>,
  Assert<Extends<ProbedToken["fields"], TokenResponseProfile["fields"]>>,
  Assert<Extends<ProbedPaging["defaultPageSize"], PagingProfile["defaultPageSize"]>>,
  Assert<Extends<Exclude<ProbedPaging["zeroN"], object>, PagingProfile["zeroN"]>>,
  Assert<Extends<Exclude<ProbedPaging["overMax"], object | "not-seen">, Exclude<PagingProfile["overMax"], object>>>,
  Assert<Extends<ProbedCursor["kind"], CursorProfile["kind"]>>,
  Assert<Extends<ProbedLink["form"], LinkProfile["form"]>>,
  Assert<Extends<NonNullable<ProbedLink["order"]>, LinkProfile["order"]>>,
  Assert<Extends<NonNullable<ProbedLink["n"]>, LinkProfile["n"]>>,
  Assert<Extends<Exclude<ProbedTags["order"], "unsorted" | "unknown">, TagsProfile["order"]>>,
  Assert<Extends<ProbedCatalog["kind"], CatalogProfile["kind"]>>,
];

const USERS = { alice: "alice-password" };
const REPOSITORY = "big/repo";
const LARGE_N = 10_000;
const REPOSITORY_SIZE = defaultRepositories()[REPOSITORY]!.tags.length;

/** Registry name of a profile in these tests (mapped to the emulator with `endpoints`). */
const nameOf = (id: string) => `${id}.test`;

function expand(template: string, registry: EmulatedRegistry): string {
  return template.replaceAll("{origin}", registry.url).replaceAll("{host}", registry.host).replaceAll("{authOrigin}", registry.authUrl ?? registry.url);
}

function answerOf(answer: { status: number; code?: string }): { status: number; code?: string } {
  return answer.code === undefined ? { status: answer.status } : { status: answer.status, code: answer.code };
}

/** What the probe can see of a profile, in the probe's shape. */
function expectedView(profile: EmulatorProfile, registry: EmulatedRegistry): Record<string, unknown> {
  const { auth, ping, tags } = profile;
  const paging = tags.paging;
  const view: Record<string, unknown> = {};

  // Auth.
  if (auth.kind === "none") view["auth"] = { kind: "none" };
  else if (auth.kind === "basic") {
    view["auth"] =
      ping.anonymousStatus === 200 && auth.anonymousPublicReads
        ? { kind: "none" }
        : {
            kind: "basic",
            scheme: auth.challenge.scheme,
            quoted: auth.challenge.quoted,
            realm: expand(auth.realm, registry),
            params: Object.fromEntries(Object.entries(auth.params ?? {}).map(([k, v]) => [k, expand(v, registry)])),
            anonymousPublicReads: auth.anonymousPublicReads,
          };
  } else {
    view["auth"] = {
      kind: "bearer",
      scheme: auth.challenge.scheme,
      quoted: auth.challenge.quoted,
      realm: { server: auth.realm.server, path: auth.realm.path },
      service: auth.service === undefined ? undefined : expand(auth.service, registry),
      pingScope: auth.pingScope,
      repositoryScopeInChallenge: auth.anonymousReadsWithoutToken ? undefined : auth.repositoryScopeInChallenge,
      anonymousChallengeError: auth.anonymousReadsWithoutToken ? undefined : auth.anonymousChallengeError,
      otherSchemes: auth.extraChallenge === undefined ? undefined : [auth.extraChallenge.split(" ")[0]!.toLowerCase()],
      token: { fields: auth.token.fields, expiresIn: auth.token.expiresIn, issuedAt: auth.token.issuedAt, appliedLifetimeSeconds: auth.token.expiresIn ?? 60 },
      anonymousReadsWithoutToken: auth.anonymousReadsWithoutToken,
    };
  }

  // Ping.
  const hasAuth = auth.kind !== "none";
  view["ping"] = {
    anonymousStatus: hasAuth ? ping.anonymousStatus : 200,
    challengeOn200: hasAuth && ping.anonymousStatus === 200 && ping.challengeOn200 === true ? true : undefined,
    unauthorizedBody: hasAuth && ping.anonymousStatus === 401 && ping.unauthorizedBody !== undefined ? { ...ping.unauthorizedBody } : undefined,
  };

  // Paging.
  const limitSeen = !paging.ignoreParams && paging.maxPageSize !== undefined && paging.maxPageSize < LARGE_N && paging.maxPageSize < REPOSITORY_SIZE;
  const clamps = limitSeen && paging.overMax === "clamp";
  const zeroN = paging.ignoreParams ? "all" : paging.zeroN === "default" && paging.defaultPageSize === "all" ? "all" : paging.zeroN;
  view["paging"] = {
    ignoreParams: paging.ignoreParams,
    defaultPageSize: paging.ignoreParams ? "all" : paging.defaultPageSize,
    maxPageSize: limitSeen ? paging.maxPageSize : undefined,
    overMax: !limitSeen ? "not-seen" : paging.overMax === "clamp" ? "clamp" : answerOf(paging.overMax),
    zeroN,
    cursor: paging.ignoreParams ? undefined : paging.cursor.kind === "last-entry" ? { kind: "last-entry" } : { kind: "opaque", param: paging.cursor.param, style: paging.cursor.style },
  };

  // Link.
  const link = tags.link;
  if (link.form === "none" || paging.ignoreParams) view["link"] = { form: "none" };
  else {
    const n = link.n === "effective" && !clamps ? "as-requested" : link.n;
    view["link"] = {
      form: link.form,
      order: link.n === "omit" ? undefined : link.order,
      n,
      extraParams: link.extraParams?.map(([k, v]) => [k, v]),
    };
  }
  view["order"] = tags.order === "lexical" ? "lexical" : "unsorted";
  view["body"] = {
    contentType: tags.body.contentType,
    nullEntries: tags.body.nullEntryPerPage === true ? true : undefined,
    digestEntries: tags.body.digestEntriesEvery !== undefined ? true : undefined,
    extraFields: tags.body.gcrExtras === true ? ["child", "manifest"] : undefined,
  };
  view["catalog"] =
    profile.catalog.kind === "paginated"
      ? { kind: "paginated" }
      : { kind: "refused", answer: profile.catalog.answer === "insufficient-scope" ? "insufficient-scope" : answerOf(profile.catalog.answer) };
  const headers: Record<string, string> = {};
  for (const key of ["docker-distribution-api-version", "x-jfrog-version"]) {
    const value = profile.headers?.[key];
    if (value !== undefined) headers[key] = value;
  }
  view["headers"] = Object.keys(headers).length > 0 ? headers : undefined;
  return dropUndefined(view);
}

/** The same view of what the probe found. */
function foundView(findings: ProbeFindings): Record<string, unknown> {
  const { auth, ping, tags, catalog, headers } = findings.profile;
  const view: Record<string, unknown> = {};
  if (auth.kind === "basic") {
    view["auth"] = { kind: "basic", scheme: auth.challenge.scheme, quoted: auth.challenge.quoted, realm: auth.realm, params: { ...auth.params }, anonymousPublicReads: auth.anonymousPublicReads };
  } else if (auth.kind === "bearer") {
    view["auth"] = {
      kind: "bearer",
      scheme: auth.challenge.scheme,
      quoted: auth.challenge.quoted,
      realm: { server: auth.realm.server, path: auth.realm.path },
      service: auth.service,
      pingScope: auth.pingScope,
      repositoryScopeInChallenge: auth.repositoryScopeInChallenge,
      anonymousChallengeError: auth.anonymousChallengeError,
      otherSchemes: auth.otherSchemes,
      token: auth.token === undefined ? undefined : { ...auth.token },
      anonymousReadsWithoutToken: auth.anonymousReadsWithoutToken,
    };
  } else view["auth"] = { kind: auth.kind };
  view["ping"] = { ...ping };
  if (tags !== undefined) {
    const { largestHonoured: _largest, ...paging } = tags.paging;
    view["paging"] = paging;
    view["link"] = { ...tags.link, extraParams: tags.link.extraParams?.map(([k, v]) => [k, v]) };
    view["order"] = tags.order;
    view["body"] = { ...tags.body };
  }
  view["catalog"] = catalog;
  view["headers"] = headers;
  return dropUndefined(view);
}

function dropUndefined<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

describe("probe against every emulator profile: the findings equal the profile's own data", () => {
  let emulator: Emulator;
  const ids = Object.keys(builtinProfiles);
  const endpoints: Record<string, string> = {};

  before(async () => {
    emulator = await startEmulator({ profiles: ids, users: USERS });
    for (const id of ids) endpoints[nameOf(id)] = emulator.get(id).url;
  });
  after(async () => emulator?.close());

  for (const id of ids) {
    test(`${id}: observable fields equal the profile, within ${PROBE_REQUEST_BUDGET} requests`, async () => {
      const registry = emulator.get(id);
      const profile = builtinProfiles[id]!;
      // ECR reads nothing without credentials; every other profile is probed anonymously.
      const credentials = id === "ecr" ? { username: "alice", password: USERS.alice } : undefined;
      const prober = createProber({ endpoints, retry: { attempts: 1 }, ...(credentials !== undefined ? { credentials } : {}) });
      try {
        registry.resetCounts();
        const findings = await prober.probe(`${nameOf(id)}/${REPOSITORY}`);
        assert.deepEqual(foundView(findings), expectedView(profile, registry));
        const counts = registry.counts();
        assert.ok(counts.total <= PROBE_REQUEST_BUDGET, `${counts.total} requests, budget ${PROBE_REQUEST_BUDGET}`);
        assert.equal(findings.requests.length, counts.total, "every request the registry saw is in the report");
        assert.ok(findings.requests.every((r) => r.status !== undefined && r.ms >= 0), "status and time per request");
        // Never a page-by-page listing: at most the default page, n=1 and its next page, n=0, the large n and the search.
        assert.ok(counts.tags <= 9, `${counts.tags} tags requests`);
      } finally {
        await prober.close();
      }
    });
  }

  test("the default page size shows on a repository smaller than it (no link: 'all')", async () => {
    const prober = createProber({ endpoints, retry: { attempts: 1 } });
    try {
      const small = await prober.probe(`${nameOf("quay-2024")}/empty/repo`);
      assert.equal(small.profile.tags?.paging.defaultPageSize, "all");
      assert.equal(small.profile.tags?.order, "unknown");
      assert.ok(small.unobserved.some((u) => u.field === "tags.order"));
    } finally {
      await prober.close();
    }
  });
});
