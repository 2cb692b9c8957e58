/**
 * The credential lookup: walks the sources in precedence order for one
 * registry (and repository) and records why each was or was not used.
 *
 * Precedence (CRED-1..CRED-9; README "Credentials"):
 *  1. explicit: `--creds`, `--registry-token`, `--no-creds` ({@link ExplicitCredential});
 *  2. `--authfile` or `REGISTRY_AUTH_FILE`: that file only (CRED-7);
 *  3. otherwise `DOCKER_AUTH_CONFIG`, the containers auth.json files, docker's
 *     config.json, `~/.dockercfg` (discovery.ts), the first with a match wins;
 *  4. environment tokens for well-known hosts (well-known-env.ts).
 * In each file: `credHelpers[host]`, then `auths` keys (keys.ts), then
 * `credsStore`. A helper that has nothing ("credentials not found") lets
 * the lookup go on.
 *
 * Skip or fail: a default file that does not exist is skipped. A file that
 * exists but cannot be read or parsed, a matching entry that cannot be
 * decoded, and a helper that is missing, fails or times out stop the lookup
 * with a CredentialsError naming the file or helper (containers/image does
 * the same; silently skipping could send another identity or none). Sources
 * after the one that matched are never read or run, so they cannot fail it.
 */
import { homedir } from "node:os";
import type { Credential, CredentialResolver } from "../auth/credential.js";
import { CredentialsError, isRegtagsError } from "../errors.js";
import type { CredentialFile } from "./auth-entry.js";
import { parseAuthJson } from "./auth-json.js";
import { type CredentialSource, discoverSources } from "./discovery.js";
import { parseDockerConfig } from "./docker-config.js";
import { parseDockercfg } from "./dockercfg.js";
import { createHelperRunner, type HelperRunner } from "./helper.js";
import { lookUpInFile, withBypassHint } from "./file-lookup.js";
import { normalizeRegistryName } from "./keys.js";
import { type CredentialFileReader, readCredentialFile } from "./read-file.js";
import { type CredentialReport, type CredentialStep, describeCredential, summarizeCredential } from "./report.js";
import { ENV_CREDENTIAL_RULES, type EnvCredentialRule, resolveEnvRule } from "./well-known-env.js";

/** Credentials given on the command line (or by a program), which win over every file. */
export type ExplicitCredential =
  /** A user name and password (the CLI's `--creds USER:PASS`). */
  | { readonly kind: "basic"; readonly username: string; readonly password: string; /** Named in reports and errors. @default "the explicit option" */ readonly source?: string | undefined }
  /** A registry token, sent as Bearer as is (the CLI's `--registry-token TOKEN`). */
  | { readonly kind: "registry-token"; readonly token: string; /** Named in reports and errors. @default "the explicit option" */ readonly source?: string | undefined }
  /** Anonymous, no other source consulted (the CLI's `--no-creds`). */
  | { readonly kind: "none"; /** Named in reports. @default "the explicit option" */ readonly source?: string | undefined };

export interface CredentialResolverOptions {
  /** Credentials that win over every file, helper and variable (the CLI's `--creds`, `--registry-token`, `--no-creds`). */
  readonly explicit?: ExplicitCredential | undefined;
  /** The registry `explicit` is for; other registries use the other sources. @default every registry */
  readonly explicitRegistry?: string | undefined;
  /** That auth file only; it must exist (the CLI's `--authfile PATH`). @default REGISTRY_AUTH_FILE, else the default order */
  readonly authFile?: string | undefined;
  /** Environment: DOCKER_CONFIG, XDG_*, REGISTRY_AUTH_FILE, DOCKER_AUTH_CONFIG, tokens, and the helpers' PATH. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
  /** @default env.HOME, else os.homedir() */
  readonly homeDir?: string | undefined;
  /** For `/run/containers/$UID/auth.json` when XDG_RUNTIME_DIR is unset. @default process.getuid() */
  readonly uid?: number | undefined;
  /** @default process.platform */
  readonly platform?: string | undefined;
  /** @default node:fs, missing file = undefined */
  readonly readFile?: CredentialFileReader | undefined;
  /** @default spawns `docker-credential-<name> get` with `env` */
  readonly runHelper?: HelperRunner | undefined;
  /** Time limit of one helper run. @default 30000 */
  readonly helperTimeoutMs?: number | undefined;
  /** @default ENV_CREDENTIAL_RULES (ghcr.io, GitLab CI) */
  readonly envRules?: readonly EnvCredentialRule[] | undefined;
  /** Receives the report of every lookup the resolver makes (for --debug). */
  readonly onReport?: ((report: CredentialReport) => void) | undefined;
}

/** The explicit credential's step in a report, in the library's words (the CLI words it as its flags, cli/option-flags.ts). */
const FLAGS_SOURCE = "the explicit option";

interface Lookup {
  readonly credential?: Credential;
  readonly report: CredentialReport;
  readonly error?: CredentialsError;
}

/** Shared state of one resolver: files are read and helpers run at most once. */
interface Context {
  readonly options: CredentialResolverOptions;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly homeDir: string;
  readonly readFile: CredentialFileReader;
  readonly runHelper: HelperRunner;
  readonly files: Map<string, Promise<CredentialFile | undefined>>;
  readonly helpers: Map<string, ReturnType<HelperRunner>>;
}

/**
 * Creates a {@link CredentialResolver} for `createClient({ credentials })`
 * that looks credentials up where docker, podman, skopeo and CI put them.
 * Files are read lazily, once per resolver; helpers run at most once per
 * helper and server URL.
 *
 * The resolver rejects with a CredentialsError (one line naming the file or
 * helper, never a secret) when the lookup cannot complete.
 * @example
 * const client = createClient({ credentials: createCredentialResolver() });
 */
export function createCredentialResolver(options: CredentialResolverOptions = {}): CredentialResolver {
  const context = createContext(options);
  return async (registry, repository) => {
    const lookup = await lookUp(context, registry, repository);
    options.onReport?.(lookup.report);
    if (lookup.error !== undefined) throw lookup.error;
    return lookup.credential;
  };
}

/**
 * Runs the lookup for one registry and reports every source consulted and
 * why it was or was not used (`regtags auth which`). Never rejects for a
 * lookup failure: the report's `error` holds it.
 * @example
 * console.log(formatCredentialReport(await explainCredentials("ghcr.io", "owner/image")));
 */
export async function explainCredentials(registry: string, repository?: string, options: CredentialResolverOptions = {}): Promise<CredentialReport> {
  return (await lookUp(createContext(options), registry, repository)).report;
}

function createContext(options: CredentialResolverOptions): Context {
  const env = options.env ?? process.env;
  const home = options.homeDir ?? (env["HOME"] !== undefined && env["HOME"] !== "" ? env["HOME"] : homedir());
  return {
    options,
    env,
    homeDir: home,
    readFile: options.readFile ?? readCredentialFile,
    runHelper: options.runHelper ?? createHelperRunner({ env, ...(options.helperTimeoutMs !== undefined ? { timeoutMs: options.helperTimeoutMs } : {}) }),
    files: new Map(),
    helpers: new Map(),
  };
}

async function lookUp(context: Context, registryName: string, repository: string | undefined): Promise<Lookup> {
  const registry = normalizeRegistryName(registryName);
  const { options } = context;
  const steps: CredentialStep[] = [];
  const done = (credential?: Credential, error?: CredentialsError): Lookup => ({
    ...(credential !== undefined ? { credential } : {}),
    ...(error !== undefined ? { error } : {}),
    report: {
      registry,
      ...(repository !== undefined ? { repository } : {}),
      ...(credential !== undefined ? { credential: summarizeCredential(credential) } : {}),
      steps,
      ...(error !== undefined ? { error: error.message } : {}),
    },
  });

  // 1. Explicit credentials.
  const explicit = options.explicit;
  if (explicit !== undefined) {
    const forRegistry = options.explicitRegistry === undefined || normalizeRegistryName(options.explicitRegistry) === registry;
    if (forRegistry) {
      if (explicit.kind === "none") {
        steps.push({ source: FLAGS_SOURCE, outcome: "used", detail: `${explicit.source ?? FLAGS_SOURCE}: anonymous, no other source consulted` });
        return done();
      }
      const credential: Credential =
        explicit.kind === "basic"
          ? { kind: "basic", username: explicit.username, password: explicit.password, source: explicit.source ?? FLAGS_SOURCE }
          : { kind: "registry-token", token: explicit.token, source: explicit.source ?? FLAGS_SOURCE };
      steps.push({ source: FLAGS_SOURCE, outcome: "used", detail: `${credential.source}, ${describeCredential(summarizeCredential(credential))}` });
      steps.push({ source: "credentials files, helpers and environment tokens", outcome: "not-consulted", detail: `${credential.source} wins over them` });
      return done(credential);
    }
    steps.push({ source: FLAGS_SOURCE, outcome: "not-applicable", detail: `given for ${options.explicitRegistry}` });
  } else {
    steps.push({ source: FLAGS_SOURCE, outcome: "not-given", detail: "" });
  }

  // 2./3. Files (and DOCKER_AUTH_CONFIG).
  const discovered = discoverSources({
    env: context.env,
    homeDir: context.homeDir,
    uid: options.uid ?? process.getuid?.(),
    platform: options.platform ?? process.platform,
    authFile: options.authFile,
  });
  let found: Credential | undefined;
  for (const source of discovered.sources) {
    if (found !== undefined) {
      steps.push({ source: describeSource(source), outcome: "not-consulted", detail: "an earlier source supplied the credentials" });
      continue;
    }
    try {
      const result = await lookUpSource(context, source, registry, repository);
      steps.push(result.step);
      found = result.credential;
    } catch (error) {
      const failure = asCredentialsError(error);
      steps.push({ source: describeSource(source), outcome: "failed", detail: failure.message });
      return done(undefined, failure);
    }
  }

  // 4. Environment tokens for well-known hosts.
  if (discovered.exclusive) {
    steps.push({ source: "default credentials files and environment tokens", outcome: "not-consulted", detail: `${discovered.exclusiveVia} replaces them` });
    return done(found);
  }
  for (const rule of options.envRules ?? ENV_CREDENTIAL_RULES) {
    const outcome = resolveEnvRule(rule, registry, context.env);
    if (outcome.status !== "found") {
      steps.push({ source: rule.label, outcome: outcome.status, detail: outcome.detail });
      continue;
    }
    if (found !== undefined) {
      steps.push({ source: rule.label, outcome: "not-consulted", detail: `${outcome.variable} is set, but an earlier source supplied the credentials` });
      continue;
    }
    found = { kind: "basic", username: outcome.username, password: outcome.password, source: outcome.variable };
    steps.push({ source: rule.label, outcome: "used", detail: outcome.detail });
  }
  return done(found);
}

function describeSource(source: CredentialSource): string {
  return source.type === "env-document" ? source.name : `${source.path} (${source.via})`;
}

function asCredentialsError(error: unknown): CredentialsError {
  if (error instanceof CredentialsError) return error;
  if (isRegtagsError(error)) return new CredentialsError(error.message, { cause: error });
  return new CredentialsError(`credential lookup failed: ${(error as Error)?.message ?? String(error)}`, { cause: error });
}

async function lookUpSource(
  context: Context,
  source: CredentialSource,
  registry: string,
  repository: string | undefined,
): Promise<{ step: CredentialStep; credential?: Credential }> {
  const label = describeSource(source);
  let file: CredentialFile | undefined;
  if (source.type === "env-document") {
    if (source.text === undefined) return { step: { source: label, outcome: "not-set", detail: "" } };
    file = parseOrExplain(() => parseDockerConfig(source.text as string, source.name));
  } else {
    file = await loadFile(context, source);
    if (file === undefined) return { step: { source: label, outcome: "absent", detail: "" } };
  }
  const match = await lookUpInFile(file, registry, repository, (name, serverUrl) => runHelperOnce(context, name, serverUrl));
  if (match.credential === undefined) return { step: { source: label, outcome: "no-match", detail: match.detail } };
  return { step: { source: label, outcome: "used", detail: match.detail }, credential: match.credential };
}

function loadFile(context: Context, source: Extract<CredentialSource, { type: "file" }>): Promise<CredentialFile | undefined> {
  let pending = context.files.get(source.path);
  if (pending === undefined) {
    pending = (async () => {
      const text = await context.readFile(source.path);
      if (text === undefined) {
        if (source.required) throw new CredentialsError(`credentials file ${source.path} (from ${source.via}) does not exist`);
        return undefined;
      }
      return parseOrExplain(() => {
        switch (source.format) {
          case "docker-config":
            return parseDockerConfig(text, source.path);
          case "auth-json":
            return parseAuthJson(text, source.path);
          case "dockercfg":
            return parseDockercfg(text, source.path);
        }
      });
    })();
    context.files.set(source.path, pending);
  }
  return pending;
}

/** Parser errors get the way out appended. */
function parseOrExplain(parse: () => CredentialFile): CredentialFile {
  try {
    return parse();
  } catch (error) {
    throw withBypassHint(error);
  }
}

/** Runs a helper at most once per helper and server URL for this resolver. */
function runHelperOnce(context: Context, name: string, serverUrl: string): ReturnType<HelperRunner> {
  const id = `${name}\n${serverUrl}`;
  let pending = context.helpers.get(id);
  if (pending === undefined) {
    pending = context.runHelper(name, serverUrl);
    context.helpers.set(id, pending);
  }
  return pending;
}
