/**
 * A library user's code under `exactOptionalPropertyTypes`: settings that may
 * be undefined are forwarded into every option object as they are, without
 * `...(x !== undefined ? { x } : {})` dances (issue 12). Compiled, never run.
 */
import {
  createClient,
  createCredentialResolver,
  createProber,
  compileFilter,
  latestTag,
  sortTags,
  type ClientOptions,
  type CredentialResolver,
  type DetailsSource,
  type ListOptions,
  type TraceListener,
  type VersionScheme,
} from "regtags";

/** What an application might hold: every field possibly undefined. */
export interface Settings {
  signal?: AbortSignal | undefined;
  pageSize?: number | null | undefined;
  maxPages?: number | undefined;
  parallel?: number | undefined;
  concurrency?: number | undefined;
  source?: DetailsSource | undefined;
  proxy?: string | undefined;
  certDir?: string | undefined;
  tlsVerify?: boolean | undefined;
  plainHttp?: boolean | undefined;
  userAgent?: string | undefined;
  onTrace?: TraceListener | undefined;
  credentials?: CredentialResolver | undefined;
  endpoints?: Record<string, string> | undefined;
  attempts?: number | undefined;
  maxDelayMs?: number | undefined;
  reserve?: number | undefined;
  pace?: boolean | undefined;
  idleTimeoutMs?: number | undefined;
  maxTags?: number | undefined;
  allowPartial?: boolean | undefined;
  authFile?: string | undefined;
  scheme?: VersionScheme | undefined;
  versionRegex?: string | undefined;
  reverse?: boolean | undefined;
  variant?: string | undefined;
  current?: string | undefined;
}

export async function forward(settings: Settings, tags: readonly string[]): Promise<string | undefined> {
  const options: ClientOptions = {
    pageSize: settings.pageSize,
    maxPages: settings.maxPages,
    parallel: settings.parallel,
    proxy: settings.proxy,
    certDir: settings.certDir,
    tlsVerify: settings.tlsVerify,
    plainHttp: settings.plainHttp,
    userAgent: settings.userAgent,
    onTrace: settings.onTrace,
    credentials: settings.credentials ?? createCredentialResolver({ authFile: settings.authFile }),
    endpoints: settings.endpoints,
    retry: { attempts: settings.attempts, maxDelayMs: settings.maxDelayMs, baseDelayMs: undefined },
    rateLimit: { reserve: settings.reserve, pace: settings.pace },
    idleTimeoutMs: settings.idleTimeoutMs,
    maxTags: settings.maxTags,
    allowPartial: settings.allowPartial,
    learned: () => ({ pageSize: settings.pageSize, anonymousWithoutToken: undefined }),
  };
  await using client = createClient(options);
  const list: ListOptions = { signal: settings.signal, pageSize: settings.pageSize, maxPages: settings.maxPages, parallel: settings.parallel };
  const { tags: listed } = await client.listTags("ubuntu", list);
  for await (const page of client.listTagPages("ubuntu", { signal: settings.signal, maxPages: settings.maxPages })) void page;
  await client.listRepositories("registry.example", { signal: settings.signal, pageSize: settings.pageSize });
  await client.fetchDigests("ubuntu", listed, { signal: settings.signal, concurrency: settings.concurrency });
  await client.fetchDetails("ubuntu", { source: settings.source, signal: settings.signal });
  await client.deliver("https://hooks.example/x", "{}", { signal: settings.signal });
  const prober = createProber({ proxy: settings.proxy, userAgent: settings.userAgent, onTrace: settings.onTrace, retry: { attempts: settings.attempts } });
  await prober.probe("ubuntu", { signal: settings.signal });
  await prober.close();
  const reading = { scheme: settings.scheme, versionRegex: settings.versionRegex };
  const kept = tags.filter(compileFilter({ variant: settings.variant, limit: undefined }, reading));
  sortTags(kept, "version", { ...reading, reverse: settings.reverse, dates: undefined });
  return latestTag(kept, { ...reading, current: settings.current, filter: { variant: settings.variant }, includePrerelease: undefined });
}
