/**
 * `regtags probe`: runs the request plan of plan.ts against one registry and
 * reports what it saw ({@link ProbeFindings}).
 *
 * It sends through the client's pipeline (pipeline.ts: deadline, per-origin
 * limit, rate-limit pacing, redirects, retry, the REF-9 http fallback) but
 * below its auth layer: the probe must see raw 401s and their challenges, and
 * it calls the token endpoint itself with `fetchToken`. Credentials go only
 * to the registry's own origin and to the token realm its challenge names
 * (never to a plain-http realm elsewhere than loopback unless allowed); token
 * values are never recorded. The requests are made one after another, at most
 * {@link PROBE_REQUEST_BUDGET} per registry.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { parseChallengesLeniently, pickChallenge, type Challenge } from "../auth/challenge.js";
import type { Credential, CredentialResolver } from "../auth/credential.js";
import { CATALOG_SCOPE, repositoryScope } from "../auth/scope.js";
import { refreshMarginMs } from "../auth/token-cache.js";
import { fetchToken } from "../auth/token-endpoint.js";
import { clockFunctions } from "../clock.js";
import { DEFAULTS } from "../defaults.js";
import { isRegtagsError } from "../errors.js";
import { findNextLink } from "../listing/link.js";
import { parseTagsBody } from "../listing/tags-body.js";
import { resolvePipelineOptions, type PipelineOptions } from "../options.js";
import { buildPipeline, type Pipeline } from "../pipeline.js";
import { isLoopbackRegistry, parseReference, type Reference } from "../reference/reference.js";
import { parseErrorBody } from "../transport/registry-error.js";
import type { RetryOptions } from "../transport/retry.js";
import { redactUrl, type TraceListener } from "../transport/trace.js";
import { scrubError } from "../transport/echo-guard.js";
import { escapeServerText, mapStrings } from "../text/safe-text.js";
import type { Transport, TransportResponse } from "../transport/types.js";
import type { ProbeExchange, ProbeFindings } from "./findings.js";
import { DEFAULT_LARGE_N, nextSearchSize, type ProbeStepId, type SearchOutcome } from "./plan.js";
import { pageOutcome, parseTokenShape, shapeFindings, type Observations, type SeenPage, type SeenResponse, type SeenToken } from "./shape.js";

/** Probe options: the client's pipeline options (ClientOptions shares them), and the probe's own. */
export interface ProbeOptions extends PipelineOptions {
  /** Retries of a 429/5xx or a reset. @default { attempts: 2 } (one retry: DEFAULTS.probe.retryAttempts), the rest as ClientOptions.retry */
  retry?: RetryOptions | undefined;
  /** `n` of the "too large" request. @default 10000 */
  largeN?: number | undefined;
}

export interface Prober {
  /** Probes the registry of `reference` using its repository. Throws only when the registry cannot be reached at all. */
  probe(reference: string | Reference, options?: { signal?: AbortSignal | undefined }): Promise<ProbeFindings>;
  close(): Promise<void>;
}

/** Page bodies are read up to this size; the default page of a huge repository may be big. */
const PAGE_BODY_LIMIT = 64 * 1024 * 1024;
const SMALL_BODY_LIMIT = 64 * 1024;
const RATE_LIMIT_HEADER = /^(x-)?ratelimit-|^docker-ratelimit-source$|^retry-after$/;
const SOFTWARE_HEADERS = ["docker-distribution-api-version", "x-jfrog-version"];

/** Creates a prober with its own connections. Close it when done. */
export function createProber(options: ProbeOptions = {}): Prober {
  const resolved = resolvePipelineOptions(options, { ...DEFAULTS.retry, attempts: DEFAULTS.probe.retryAttempts });
  // Each probe records the exchanges it caused: a trace event goes to the
  // recorder of the probe whose request it belongs to (probes may overlap).
  const recorders = new AsyncLocalStorage<TraceListener>();
  const onTrace = resolved.onTrace;
  const pipeline = buildPipeline({
    ...resolved,
    onTrace: (event) => {
      recorders.getStore()?.(event);
      onTrace?.(event);
    },
  });
  const settings: ProbeSettings = { now: clockFunctions(resolved.clock).now, largeN: options.largeN ?? DEFAULT_LARGE_N, credentials: resolved.credentials, allowInsecureRealm: resolved.allowInsecureRealm };
  return {
    probe: (reference, probeOptions = {}) =>
      runProbe(pipeline, recorders, settings, typeof reference === "string" ? parseReference(reference) : reference, probeOptions.signal).then(
        (findings) => mapStrings(findings, (text) => pipeline.echoes.redact(text)),
        (error: unknown) => Promise.reject(scrubError(error, pipeline.echoes)),
      ),
    close: () => pipeline.close(),
  };
}

/** What one probe needs besides the pipeline. */
interface ProbeSettings {
  readonly now: () => number;
  readonly largeN: number;
  readonly credentials: CredentialResolver | undefined;
  readonly allowInsecureRealm: boolean;
}

/** Probes one registry with a prober of its own. */
export async function probeRegistry(reference: string | Reference, options: ProbeOptions = {}): Promise<ProbeFindings> {
  const prober = createProber(options);
  try {
    return await prober.probe(reference);
  } finally {
    await prober.close();
  }
}

/** A Link header fit for output: the target's unsafe query values redacted, its form (relative/absolute) kept. */
export function redactLinkHeader(link: string): string {
  return link.replace(/<([^>]*)>/g, (_, target: string) => {
    const absolute = /^[A-Za-z][A-Za-z0-9+.-]*:/.test(target);
    try {
      const redacted = redactUrl(new URL(target, "http://relative.invalid"));
      return `<${absolute ? redacted : redacted.replace(/^http:\/\/relative\.invalid/, "")}>`;
    } catch {
      return "<invalid>";
    }
  });
}

async function runProbe(pipeline: Pipeline, recorders: AsyncLocalStorage<TraceListener>, settings: ProbeSettings, ref: Reference, signal: AbortSignal | undefined): Promise<ProbeFindings> {
  const { now } = settings;
  const startedAt = now();
  const started = performance.now();
  const exchanges: ProbeExchange[] = [];
  const notes: string[] = [];
  const rateLimitHeaders: Record<string, string> = {};
  let step: ProbeStepId = "ping";

  // Every HTTP exchange of this probe, retries and redirect hops included, with the step that caused it.
  const pending = new Map<number, { step: ProbeStepId; method: string; url: string }>();
  const record: TraceListener = (event) => {
    if (event.type === "request") pending.set(event.id, { step, method: event.method, url: event.url });
    if (event.type === "response" || event.type === "error") {
      const seen = pending.get(event.id);
      pending.delete(event.id);
      if (seen !== undefined) {
        exchanges.push({ ...seen, ms: Math.round(event.ms * 10) / 10, ...(event.type === "response" ? { status: event.status } : { error: event.message }) });
      }
    }
  };
  const send: Transport = async (req) => {
    const res = await pipeline.base(req);
    for (const name of res.headers.names()) if (RATE_LIMIT_HEADER.test(name)) rateLimitHeaders[name] = res.headers.get(name) ?? "";
    return res;
  };

  let credential: Credential | undefined;
  try {
    credential = await settings.credentials?.(ref.registry, ref.repository);
  } catch (error) {
    notes.push(`credentials could not be used (${(error as Error).message}); probing anonymously`);
  }
  // The endpoint as the client chooses it; a loopback registry that does not speak TLS is probed again over http (REF-9).
  return recorders.run(record, async () => {
    let findings: ProbeFindings | undefined;
    const runs = pipeline.onEndpoint(ref.registry, async function* (endpoint, fellBack) {
      if (fellBack !== undefined) notes.push(fellBack);
      yield await probeAt(endpoint);
    });
    for await (const run of runs) findings = run;
    return findings!;
  });

  async function probeAt(endpoint: URL): Promise<ProbeFindings> {
    let authorization: string | undefined;
    const authFor = (url: URL): Record<string, string> => (authorization !== undefined && url.origin === endpoint.origin ? { authorization } : {});
    const api = (path: string) => new URL(`${endpoint.href.replace(/\/+$/, "")}${path}`);
    const tagsUrl = (n?: number, last?: string) => {
      const url = api(`/v2/${ref.repository}/tags/list`);
      if (n !== undefined) url.searchParams.set("n", String(n));
      if (last !== undefined) url.searchParams.set("last", last);
      return url;
    };

    const get = async (at: ProbeStepId, url: URL, headers: Record<string, string>): Promise<TransportResponse> => {
      step = at;
      return send({ method: "GET", url, headers: { accept: "application/json", ...headers }, signal, purpose: at });
    };

    const describe = async (res: TransportResponse): Promise<SeenResponse> => {
      const text = await res.text(SMALL_BODY_LIMIT).catch(() => "");
      const errors = parseErrorBody(text);
      const challenge = res.headers.getAll("www-authenticate");
      const contentType = res.headers.get("content-type");
      return {
        status: res.status,
        ...(contentType !== undefined ? { contentType } : {}),
        ...(challenge.length > 0 ? { challenge: challenge.join(", ") } : {}),
        ...(errors[0] !== undefined ? { errorCode: errors[0].code } : {}),
        // Anything but the spec's JSON errors (quay's `true` as text/html, an HTML page).
        ...(errors.length === 0 && text.trim() !== "" && text.trim() !== "{}" ? { bodyExcerpt: escapeServerText(text.replace(/\s+/g, " ").trim(), 64) } : {}),
      };
    };

    const readPage = async (at: ProbeStepId, url: URL, n: number | undefined, headers: Record<string, string>): Promise<{ page: SeenPage; res: TransportResponse }> => {
      const res = await get(at, url, headers);
      const link = res.headers.getAll("link");
      const common = { step: at, ...(n !== undefined ? { n } : {}), ...(link.length > 0 ? { link: link.join(", ") } : {}) };
      if (res.status !== 200) return { page: { ...(await describe(res)), ...common }, res };
      const contentType = res.headers.get("content-type");
      const text = await res.text(PAGE_BODY_LIMIT);
      const base = { status: 200, ...(contentType !== undefined ? { contentType } : {}), ...common };
      try {
        const body = parseTagsBody(text, redactUrl(url));
        const record = JSON.parse(text) as Record<string, unknown>;
        const extraFields = Object.keys(record).filter((key) => key !== "name" && key !== "tags").sort();
        return {
          page: { ...base, entries: body.tags, received: body.tags.length + body.digestEntries, nullEntries: body.nullEntries, digestEntries: body.digestEntries, extraFields },
          res,
        };
      } catch (error) {
        return { page: { ...base, bodyError: (error as Error).message }, res };
      }
    };

    // 1. Ping (a loopback registry's https → http fallback is onEndpoint's, REF-9).
    const pingRes = await get("ping", api("/v2/"), {});
    const software: Record<string, string> = {};
    for (const name of SOFTWARE_HEADERS) {
      const value = pingRes.headers.get(name);
      if (value !== undefined) software[name] = value;
    }
    const ping = { ...(await describe(pingRes)), headers: software };

    // 2. Anonymous tags without n.
    const anonymous = (await readPage("tags-anonymous", tagsUrl(), undefined, {})).page;
    const challenge: Challenge | undefined = pickChallenge(parseChallengesLeniently(anonymous.status === 401 ? anonymous.challenge : undefined)) ?? pickChallenge(parseChallengesLeniently(ping.challenge));

    // 3. Token (or Basic credentials).
    let token: SeenToken | undefined;
    let tokenCredential = credential;
    const buyToken = async (at: ProbeStepId, scopes: string[]): Promise<{ seen: SeenToken; token?: string }> => {
      const realm = challenge?.params["realm"] ?? "";
      const service = challenge?.params["service"] ?? "";
      let captured: string | undefined;
      let status: number | undefined;
      const capturing: Transport = async (req) => {
        step = at;
        const res = await send(req);
        status = res.status;
        return res.status !== 200 ? res : { ...res, text: async (limit) => (captured = await res.text(limit)) };
      };
      const withCredentials = tokenCredential !== undefined && tokenCredential.kind !== "registry-token";
      if (URL.canParse(realm)) pipeline.registryHosts.add(new URL(realm).host);
      try {
        const grant = await fetchToken(capturing, { realm, service, scopes }, withCredentials ? tokenCredential : undefined, { now, signal });
        const shape = captured === undefined ? undefined : parseTokenShape(captured);
        captured = undefined;
        return {
          seen: {
            realm,
            service,
            scopes,
            withCredentials,
            ...(status !== undefined ? { status } : {}),
            ...(shape !== undefined ? { shape } : {}),
            appliedLifetimeSeconds: grant.lifetimeSeconds,
            renewedBeforeSeconds: refreshMarginMs(grant.lifetimeSeconds) / 1000,
          },
          token: grant.token,
        };
      } catch (error) {
        if (!isRegtagsError(error) || error.code === "ERR_ABORTED") throw error;
        return { seen: { realm, service, scopes, withCredentials, ...(status !== undefined ? { status } : {}), error: error.message } };
      }
    };
    if (credential?.kind === "registry-token") {
      authorization = `Bearer ${credential.token}`;
      notes.push("a registry token was given: it is sent as is, so the token endpoint was not asked");
    } else if (challenge?.scheme === "bearer") {
      if (tokenCredential !== undefined && !settings.allowInsecureRealm && isPlainHttpElsewhere(challenge.params["realm"])) {
        notes.push(`credentials not sent to the plain-http token realm ${redactUrl(challenge.params["realm"] ?? "")}; pass the allowInsecureRealm option`);
        tokenCredential = undefined;
      }
      const bought = await buyToken("token", [repositoryScope(ref.repository)]);
      token = bought.seen;
      if (bought.token !== undefined) authorization = `Bearer ${bought.token}`;
    } else if (challenge?.scheme === "basic" && credential?.kind === "basic") {
      authorization = `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString("base64")}`;
    }
    // Tags are read the way regtags lists them: anonymously where that works.
    const tagsAuth = anonymous.status === 200 ? {} : authFor(endpoint);

    // 4. The default page with credentials, when the anonymous one was refused.
    let defaultPage: SeenPage | undefined = anonymous.status === 200 ? anonymous : undefined;
    if (anonymous.status === 401 && authorization !== undefined) {
      defaultPage = (await readPage("tags-default", tagsUrl(), undefined, tagsAuth)).page;
    } else if (anonymous.status === 401) {
      notes.push(credential === undefined ? "the repository needs credentials: pass the credentials option (or log in) to probe paging" : "no way to authenticate was found");
    }
    const readable = defaultPage?.status === 200 && defaultPage.entries !== undefined;

    let n1: SeenPage | undefined;
    let next: (SeenPage & { built: boolean }) | undefined;
    let zero: SeenPage | undefined;
    let large: SeenPage | undefined;
    const search: SeenPage[] = [];
    if (readable) {
      // 5. n=1 and its next page.
      const first = await readPage("tags-n1", tagsUrl(1), 1, tagsAuth);
      n1 = first.page;
      if (n1.status === 200) {
        let target: URL | undefined;
        try {
          target = findNextLink(first.res.headers.getAll("link"), first.res.url);
        } catch (error) {
          notes.push(`the n=1 page's Link header is unusable: ${(error as Error).message}`);
        }
        const last = n1.entries?.at(-1);
        if (target !== undefined) {
          if (target.origin !== endpoint.origin) notes.push(`the next link points at another origin (${target.origin}); followed without credentials`);
          next = { ...(await readPage("tags-next", target, undefined, authFor(target))).page, built: false };
        } else if (n1.received === 1 && last !== undefined && (defaultPage?.received ?? 0) > 1) {
          next = { ...(await readPage("tags-next", tagsUrl(1, last), 1, tagsAuth)).page, built: true };
        }
      }
      // 6. n=0.
      zero = (await readPage("tags-n0", tagsUrl(0), 0, tagsAuth)).page;
      // 7. A large n, then the search for the largest honoured one.
      const ignored = n1.status === 200 && (n1.received ?? 0) > 1 && n1.link === undefined;
      if (ignored) notes.push("n=1 returned every tag: n is ignored, so no large n was requested");
      else {
        const largeN = settings.largeN;
        large = (await readPage("tags-large", tagsUrl(largeN), largeN, tagsAuth)).page;
        const history: SearchOutcome[] = [{ n: largeN, outcome: pageOutcome(large) }];
        for (let n = nextSearchSize(history); n !== undefined; n = nextSearchSize(history)) {
          const page = (await readPage("tags-search", tagsUrl(n), n, tagsAuth)).page;
          search.push(page);
          history.push({ n, outcome: pageOutcome(page) });
        }
      }
    }

    // 8. _catalog.
    let catalogToken: SeenToken | undefined;
    let catalogAuth: Record<string, string> = {};
    if (credential?.kind === "registry-token") catalogAuth = authFor(endpoint);
    else if (challenge?.scheme === "bearer") {
      const bought = await buyToken("catalog-token", [CATALOG_SCOPE]);
      catalogToken = bought.seen;
      if (bought.token !== undefined) catalogAuth = { authorization: `Bearer ${bought.token}` };
    } else if (challenge?.scheme === "basic") catalogAuth = authFor(endpoint);
    const catalogUrl = api("/v2/_catalog");
    catalogUrl.searchParams.set("n", "1");
    const catalogRes = await get("catalog", catalogUrl, catalogAuth);
    const catalog = await describe(catalogRes);

    const observations: Observations = {
      endpoint: endpoint.origin,
      ping,
      anonymous,
      ...(token !== undefined ? { token } : {}),
      ...(defaultPage !== undefined ? { defaultPage } : {}),
      ...(n1 !== undefined ? { n1 } : {}),
      ...(next !== undefined ? { next } : {}),
      ...(zero !== undefined ? { zero } : {}),
      ...(large !== undefined ? { large } : {}),
      search,
      ...(catalogToken !== undefined ? { catalogToken } : {}),
      catalog,
      rateLimitHeaders,
    };
    const shaped = shapeFindings(observations, redactLinkHeader);
    const catalogChallenge = pickChallenge(parseChallengesLeniently(catalog.challenge));
    return {
      registry: ref.registry,
      repository: ref.repository,
      endpoint: endpoint.origin,
      probedAt: new Date(startedAt).toISOString(),
      profile: shaped.profile,
      evidence: {
        ping: {
          status: ping.status,
          ...(ping.challenge !== undefined ? { challenge: ping.challenge } : {}),
          challenges: parseChallengesLeniently(ping.challenge).map((c) => ({ scheme: c.scheme, params: { ...c.params } })),
        },
        ...(anonymous.status === 401 && anonymous.challenge !== undefined ? { tagsChallenge: anonymous.challenge } : {}),
        ...(token !== undefined ? { token: tokenEvidence(token) } : {}),
        pages: shaped.pages,
        catalog: {
          status: catalog.status,
          ...(catalog.errorCode !== undefined ? { errorCode: catalog.errorCode } : {}),
          ...(catalogChallenge?.params["error"] !== undefined ? { challengeError: catalogChallenge.params["error"] } : {}),
          ...(catalogToken?.error !== undefined ? { tokenError: catalogToken.error } : {}),
        },
        rateLimitHeaders,
      },
      requests: exchanges,
      totalMs: Math.round(performance.now() - started),
      unobserved: shaped.unobserved,
      notes,
    };
  }
}

function tokenEvidence(token: SeenToken): NonNullable<ProbeFindings["evidence"]["token"]> {
  return {
    endpoint: redactUrl(token.realm),
    service: token.service,
    scopes: token.scopes,
    withCredentials: token.withCredentials,
    ...(token.status !== undefined ? { status: token.status } : {}),
    ...(token.shape !== undefined ? { fieldsPresent: token.shape.fieldsPresent, issuedAt: token.shape.issuedAt } : {}),
    ...(token.shape?.expiresIn !== undefined ? { expiresIn: token.shape.expiresIn } : {}),
    ...(token.appliedLifetimeSeconds !== undefined ? { appliedLifetimeSeconds: token.appliedLifetimeSeconds } : {}),
    ...(token.renewedBeforeSeconds !== undefined ? { renewedBeforeSeconds: token.renewedBeforeSeconds } : {}),
    ...(token.error !== undefined ? { error: token.error } : {}),
  };
}

function isPlainHttpElsewhere(realm: string | undefined): boolean {
  if (realm === undefined) return false;
  try {
    const url = new URL(realm);
    return url.protocol === "http:" && !isLoopbackRegistry(url.host);
  } catch {
    return false;
  }
}
