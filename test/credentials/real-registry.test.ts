/**
 * Every credential source lists a private repository on the real CNCF
 * distribution registry (127.0.0.1), in token mode (the tests' token server
 * checks Basic credentials and has an OAuth2 POST endpoint for refresh
 * tokens) and in htpasswd Basic mode, through the built CLI with a sandboxed
 * HOME, XDG_* and PATH. Also: the precedence between sources, the
 * `regtags auth which` report, wrong credentials, malformed files, and that
 * no secret ever reaches stdout or stderr, even with --debug.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startRealRegistry, type RealRegistry } from "../helpers/real-registry.js";
import { runCli, type CliResult } from "../helpers/run-cli.js";
import { authEntry, createSandbox, type Sandbox } from "./sandbox.js";

const USER = "alice";
const PASSWORD = "S3CR3T-alice-wonderland-4711";
const WRONG = "S3CR3T-not-alices-password-0815";

/** Every secret the tests hand out; checked against every CLI output. */
const secrets = new Set<string>([PASSWORD, WRONG, authEntry(USER, PASSWORD).auth, authEntry(USER, WRONG).auth]);
const outputs: Array<{ args: readonly string[]; result: CliResult }> = [];

async function cli(args: readonly string[], env: Record<string, string>, input?: string): Promise<CliResult> {
  const result = await runCli(args, { env, ...(input !== undefined ? { input } : {}) });
  outputs.push({ args, result });
  return result;
}

/** Lists REF with --debug and expects exactly the tags. */
async function listsWith(env: Record<string, string>, ref: string, expectedTags: string, extraArgs: readonly string[] = [], input?: string): Promise<CliResult> {
  const result = await cli(["ls", "--debug", ...extraArgs, ref], env, input);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, expectedTags);
  return result;
}

/** The "regtags: credentials: HEADLINE" line --debug prints. */
function headline(result: CliResult): string {
  return /^regtags: credentials: (\S+: .*)$/m.exec(result.stderr)?.[1] ?? "(no credentials report)";
}

async function fetchJson(url: string, init: RequestInit): Promise<Record<string, unknown>> {
  const response = await fetch(url, init);
  assert.equal(response.status, 200, await response.clone().text());
  return (await response.json()) as Record<string, unknown>;
}

describe("credential sources against the real registry, token auth", { concurrency: 4 }, () => {
  let registry: RealRegistry;
  let ref: string;
  let refreshToken: string;
  let registryToken: string;
  const tags = "1.0\n";

  before(async () => {
    registry = await startRealRegistry({ auth: "token", users: { [USER]: PASSWORD } });
    await registry.pushImage("private/secret", "1.0");
    ref = `${registry.host}/private/secret`;
    const server = registry.tokenServer!;
    // An OAuth2 refresh token, as `docker login` stores it in identitytoken (auth/oauth.md).
    const form = new URLSearchParams({ grant_type: "password", username: USER, password: PASSWORD, service: server.service, client_id: "test", access_type: "offline", scope: "repository:private/secret:pull" });
    refreshToken = String((await fetchJson(server.realm, { method: "POST", body: form, headers: { "content-type": "application/x-www-form-urlencoded" } }))["refresh_token"]);
    // A registry token for registrytoken / --registry-token.
    const url = `${server.realm}?service=${encodeURIComponent(server.service)}&scope=${encodeURIComponent("repository:private/secret:pull")}`;
    registryToken = String((await fetchJson(url, { headers: { authorization: `Basic ${authEntry(USER, PASSWORD).auth}` } }))["token"]);
    secrets.add(refreshToken);
    secrets.add(registryToken);
  });
  after(async () => registry?.stop());

  // Each test has its own sandbox, so the tests run concurrently.
  const boxes: Sandbox[] = [];
  const fresh = async (): Promise<Sandbox> => {
    const box = await createSandbox();
    boxes.push(box);
    return box;
  };
  after(async () => {
    await Promise.all(boxes.map((box) => box.remove()));
  });

  test("anonymous: exit 3, the report says no source has credentials", async () => {
    const box = await fresh();
    const result = await cli(["ls", "--debug", ref], box.env);
    assert.equal(result.code, 3, result.stderr);
    assert.match(headline(result), /anonymous: no source has credentials for this registry/);
  });

  test("--creds USER:PASS", async () => {
    const box = await fresh();
    const result = await listsWith(box.env, ref, tags, ["--creds", `${USER}:${PASSWORD}`]);
    assert.match(headline(result), /password of user "alice" from --creds$/);
  });

  test("--creds USER with --password-stdin", async () => {
    const box = await fresh();
    await listsWith(box.env, ref, tags, ["--creds", USER, "--password-stdin"], `${PASSWORD}\n`);
  });

  test("--creds USER without a terminal or --password-stdin is a usage error", async () => {
    const box = await fresh();
    const result = await cli(["ls", "--creds", USER, ref], box.env);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^regtags: --creds USER without a password needs a terminal to prompt on, or --password-stdin\n$/);
  });

  test("--registry-token: sent as Bearer up front, no token request", async () => {
    const box = await fresh();
    const result = await listsWith(box.env, ref, tags, ["--registry-token", registryToken]);
    assert.doesNotMatch(result.stderr, /\[token\]/, "the token service is never asked");
    assert.match(result.stderr, /→ GET http:\/\/127\.0\.0\.1:\d+\/v2\/private\/secret\/tags\/list\?n=10000 \[tags\] authorization: Bearer <redacted>/);
  });

  test("--authfile (namespaced key host/ns)", async () => {
    const box = await fresh();
    const path = await box.write("elsewhere/auth.json", { auths: { [`${registry.host}/private`]: authEntry(USER, PASSWORD) } });
    const result = await listsWith(box.env, ref, tags, ["--authfile", path]);
    assert.match(headline(result), new RegExp(`from ${path} auths\\["${registry.host}/private"\\]$`));
  });

  test("REGISTRY_AUTH_FILE (namespaced key host/ns/repo)", async () => {
    const box = await fresh();
    const path = await box.write("elsewhere/auth.json", { auths: { [`${registry.host}/private/secret`]: authEntry(USER, PASSWORD) } });
    await listsWith({ ...box.env, REGISTRY_AUTH_FILE: path }, ref, tags);
  });

  test("DOCKER_AUTH_CONFIG", async () => {
    const box = await fresh();
    const result = await listsWith({ ...box.env, DOCKER_AUTH_CONFIG: JSON.stringify({ auths: { [registry.host]: authEntry(USER, PASSWORD) } }) }, ref, tags);
    assert.match(headline(result), new RegExp(`from DOCKER_AUTH_CONFIG auths\\["${registry.host}"\\]$`));
  });

  test("$XDG_RUNTIME_DIR/containers/auth.json (podman login)", async () => {
    const box = await fresh();
    await box.write("run/containers/auth.json", { auths: { [registry.host]: authEntry(USER, PASSWORD) } });
    const result = await listsWith(box.env, ref, tags);
    assert.match(headline(result), new RegExp(`from ${box.runtimeAuth} auths`));
  });

  test("$XDG_CONFIG_HOME/containers/auth.json", async () => {
    const box = await fresh();
    await box.write("config/containers/auth.json", { auths: { [registry.host]: authEntry(USER, PASSWORD) } });
    await listsWith(box.env, ref, tags);
  });

  test("~/.config/containers/auth.json when XDG_CONFIG_HOME is unset", async () => {
    const box = await fresh();
    await box.write("home/.config/containers/auth.json", { auths: { [registry.host]: authEntry(USER, PASSWORD) } });
    const { XDG_CONFIG_HOME: _unused, ...env } = box.env;
    await listsWith({ ...env, XDG_CONFIG_HOME: "" }, ref, tags);
  });

  test("~/.docker/config.json (docker login), key with scheme and path normalised", async () => {
    const box = await fresh();
    await box.write("home/.docker/config.json", { auths: { [`http://${registry.host}/v2/`]: authEntry(USER, PASSWORD) } });
    const result = await listsWith(box.env, ref, tags);
    assert.match(result.stderr, /matched after normalising the key to 127\.0\.0\.1:\d+, password of user "alice"/);
  });

  test("$DOCKER_CONFIG/config.json", async () => {
    const box = await fresh();
    await box.write("dockerconf/config.json", { auths: { [registry.host]: authEntry(USER, PASSWORD) } });
    await listsWith({ ...box.env, DOCKER_CONFIG: `${box.dir}/dockerconf` }, ref, tags);
  });

  test("~/.dockercfg (legacy)", async () => {
    const box = await fresh();
    await box.write("home/.dockercfg", { [`https://${registry.host}/v1/`]: { ...authEntry(USER, PASSWORD), email: "alice@example.com" } });
    const result = await listsWith(box.env, ref, tags);
    assert.match(headline(result), new RegExp(`from ${box.dockercfg} auths`));
  });

  test("identitytoken: exchanged by OAuth2 POST grant_type=refresh_token", async () => {
    const box = await fresh();
    await box.write("home/.docker/config.json", { auths: { [registry.host]: { auth: authEntry(USER, "").auth, identitytoken: refreshToken } } });
    const result = await listsWith(box.env, ref, tags);
    assert.match(result.stderr, /→ POST http:\/\/127\.0\.0\.1:\d+\/token \[token\]/);
    assert.match(result.stderr, /← 200 POST http:\/\/127\.0\.0\.1:\d+\/token/);
    assert.doesNotMatch(result.stderr, /→ GET http:\/\/127\.0\.0\.1:\d+\/token/, "no GET fallback needed");
    // The token server saw a refresh_token grant for alice (it logs the form minus the token itself).
    assert.ok(registry.tokenServer!.requests.some((r) => r.method === "POST" && r.status === 200 && r.user === USER && /grant_type=refresh_token/.test(r.query)));
    assert.match(headline(result), /identity token \(OAuth2 refresh token\) of user "alice" from/);
  });

  test("registrytoken in a file: sent as Bearer", async () => {
    const box = await fresh();
    await box.write("home/.docker/config.json", { auths: { [registry.host]: { registrytoken: registryToken } } });
    const result = await listsWith(box.env, ref, tags);
    assert.match(headline(result), /registry token \(sent as Bearer\) from/);
  });

  test("credHelpers[host]: a real helper on PATH, asked with the host on stdin", async () => {
    const box = await fresh();
    await box.writeHelper("regtest", { [registry.host]: { username: USER, secret: PASSWORD } });
    await box.write("home/.docker/config.json", { credHelpers: { [registry.host]: "regtest" } });
    const result = await listsWith(box.env, ref, tags);
    assert.deepEqual(await box.helperLog("regtest"), [registry.host], "run once, with the server URL on stdin");
    assert.match(headline(result), new RegExp(`password of user "alice" from docker-credential-regtest \\(credHelpers\\["${registry.host}"\\] in ${box.dockerConfig}\\)$`));
  });

  test("credsStore: a real helper; {} placeholders in auths fall through to it", async () => {
    const box = await fresh();
    await box.writeHelper("store", { [registry.host]: { username: USER, secret: PASSWORD } });
    await box.write("home/.docker/config.json", { auths: { [registry.host]: {} }, credsStore: "store" });
    await listsWith(box.env, ref, tags);
  });

  test("a helper answering <token>: an identity token", async () => {
    const box = await fresh();
    await box.writeHelper("tok", { [registry.host]: { username: "<token>", secret: refreshToken } });
    await box.write("home/.docker/config.json", { credsStore: "tok" });
    const result = await listsWith(box.env, ref, tags);
    assert.match(headline(result), /identity token \(OAuth2 refresh token\) from docker-credential-tok/);
  });

  test("a helper with nothing for the registry: the next source answers", async () => {
    const box = await fresh();
    await box.writeHelper("empty", {});
    await box.write("config/containers/auth.json", { credHelpers: { [registry.host]: "empty" } });
    await box.write("home/.docker/config.json", { auths: { [registry.host]: authEntry(USER, PASSWORD) } });
    const result = await listsWith(box.env, ref, tags);
    assert.match(result.stderr, /no match +.*containers\/auth\.json .*docker-credential-empty \(credHelpers\) has none for 127\.0\.0\.1:\d+/);
    assert.match(headline(result), new RegExp(`from ${box.dockerConfig} auths`));
  });

  test("GITHUB_TOKEN for ghcr.io (here served by the real registry via --endpoint)", async () => {
    const box = await fresh();
    const env = { ...box.env, GITHUB_TOKEN: PASSWORD, GITHUB_ACTOR: USER };
    const result = await listsWith(env, "ghcr.io/private/secret", tags, ["--endpoint", `ghcr.io=${registry.url}`]);
    assert.match(headline(result), /^ghcr\.io\/private\/secret: password of user "alice" from GITHUB_TOKEN$/);
    // Never sent to another registry.
    const other = await cli(["ls", "--debug", ref], env);
    assert.equal(other.code, 3);
    assert.match(other.stderr, /not applicable  GH_TOKEN \/ GITHUB_TOKEN \(ghcr\.io\): only for ghcr\.io/);
  });

  test("GitLab CI_REGISTRY_USER / CI_REGISTRY_PASSWORD for $CI_REGISTRY", async () => {
    const box = await fresh();
    const result = await listsWith({ ...box.env, CI_REGISTRY: registry.host, CI_REGISTRY_USER: USER, CI_REGISTRY_PASSWORD: PASSWORD }, ref, tags);
    assert.match(headline(result), /from CI_REGISTRY_PASSWORD$/);
  });

  describe("precedence on the wire", { concurrency: 4 }, () => {
    test("an earlier file with a wrong password wins over a later right one: authentication failed, naming it", async () => {
      const box = await fresh();
      await box.write("run/containers/auth.json", { auths: { [registry.host]: authEntry(USER, WRONG) } });
      await box.write("home/.docker/config.json", { auths: { [registry.host]: authEntry(USER, PASSWORD) } });
      const result = await cli(["ls", ref], box.env);
      assert.equal(result.code, 8);
      assert.equal(
        result.stderr,
        `regtags: ${ref}: authentication failed at token service ${registry.tokenServer!.realm} (credentials from ${box.runtimeAuth} auths["${registry.host}"]): 401; check the user name and password or token\n`,
      );
    });
    test("--creds wins over every file", async () => {
      const box = await fresh();
      await box.write("run/containers/auth.json", { auths: { [registry.host]: authEntry(USER, WRONG) } });
      await listsWith(box.env, ref, tags, ["--creds", `${USER}:${PASSWORD}`]);
    });
    test("--authfile wins over REGISTRY_AUTH_FILE and the default files", async () => {
      const box = await fresh();
      const good = await box.write("good.json", { auths: { [registry.host]: authEntry(USER, PASSWORD) } });
      const bad = await box.write("bad.json", { auths: { [registry.host]: authEntry(USER, WRONG) } });
      await box.write("run/containers/auth.json", { auths: { [registry.host]: authEntry(USER, WRONG) } });
      await listsWith({ ...box.env, REGISTRY_AUTH_FILE: bad }, ref, tags, ["--authfile", good]);
    });
    test("REGISTRY_AUTH_FILE replaces the default files: a match elsewhere is not used", async () => {
      const box = await fresh();
      const empty = await box.write("empty.json", { auths: {} });
      await box.write("home/.docker/config.json", { auths: { [registry.host]: authEntry(USER, PASSWORD) } });
      const result = await cli(["ls", "--debug", ref], { ...box.env, REGISTRY_AUTH_FILE: empty });
      assert.equal(result.code, 3);
      assert.match(result.stderr, /not consulted {3}default credentials files and environment tokens: REGISTRY_AUTH_FILE replaces them/);
    });
    test("--no-creds: anonymous although a file has credentials", async () => {
      const box = await fresh();
      await box.write("home/.docker/config.json", { auths: { [registry.host]: authEntry(USER, PASSWORD) } });
      const result = await cli(["ls", "--no-creds", ref], box.env);
      assert.equal(result.code, 3);
      assert.match(result.stderr, /authentication required or repository does not exist/);
    });
    test("credentials stay with their host: 127.0.0.1's entry is not used for localhost", async () => {
      const box = await fresh();
      await box.write("home/.docker/config.json", { auths: { [registry.host]: authEntry(USER, PASSWORD) } });
      const port = registry.host.split(":")[1];
      const result = await cli(["ls", "--debug", `localhost:${port}/private/secret`], box.env);
      assert.equal(result.code, 3);
      assert.match(result.stderr, /no match +.*config\.json \(~\/\.docker\/config\.json\): no entry for localhost:\d+\/private\/secret/);
    });
  });

  describe("broken sources (skip or fail)", { concurrency: 4 }, () => {
    test("a malformed default file before any match: exit 3, one line naming the file", async () => {
      const box = await fresh();
      await box.write("config/containers/auth.json", `{"auths": {"${registry.host}": {"auth": "${PASSWORD}"}`);
      await box.write("home/.docker/config.json", { auths: { [registry.host]: authEntry(USER, PASSWORD) } });
      const result = await cli(["ls", ref], box.env);
      assert.equal(result.code, 3);
      assert.ok(result.stderr.startsWith(`regtags: credentials file ${box.configAuth} is not valid JSON`), result.stderr);
      assert.match(result.stderr, /^regtags: credentials file \S+ is not valid JSON( \([^)]*\))?; fix it, or choose credentials with --authfile or --creds \/ --registry-token \/ --no-creds\n$/);
    });
    test("a malformed file after the match is never read", async () => {
      const box = await fresh();
      await box.write("run/containers/auth.json", { auths: { [registry.host]: authEntry(USER, PASSWORD) } });
      await box.write("home/.docker/config.json", "{{{");
      await listsWith(box.env, ref, tags);
    });
    test("an unreadable file: exit 3 naming it", async () => {
      const box = await fresh();
      await box.write("home/.docker/config.json/oops", "a directory where the file should be");
      const result = await cli(["ls", ref], box.env);
      assert.equal(result.code, 3);
      assert.equal(result.stderr, `regtags: cannot read credentials file ${box.dockerConfig}: it is a directory (EISDIR); fix it, or choose credentials with --authfile or --creds / --registry-token / --no-creds\n`);
    });
    test("a missing credential helper: an error only when the lookup reaches it", async () => {
      const box = await fresh();
      await box.write("home/.docker/config.json", { credsStore: "not-installed" });
      const reached = await cli(["ls", ref], box.env);
      assert.equal(reached.code, 3);
      assert.equal(
        reached.stderr,
        `regtags: credential helper docker-credential-not-installed (credsStore in ${box.dockerConfig}) is not installed: no docker-credential-not-installed on PATH; install it, or remove it from that file\n`,
      );
      await box.write("run/containers/auth.json", { auths: { [registry.host]: authEntry(USER, PASSWORD) } });
      await listsWith(box.env, ref, tags);
    });
    test("a failing helper: exit 3 naming it and what it said", async () => {
      const box = await fresh();
      await box.writeHelperScript("failing", 'cat >/dev/null; echo "pass: gpg: decryption failed" >&2; exit 1');
      await box.write("home/.docker/config.json", { credHelpers: { [registry.host]: "failing" } });
      const result = await cli(["ls", ref], box.env);
      assert.equal(result.code, 3);
      assert.match(result.stderr, /^regtags: credential helper docker-credential-failing \(credHelpers\["127\.0\.0\.1:\d+"\] in .*config\.json\) failed for 127\.0\.0\.1:\d+: exited with code 1: pass: gpg: decryption failed\n$/);
    });
    test("a missing --authfile: exit 3", async () => {
      const box = await fresh();
      const result = await cli(["ls", "--authfile", `${box.dir}/nope.json`, ref], box.env);
      assert.equal(result.code, 3);
      assert.equal(result.stderr, `regtags: credentials file ${box.dir}/nope.json (from --authfile) does not exist\n`);
    });
  });

  describe("regtags auth which", { concurrency: 4 }, () => {
    test("lists every source and why, without secrets", async () => {
      const box = await fresh();
      await box.writeHelper("empty", {});
      await box.write("run/containers/auth.json", { auths: { "quay.io": authEntry("q", PASSWORD) }, credHelpers: { [registry.host]: "empty" } });
      await box.write("home/.docker/config.json", { auths: { [registry.host]: authEntry(USER, PASSWORD) } });
      const result = await cli(["auth", "which", ref], { ...box.env, GITHUB_TOKEN: PASSWORD });
      assert.equal(result.code, 0, result.stderr);
      assert.equal(
        result.stdout.replace(/^network: [\s\S]*/m, ""), // the network part (proxy, trust) follows: test/network/
        [
          `${ref}: password of user "alice" from ${box.dockerConfig} auths["${registry.host}"]`,
          "  not given       --creds / --registry-token / --no-creds",
          "  not set         DOCKER_AUTH_CONFIG",
          `  no match        ${box.runtimeAuth} ($XDG_RUNTIME_DIR/containers/auth.json): docker-credential-empty (credHelpers) has none for ${registry.host}; no entry for ${registry.host}/private/secret (auths has quay.io)`,
          `  not present     ${box.configAuth} ($XDG_CONFIG_HOME/containers/auth.json)`,
          `  used            ${box.dockerConfig} (~/.docker/config.json): auths["${registry.host}"], password of user "alice"`,
          `  not consulted   ${box.dockercfg} (~/.dockercfg, legacy): an earlier source supplied the credentials`,
          "  not applicable  GH_TOKEN / GITHUB_TOKEN (ghcr.io): only for ghcr.io",
          "  not set         CI_REGISTRY_USER / CI_REGISTRY_PASSWORD ($CI_REGISTRY): CI_REGISTRY is not set",
          "",
        ].join("\n"),
      );
    });
    test("--json, and explicit flags", async () => {
      const box = await fresh();
      const json = await cli(["auth", "which", "--json", "--creds", `${USER}:${PASSWORD}`, ref], box.env);
      assert.equal(json.code, 0, json.stderr);
      const report = JSON.parse(json.stdout) as { registry: string; repository: string; credential: unknown; steps: Array<{ outcome: string }> };
      assert.equal(report.registry, registry.host);
      assert.equal(report.repository, "private/secret");
      assert.deepEqual(report.credential, { kind: "basic", source: "--creds", username: USER });
      assert.deepEqual(report.steps.map((s) => s.outcome), ["used", "not-consulted"]);
    });
    test("a broken source: the report shows where it stopped, exit 3", async () => {
      const box = await fresh();
      await box.write("home/.docker/config.json", "[1, 2]");
      const result = await cli(["auth", "which", ref], box.env);
      assert.equal(result.code, 3);
      assert.match(result.stdout, /^127\.0\.0\.1:\d+\/private\/secret: lookup failed: credentials file .*config\.json must hold a JSON object/);
      assert.match(result.stdout, /\n {2}failed {10}.*config\.json \(~\/\.docker\/config\.json\): credentials file/);
      assert.match(result.stderr, /^regtags: credentials file .* must hold a JSON object; fix it/);
    });
  });
});

describe("credential sources against the real registry, htpasswd Basic auth", { concurrency: 4 }, () => {
  let registry: RealRegistry;
  let ref: string;
  before(async () => {
    registry = await startRealRegistry({ auth: "htpasswd", users: { [USER]: PASSWORD } });
    await registry.pushImage("team/app", "v1");
    ref = `${registry.host}/team/app`;
  });
  after(async () => registry?.stop());

  test("~/.docker/config.json: Basic to the registry", async () => {
    const box = await createSandbox();
    try {
      await box.write("home/.docker/config.json", { auths: { [registry.host]: authEntry(USER, PASSWORD) } });
      const result = await listsWith(box.env, ref, "v1\n");
      assert.match(result.stderr, /authorization: Basic <redacted>/);
    } finally {
      await box.remove();
    }
  });

  test("containers auth.json with a namespace key", async () => {
    const box = await createSandbox();
    try {
      await box.write("run/containers/auth.json", { auths: { [`${registry.host}/team`]: authEntry(USER, PASSWORD) } });
      await listsWith(box.env, ref, "v1\n");
    } finally {
      await box.remove();
    }
  });

  test("a credential helper", async () => {
    const box = await createSandbox();
    try {
      await box.writeHelper("basic", { [registry.host]: { username: USER, secret: PASSWORD } });
      await box.write("home/.docker/config.json", { credsStore: "basic" });
      await listsWith(box.env, ref, "v1\n");
    } finally {
      await box.remove();
    }
  });

  test("wrong password from a file: authentication failed for the registry, naming the source", async () => {
    const box = await createSandbox();
    try {
      await box.write("home/.docker/config.json", { auths: { [registry.host]: authEntry(USER, WRONG) } });
      const result = await cli(["ls", ref], box.env);
      assert.equal(result.code, 8);
      assert.match(
        result.stderr,
        new RegExp(`^regtags: authentication failed for ${registry.host.replace(/\./g, "\\.")}/team/app \\(credentials from ${box.dockerConfig.replace(/\./g, "\\.")} auths\\["${registry.host.replace(/\./g, "\\.")}"\\]\\); check the user name and password or token\n$`),
      );
    } finally {
      await box.remove();
    }
  });
});

describe("no secret in any output", () => {
  test("no password, token, refresh token or base64 auth in stdout or stderr of any run above", () => {
    assert.ok(outputs.length >= 40, `only ${outputs.length} runs recorded`);
    for (const { args, result } of outputs) {
      for (const secret of secrets) {
        const shown = args.map((a) => (secrets.has(a) || a.includes(PASSWORD) ? "***" : a)).join(" ");
        assert.ok(!result.stderr.includes(secret), `regtags ${shown}: a secret in stderr:\n${result.stderr}`);
        assert.ok(!result.stdout.includes(secret), `regtags ${shown}: a secret in stdout`);
      }
      assert.doesNotMatch(result.stderr, /eyJ[A-Za-z0-9_-]{10,}/, "no JWT");
    }
  });
});
