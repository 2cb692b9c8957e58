/**
 * The lookup with an injected file system, environment and helper runner:
 * every precedence rule, the skip-vs-fail decisions and the report. No test
 * here touches the real file system or runs a process.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Credential } from "../auth/credential.js";
import { CredentialsError } from "../errors.js";
import type { HelperOutcome } from "./helper-protocol.js";
import { formatCredentialReport, type CredentialReport } from "./report.js";
import { createCredentialResolver, explainCredentials, type CredentialResolverOptions } from "./resolve.js";

const HOME = "/home/u";
const RUNTIME = "/run/user/1000/containers/auth.json";
const CONTAINERS = "/home/u/.config/containers/auth.json";
const DOCKER = "/home/u/.docker/config.json";
const LEGACY = "/home/u/.dockercfg";
const REG = "registry.example:5000";

/** Every secret any test writes; none may ever appear in a report or message. */
const SECRETS = new Set<string>();
function secret(name: string): string {
  const value = `S3CR3T-${name}-${SECRETS.size}`;
  SECRETS.add(value);
  SECRETS.add(Buffer.from(value).toString("base64"));
  return value;
}
const auth = (user: string, password: string): { auth: string } => {
  const encoded = Buffer.from(`${user}:${password}`).toString("base64");
  SECRETS.add(encoded);
  return { auth: encoded };
};

interface World {
  files?: Record<string, string | NodeJS.ErrnoException>;
  env?: Record<string, string>;
  helpers?: Record<string, (serverUrl: string) => HelperOutcome>;
}

function setup(world: World, extra: Partial<CredentialResolverOptions> = {}) {
  const reads: string[] = [];
  const helperCalls: string[] = [];
  const reports: CredentialReport[] = [];
  const options: CredentialResolverOptions = {
    env: { XDG_RUNTIME_DIR: "/run/user/1000", ...world.env },
    homeDir: HOME,
    uid: 1000,
    platform: "linux",
    readFile: async (path) => {
      reads.push(path);
      const content = world.files?.[path];
      if (content instanceof Error) throw new CredentialsError(`cannot read credentials file ${path}: ${content.code}`);
      return content;
    },
    runHelper: async (name, serverUrl) => {
      helperCalls.push(`${name} ${serverUrl}`);
      const helper = world.helpers?.[name];
      return helper === undefined ? { status: "missing" } : helper(serverUrl);
    },
    onReport: (report) => reports.push(report),
    ...extra,
  };
  return { options, reads, helperCalls, reports, resolve: createCredentialResolver(options) };
}

const json = (value: unknown): string => JSON.stringify(value);
const basic = (username: string, password: string, source: string): Credential => ({ kind: "basic", username, password, source });

/** Asserts no secret in anything printable the lookup produced. */
function assertNoSecrets(...texts: string[]): void {
  for (const text of texts) for (const value of SECRETS) assert.ok(!text.includes(value), `secret ${value} leaked into: ${text}`);
}
function checkReport(report: CredentialReport): string {
  const text = formatCredentialReport(report);
  assertNoSecrets(text, JSON.stringify(report));
  return text;
}

describe("precedence: explicit flags", () => {
  const pw = secret("file");
  const world: World = { files: { [DOCKER]: json({ auths: { [REG]: auth("fileuser", pw) } }) }, env: { DOCKER_AUTH_CONFIG: json({ auths: { [REG]: auth("envuser", pw) } }) } };

  test("a library caller's explicit credential is named as the explicit option, never as a CLI flag (issue 12)", async () => {
    const password = secret("lib");
    const { resolve, reports } = setup(world, { explicit: { kind: "basic", username: "libuser", password } });
    assert.equal((await resolve(REG, "x"))?.source, "the explicit option");
    const text = checkReport(reports[0]!);
    assert.ok(!/--[a-z]/.test(text), text);
    assert.match(text, /from the explicit option\n {2}used {12}the explicit option: the explicit option, password of user "libuser"/);
  });

  test("--creds wins, and nothing is read", async () => {
    const password = secret("flag");
    const { resolve, reads, reports } = setup(world, { explicit: { kind: "basic", username: "flaguser", password, source: "--creds" } });
    assert.deepEqual(await resolve(REG, "team/app"), basic("flaguser", password, "--creds"));
    assert.deepEqual(reads, []);
    const text = checkReport(reports[0]!);
    assert.match(text, /^registry\.example:5000\/team\/app: password of user "flaguser" from --creds\n {2}used {12}the explicit option: --creds, password of user "flaguser"\n {2}not consulted {3}credentials files, helpers and environment tokens: --creds wins over them$/);
  });
  test("--registry-token wins", async () => {
    const token = secret("regtoken");
    const { resolve } = setup(world, { explicit: { kind: "registry-token", token, source: "--registry-token" } });
    assert.deepEqual(await resolve(REG, "x"), { kind: "registry-token", token, source: "--registry-token" });
  });
  test("--no-creds: anonymous, nothing else consulted", async () => {
    const { resolve, reads, reports } = setup(world, { explicit: { kind: "none", source: "--no-creds" } });
    assert.equal(await resolve(REG, "x"), undefined);
    assert.deepEqual(reads, []);
    assert.match(checkReport(reports[0]!), /: anonymous, as asked: no other source consulted\n {2}used {12}the explicit option: --no-creds: anonymous, no other source consulted$/);
  });
  test("explicit credentials stay with their registry", async () => {
    const { resolve } = setup(world, { explicit: { kind: "basic", username: "flaguser", password: secret("flag2") }, explicitRegistry: "other.example" });
    const credential = await resolve(REG, "x");
    assert.equal(credential?.source, `DOCKER_AUTH_CONFIG auths["${REG}"]`);
  });
});

describe("precedence: --authfile and REGISTRY_AUTH_FILE (CRED-7)", () => {
  const pw = secret("af");
  const files = {
    "/flag.json": json({ auths: { [`${REG}/team`]: auth("flagfile", pw) } }),
    "/env.json": json({ auths: { [REG]: auth("envfile", pw) } }),
    [DOCKER]: json({ auths: { [REG]: auth("docker", pw), "ghcr.io": auth("dockerghcr", pw) } }),
  };
  test("--authfile: that file only", async () => {
    const { resolve, reads, reports } = setup({ files, env: { REGISTRY_AUTH_FILE: "/env.json" } }, { authFile: "/flag.json" });
    assert.equal((await resolve(REG, "team/app"))?.source, `/flag.json auths["${REG}/team"]`);
    assert.equal(await resolve(REG, "other/app"), undefined, "no fallback to the other files");
    assert.deepEqual(reads, ["/flag.json"], "read once");
    assert.match(checkReport(reports[1]!), /not consulted {3}default credentials files and environment tokens: the authFile option replaces them/);
  });
  test("REGISTRY_AUTH_FILE: that file only, no environment tokens either", async () => {
    const { resolve } = setup({ files, env: { REGISTRY_AUTH_FILE: "/env.json", GITHUB_TOKEN: secret("gh") } });
    assert.equal((await resolve(REG, "a/b"))?.source, `/env.json auths["${REG}"]`);
    assert.equal(await resolve("ghcr.io", "o/i"), undefined);
  });
  test("a named file that does not exist is an error", async () => {
    const { resolve, reports } = setup({ files }, { authFile: "/missing.json" });
    await assert.rejects(resolve(REG, "a"), (error: unknown) => error instanceof CredentialsError && error.message === "credentials file /missing.json (from the authFile option) does not exist");
    assert.equal(reports[0]?.error, "credentials file /missing.json (from the authFile option) does not exist");
  });
});

describe("precedence: the default order (CRED-4, CRED-6)", () => {
  const order = ["DOCKER_AUTH_CONFIG", RUNTIME, CONTAINERS, DOCKER, LEGACY] as const;
  const pw = secret("order");
  const worldWith = (present: readonly string[]): World => {
    const files: Record<string, string> = {};
    const env: Record<string, string> = {};
    for (const where of present) {
      if (where === "DOCKER_AUTH_CONFIG") env["DOCKER_AUTH_CONFIG"] = json({ auths: { [REG]: auth("from-env", pw) } });
      else if (where === LEGACY) files[where] = json({ [`https://${REG}/v1/`]: auth("from-legacy", pw) });
      else files[where] = json({ auths: { [REG]: auth(`from-${where}`, pw) } });
    }
    return { files, env };
  };
  for (let i = 0; i < order.length; i++) {
    const winner = order[i]!;
    test(`${winner} wins over ${order.slice(i + 1).join(", ") || "nothing"}`, async () => {
      const { resolve, reads, reports } = setup(worldWith(order.slice(i)));
      const credential = await resolve(REG, "team/app");
      assert.equal(credential?.kind, "basic");
      assert.ok(credential?.source.startsWith(winner === "DOCKER_AUTH_CONFIG" ? "DOCKER_AUTH_CONFIG auths" : `${winner} auths`), credential?.source);
      // Files after the winner are never read.
      for (const later of order.slice(i + 1)) assert.ok(!reads.includes(later), `${later} was read`);
      const text = checkReport(reports[0]!);
      const lines = text.split("\n");
      assert.equal(lines.filter((line) => line.startsWith("  used")).length, 1);
    });
  }
  test("a file without a match falls through to the next", async () => {
    const { resolve, reports } = setup({
      files: { [RUNTIME]: json({ auths: { "quay.io": auth("q", pw) } }), [DOCKER]: json({ auths: { [REG]: auth("d", pw) } }) },
    });
    assert.equal((await resolve(REG, "x"))?.source, `${DOCKER} auths["${REG}"]`);
    const text = checkReport(reports[0]!);
    assert.match(text, new RegExp(`no match {8}${RUNTIME} \\(\\$XDG_RUNTIME_DIR/containers/auth\\.json\\): no entry for ${REG}/x \\(auths has quay\\.io\\)`));
    assert.match(text, /not present {5}\/home\/u\/\.config\/containers\/auth\.json/);
    assert.match(text, /not consulted {3}\/home\/u\/\.dockercfg \(~\/\.dockercfg, legacy\): an earlier source supplied the credentials/);
  });
  test("DOCKER_CONFIG moves config.json", async () => {
    const { resolve } = setup({ files: { "/dc/config.json": json({ auths: { [REG]: auth("dc", pw) } }) }, env: { DOCKER_CONFIG: "/dc" } });
    assert.equal((await resolve(REG, "x"))?.source, `/dc/config.json auths["${REG}"]`);
  });
  test("environment tokens come last: a file wins over GITHUB_TOKEN", async () => {
    const token = secret("ghtoken");
    const withFile = setup({ files: { [DOCKER]: json({ auths: { "ghcr.io": auth("me", pw) } }) }, env: { GITHUB_TOKEN: token } });
    assert.equal((await withFile.resolve("ghcr.io", "o/i"))?.source, `${DOCKER} auths["ghcr.io"]`);
    assert.match(checkReport(withFile.reports[0]!), /not consulted {3}GH_TOKEN \/ GITHUB_TOKEN \(ghcr\.io\): GITHUB_TOKEN is set, but an earlier source supplied the credentials/);
    const alone = setup({ env: { GITHUB_TOKEN: token, GITHUB_ACTOR: "octo" } });
    assert.deepEqual(await alone.resolve("ghcr.io", "o/i"), basic("octo", token, "GITHUB_TOKEN"));
    assert.equal(await alone.resolve(REG, "o/i"), undefined, "never for another registry");
  });
});

describe("inside one file: credHelpers, auths keys, credsStore", () => {
  const pw = secret("inside");
  const helperSecret = secret("helper");
  const found = (username: string): HelperOutcome => ({ status: "found", username, secret: helperSecret });

  test("credHelpers[host] wins over auths and credsStore", async () => {
    const { resolve, helperCalls } = setup({
      files: { [DOCKER]: json({ credHelpers: { [REG]: "special" }, auths: { [REG]: auth("a", pw) }, credsStore: "store" }) },
      helpers: { special: () => found("helperuser"), store: () => found("storeuser") },
    });
    assert.deepEqual(await resolve(REG, "x"), basic("helperuser", helperSecret, `docker-credential-special (credHelpers["${REG}"] in ${DOCKER})`));
    assert.deepEqual(helperCalls, [`special ${REG}`]);
  });
  test("a helper with nothing lets auths answer", async () => {
    const { resolve, reports } = setup({
      files: { [DOCKER]: json({ credHelpers: { [REG]: "special" }, auths: { [REG]: auth("a", pw) } }) },
      helpers: { special: () => ({ status: "not-found" }) },
    });
    assert.equal((await resolve(REG, "x"))?.source, `${DOCKER} auths["${REG}"]`);
    checkReport(reports[0]!);
  });
  test("auths before credsStore; a {} placeholder falls through to credsStore", async () => {
    const withAuth = setup({ files: { [DOCKER]: json({ auths: { [REG]: auth("a", pw) }, credsStore: "store" }) }, helpers: { store: () => found("s") } });
    assert.equal((await withAuth.resolve(REG, "x"))?.source, `${DOCKER} auths["${REG}"]`);
    assert.deepEqual(withAuth.helperCalls, []);
    const placeholder = setup({ files: { [DOCKER]: json({ auths: { [REG]: {} }, credsStore: "store" }) }, helpers: { store: () => found("s") } });
    assert.deepEqual(await placeholder.resolve(REG, "x"), basic("s", helperSecret, `docker-credential-store (credsStore in ${DOCKER})`));
    assert.match(checkReport(placeholder.reports[0]!), /used {12}\/home\/u\/\.docker\/config\.json \(~\/\.docker\/config\.json\): docker-credential-store \(credsStore\), password of user "s"/);
  });
  test("credsStore with nothing: the next file answers", async () => {
    const { resolve, reports } = setup({
      files: { [DOCKER]: json({ auths: { [REG]: {} }, credsStore: "store" }), [LEGACY]: json({ [REG]: auth("old", pw) }) },
      helpers: { store: () => ({ status: "not-found" }) },
    });
    assert.equal((await resolve(REG, "x"))?.source, `${LEGACY} auths["${REG}"]`);
    assert.match(
      checkReport(reports[0]!),
      new RegExp(`no match .*config\\.json\\): auths\\["${REG.replace(/\./g, "\\.")}"\\] holds no credentials \\(they are in the credsStore\\); docker-credential-store \\(credsStore\\) has none for ${REG.replace(/\./g, "\\.")}; no entry`),
    );
  });
  test("namespaced keys most specific first (CRED-8)", async () => {
    const files = {
      [CONTAINERS]: json({ auths: { "quay.io": auth("host", pw), "quay.io/team": auth("ns", pw), "quay.io/team/app": auth("repo", pw) } }),
    };
    const { resolve } = setup({ files });
    assert.equal((await resolve("quay.io", "team/app"))?.kind === "basic" && ((await resolve("quay.io", "team/app")) as { username: string }).username, "repo");
    assert.equal(((await resolve("quay.io", "team/web")) as { username: string }).username, "ns");
    assert.equal(((await resolve("quay.io", "other/app")) as { username: string }).username, "host");
  });
  test("identitytoken and registrytoken entries", async () => {
    const refresh = secret("refresh");
    const bearer = secret("bearer");
    const { resolve, reports } = setup({
      files: { [DOCKER]: json({ auths: { "a.example": { auth: auth("bob", "").auth, identitytoken: refresh }, "b.example": { registrytoken: bearer } } }) },
    });
    assert.deepEqual(await resolve("a.example", "x"), { kind: "identity-token", token: refresh, username: "bob", source: `${DOCKER} auths["a.example"]` });
    assert.deepEqual(await resolve("b.example", "x"), { kind: "registry-token", token: bearer, source: `${DOCKER} auths["b.example"]` });
    assert.match(checkReport(reports[0]!), /identity token \(OAuth2 refresh token\) of user "bob" from/);
    assert.match(checkReport(reports[1]!), /registry token \(sent as Bearer\) from/);
  });
  test("a helper's <token> user means an identity token; Docker Hub's server URL", async () => {
    const { resolve, helperCalls } = setup({ files: { [DOCKER]: json({ credsStore: "desktop" }) }, helpers: { desktop: () => found("<token>") } });
    assert.deepEqual(await resolve("docker.io", "library/ubuntu"), { kind: "identity-token", token: helperSecret, source: `docker-credential-desktop (credsStore in ${DOCKER})` });
    await resolve("docker.io", "library/debian");
    assert.deepEqual(helperCalls, ["desktop https://index.docker.io/v1/"], "run once per helper and server URL");
  });
});

describe("skip or fail (CRED-9)", () => {
  const pw = secret("skip");
  const expectFailure = async (world: World, message: RegExp, registry = REG) => {
    const { resolve, reports } = setup(world);
    await assert.rejects(resolve(registry, "x"), (error: unknown) => {
      assert.ok(error instanceof CredentialsError, String(error));
      assert.match(error.message, message);
      assert.ok(!error.message.includes("\n"), "one line");
      assertNoSecrets(error.message);
      return true;
    });
    const report = reports[0]!;
    assert.match(report.error ?? "", message);
    assert.equal(report.steps.at(-1)?.outcome, "failed");
    checkReport(report);
    return report;
  };
  test("absent default files are skipped", async () => {
    const { resolve } = setup({});
    assert.equal(await resolve(REG, "x"), undefined);
  });
  test("a malformed file before the match stops the lookup, naming the file", async () => {
    await expectFailure(
      { files: { [RUNTIME]: `{"auths": {"${REG}": {"auth": ${pw}}}}`, [DOCKER]: json({ auths: { [REG]: auth("d", pw) } }) } },
      new RegExp(`^credentials file ${RUNTIME} is not valid JSON.*; fix it, or choose credentials with the authFile option or the explicit option$`),
    );
  });
  test("a malformed DOCKER_AUTH_CONFIG stops the lookup", async () => {
    await expectFailure({ env: { DOCKER_AUTH_CONFIG: `{"auths": ${pw}` } }, /^DOCKER_AUTH_CONFIG is not valid JSON/);
  });
  test("a malformed file after the match is never read", async () => {
    const { resolve, reads } = setup({ files: { [RUNTIME]: json({ auths: { [REG]: auth("r", pw) } }), [DOCKER]: "{not json" } });
    assert.equal((await resolve(REG, "x"))?.source, `${RUNTIME} auths["${REG}"]`);
    assert.ok(!reads.includes(DOCKER));
  });
  test("an unreadable file stops the lookup", async () => {
    const eacces = Object.assign(new Error("EACCES"), { code: "EACCES" });
    await expectFailure({ files: { [CONTAINERS]: eacces } }, new RegExp(`^cannot read credentials file ${CONTAINERS}: EACCES$`));
  });
  test("a broken entry for this registry stops the lookup; one for another registry does not matter", async () => {
    await expectFailure({ files: { [DOCKER]: json({ auths: { [REG]: { auth: `!!${pw}!!` } } }) } }, new RegExp(`the "auth" of the entry "${REG}" is not base64`));
    const { resolve } = setup({ files: { [DOCKER]: json({ auths: { "other.example": { auth: "!!" }, [REG]: auth("ok", pw) } }) } });
    assert.equal(((await resolve(REG, "x")) as { username: string }).username, "ok");
  });
  test("a missing helper is an error when the lookup reaches it, naming it and where it is configured", async () => {
    await expectFailure(
      { files: { [DOCKER]: json({ credsStore: "desktop" }) } },
      new RegExp(`^credential helper docker-credential-desktop \\(credsStore in ${DOCKER}\\) is not installed: no docker-credential-desktop on PATH`),
    );
  });
  test("a missing helper that is never reached does not matter", async () => {
    const { resolve } = setup({ files: { [RUNTIME]: json({ auths: { [REG]: auth("r", pw) } }), [DOCKER]: json({ credsStore: "desktop" }) } });
    assert.equal(((await resolve(REG, "x")) as { username: string }).username, "r");
    const sameFile = setup({ files: { [DOCKER]: json({ auths: { [REG]: auth("a", pw) }, credsStore: "desktop" }) } });
    assert.equal(((await sameFile.resolve(REG, "x")) as { username: string }).username, "a");
  });
  test("a failing helper is an error naming it", async () => {
    await expectFailure(
      { files: { [DOCKER]: json({ credHelpers: { [REG]: "pass" } }) }, helpers: { pass: () => ({ status: "failed", message: "exited with code 2: gpg: decryption failed" }) } },
      new RegExp(`^credential helper docker-credential-pass \\(credHelpers\\["${REG}"\\] in ${DOCKER}\\) failed for ${REG}: exited with code 2: gpg: decryption failed$`),
    );
  });
  test("explainCredentials never rejects: the report carries the error", async () => {
    const { options } = setup({ files: { [DOCKER]: "[]" } });
    const report = await explainCredentials(REG, "x", options);
    assert.equal(report.error, `credentials file ${DOCKER} must hold a JSON object; fix it, or choose credentials with the authFile option or the explicit option`);
    assert.match(formatCredentialReport(report), /^registry\.example:5000\/x: lookup failed: credentials file/);
  });
});

describe("the report", () => {
  test("every default source, in order, with why", async () => {
    const pw = secret("report");
    const { options } = setup({
      files: { [CONTAINERS]: json({ auths: { "quay.io/team": auth("ns", pw) } }), [DOCKER]: json({ auths: { [REG]: auth("alice", pw) } }) },
      env: { GITHUB_TOKEN: secret("gh2") },
    });
    const report = await explainCredentials(REG, "team/app", options);
    assert.deepEqual(report.credential, { kind: "basic", source: `${DOCKER} auths["${REG}"]`, username: "alice" });
    assert.deepEqual(
      report.steps.map((s) => `${s.outcome} ${s.source}`),
      [
        "not-given the explicit option",
        "not-set DOCKER_AUTH_CONFIG",
        `absent ${RUNTIME} ($XDG_RUNTIME_DIR/containers/auth.json)`,
        `no-match ${CONTAINERS} (~/.config/containers/auth.json)`,
        `used ${DOCKER} (~/.docker/config.json)`,
        `not-consulted ${LEGACY} (~/.dockercfg, legacy)`,
        "not-applicable GH_TOKEN / GITHUB_TOKEN (ghcr.io)",
        "not-set CI_REGISTRY_USER / CI_REGISTRY_PASSWORD ($CI_REGISTRY)",
      ],
    );
    assert.equal(
      formatCredentialReport(report),
      [
        `${REG}/team/app: password of user "alice" from ${DOCKER} auths["${REG}"]`,
        "  not given       the explicit option",
        "  not set         DOCKER_AUTH_CONFIG",
        `  not present     ${RUNTIME} ($XDG_RUNTIME_DIR/containers/auth.json)`,
        `  no match        ${CONTAINERS} (~/.config/containers/auth.json): no entry for ${REG}/team/app (auths has quay.io/team)`,
        `  used            ${DOCKER} (~/.docker/config.json): auths["${REG}"], password of user "alice"`,
        `  not consulted   ${LEGACY} (~/.dockercfg, legacy): an earlier source supplied the credentials`,
        "  not applicable  GH_TOKEN / GITHUB_TOKEN (ghcr.io): only for ghcr.io",
        "  not set         CI_REGISTRY_USER / CI_REGISTRY_PASSWORD ($CI_REGISTRY): CI_REGISTRY is not set",
      ].join("\n"),
    );
    checkReport(report);
  });
  test("anonymous headline", async () => {
    const { options } = setup({});
    assert.match(formatCredentialReport(await explainCredentials("quay.io", undefined, options)), /^quay\.io: anonymous: no source has credentials for this registry\n/);
  });
  test("a normalised key says so", async () => {
    const { options } = setup({ files: { [DOCKER]: json({ auths: { "https://index.docker.io/v1/": auth("hub", secret("hub")) } }) } });
    const report = await explainCredentials("docker.io", "library/ubuntu", options);
    assert.match(formatCredentialReport(report), /auths\["https:\/\/index\.docker\.io\/v1\/"\], matched after normalising the key to docker\.io, password of user "hub"/);
  });
});
