/**
 * The side-by-side table of `regtags probe`: one column per registry, one row
 * per finding, like the field report's comparison. Pure: findings in, text out.
 */
import type { ProbeFailure, ProbeFindings, ProbedAuth, ProbedTags } from "./findings.js";

/** One row: a label and a value per registry. */
export interface ProbeRow {
  readonly label: string;
  readonly values: readonly string[];
}

type Column = ProbeFindings | ProbeFailure;

const isFailure = (column: Column): column is ProbeFailure => "error" in column;

/** Rows of the table, in the order of the issue's list. */
export function probeRows(columns: readonly Column[]): ProbeRow[] {
  const rows: Array<[string, (f: ProbeFindings) => string]> = [
    ["endpoint", (f) => f.endpoint],
    ["ping", pingText],
    ["challenge (raw)", (f) => f.evidence.ping?.challenge ?? "none"],
    ["challenge (parsed)", parsedChallengeText],
    ["repository challenge", repositoryChallengeText],
    ["auth", authText],
    ["anonymous reads", anonymousText],
    ["token endpoint", (f) => (f.evidence.token === undefined ? "—" : `${f.evidence.token.endpoint}${f.evidence.token.service !== "" ? ` service=${f.evidence.token.service}` : ""}`)],
    ["token fields", tokenFieldsText],
    ["token lifetime", lifetimeText],
    ["default page", (f) => withTags(f, (t) => (t.paging.defaultPageSize === "all" ? `all (${defaultCount(f)} tags, no link)` : `${t.paging.defaultPageSize} tags, then a link`))],
    ["n=1", n1Text],
    ["largest n honoured", largestText],
    ["too-large n", overMaxText],
    ["pagination", paginationText],
    ["link parameters", linkParamsText],
    ["example link", exampleLinkText],
    ["sorted", (f) => withTags(f, (t) => (t.order === "lexical" ? "yes (lexical)" : t.order === "unsorted" ? "no" : "unknown"))],
    ["n=0", zeroText],
    ["body", bodyText],
    ["rate-limit headers", (f) => rateLimitText(f.evidence.rateLimitHeaders)],
    ["_catalog", catalogText],
    ["requests", (f) => `${f.requests.length} in ${f.totalMs} ms`],
    ["time per request", (f) => f.requests.map((r) => `${r.step} ${r.status ?? `failed (${r.url.split(":")[0]})`} ${formatMs(r.ms)}`).join("; ")],
  ];
  const out: ProbeRow[] = [{ label: "registry", values: columns.map((c) => `${c.registry}/${c.repository}`) }];
  for (const [label, value] of rows) out.push({ label, values: columns.map((c) => (isFailure(c) ? (label === "endpoint" ? `failed: ${c.error}` : "—") : value(c))) });
  return out;
}

/**
 * The table as text: labels on the left, a column per registry, long values
 * wrapped at `width` characters (at spaces, commas and `&`).
 */
export function renderProbeTable(columns: readonly Column[], width = 44): string {
  const rows = probeRows(columns);
  // Loops, never Math.max(...list): spreading a long list overflows the stack (issue 10, item 6).
  const labelWidth = rows.reduce((widest, r) => Math.max(widest, r.label.length), 0);
  // "30 s" and "1.5 ms" stay on one line: a no-break space while wrapping.
  const wrapped = rows.map((row) => row.values.map((value) => wrap(value.replace(/(\d) (ms|s)\b/g, "$1\u00a0$2"), width).map((line) => line.replace(/\u00a0/g, " "))));
  const widths = columns.map((_, i) => Math.min(width, wrapped.reduce((widest, cells) => cells[i]!.reduce((w, line) => Math.max(w, line.length), widest), 0)));
  const lines: string[] = [];
  rows.forEach((row, r) => {
    const cells = wrapped[r]!;
    const height = cells.reduce((tallest, c) => Math.max(tallest, c.length), 0);
    for (let k = 0; k < height; k++) {
      const parts = [(k === 0 ? row.label : "").padEnd(labelWidth)];
      cells.forEach((cell, i) => parts.push((cell[k] ?? "").padEnd(widths[i]!)));
      lines.push(parts.join("  ").trimEnd());
    }
  });
  return `${lines.join("\n")}\n`;
}

/** Greedy wrap with break opportunities after spaces, commas and `&`; over-long pieces are cut. */
export function wrap(text: string, width: number): string[] {
  if (text.length <= width) return [text];
  const pieces = text.match(/[^ ,&]*(?:[ ,&]+|$)/g)?.filter((p) => p !== "") ?? [text];
  const lines: string[] = [];
  let line = "";
  for (let piece of pieces) {
    while (piece.length > width) {
      if (line !== "") {
        lines.push(line.trimEnd());
        line = "";
      }
      lines.push(piece.slice(0, width));
      piece = piece.slice(width);
    }
    if ((line + piece).trimEnd().length > width) {
      lines.push(line.trimEnd());
      line = "";
    }
    line += piece;
  }
  if (line.trim() !== "") lines.push(line.trimEnd());
  return lines;
}

function formatMs(ms: number): string {
  return `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`;
}

function withTags(f: ProbeFindings, text: (tags: ProbedTags) => string): string {
  if (f.profile.tags === undefined) return `unknown (${f.unobserved.find((u) => u.field === "tags")?.why ?? "no page read"})`;
  return text(f.profile.tags);
}

function defaultCount(f: ProbeFindings): string {
  const page = f.evidence.pages.find((p) => p.step === "tags-default" && p.status === 200) ?? f.evidence.pages.find((p) => p.step === "tags-anonymous");
  return String(page?.received ?? "?");
}

function pingText(f: ProbeFindings): string {
  const ping = f.profile.ping;
  let text = String(ping.anonymousStatus);
  if (ping.challengeOn200 === true) text += " with a challenge";
  if (ping.unauthorizedBody !== undefined) text += `, body ${JSON.stringify(ping.unauthorizedBody.body)} (${ping.unauthorizedBody.contentType || "no content type"})`;
  const version = f.profile.headers?.["docker-distribution-api-version"];
  if (version !== undefined) text += `; ${version}`;
  return text;
}

function paramsText(params: Readonly<Record<string, string>>): string {
  return Object.entries(params)
    .map(([key, value]) => `${key}=${value === "" ? '""' : value}`)
    .join(" ");
}

function parsedChallengeText(f: ProbeFindings): string {
  const challenges = f.evidence.ping?.challenges ?? [];
  if (challenges.length === 0) return "none";
  return challenges.map((c) => `${c.scheme} ${paramsText(c.params)}`.trim()).join(" + ");
}

function repositoryChallengeText(f: ProbeFindings): string {
  const raw = f.evidence.tagsChallenge;
  if (raw === undefined) return f.profile.tags !== undefined || f.evidence.pages[0]?.status === 200 ? "none (read anonymously)" : "none";
  const scope = /scope="?([^",]*)"?/.exec(raw)?.[1];
  const error = /error="?([^",]*)"?/.exec(raw)?.[1];
  const parts = [scope !== undefined ? `scope=${scope}` : "no scope", error !== undefined ? `error=${error}` : ""].filter((p) => p !== "");
  return parts.join(", ");
}

function authText(f: ProbeFindings): string {
  const auth: ProbedAuth = f.profile.auth;
  switch (auth.kind) {
    case "none":
      return "none seen";
    case "unknown":
      return "401 without a usable challenge";
    case "basic":
      return `Basic${schemeNote(auth.challenge, "Basic")} realm=${JSON.stringify(auth.realm)}${auth.params !== undefined ? ` ${paramsText(auth.params)}` : ""}`;
    case "bearer":
      return `Bearer token${schemeNote(auth.challenge, "Bearer")}; realm on ${auth.realm.server === "registry" ? "the registry's host" : "another host"}${auth.otherSchemes !== undefined ? `; also offers ${auth.otherSchemes.join(", ")}` : ""}`;
  }
}

/** " (written bearer, unquoted)" when the challenge is not written the usual way. */
function schemeNote(challenge: { scheme: string; quoted: boolean }, usual: string): string {
  const notes = [challenge.scheme !== usual ? `written ${challenge.scheme}` : "", challenge.quoted ? "" : "unquoted"].filter((n) => n !== "");
  return notes.length > 0 ? ` (${notes.join(", ")})` : "";
}

function anonymousText(f: ProbeFindings): string {
  const auth = f.profile.auth;
  const first = f.evidence.pages.find((p) => p.step === "tags-anonymous");
  if (auth.kind === "bearer") return auth.anonymousReadsWithoutToken ? "yes, without a token" : `no (${first?.status ?? "?"}): token needed`;
  if (auth.kind === "basic") return auth.anonymousPublicReads ? "yes, without credentials" : `no (${first?.status ?? "?"}): credentials needed`;
  return first?.status === 200 ? "yes" : `no (${first?.status ?? "?"}${first?.errorCode !== undefined ? ` ${first.errorCode}` : ""})`;
}

function tokenFieldsText(f: ProbeFindings): string {
  const token = f.evidence.token;
  if (token === undefined) return "—";
  if (token.fieldsPresent === undefined) return `no token: ${token.error ?? `status ${token.status ?? "?"}`}`;
  const auth = f.profile.auth;
  const fields = auth.kind === "bearer" ? auth.token?.fields : undefined;
  const note = fields === "both" ? " (token = access_token)" : fields === "token-and-empty-access_token" ? " (access_token empty)" : "";
  return `${token.fieldsPresent.join(", ")}${note}${token.withCredentials ? "; with credentials" : "; anonymous"}`;
}

function lifetimeText(f: ProbeFindings): string {
  const token = f.evidence.token;
  if (token?.appliedLifetimeSeconds === undefined) return "—";
  const announced = token.expiresIn !== undefined ? `expires_in ${token.expiresIn} s` : "not announced";
  const applied = `applied ${token.appliedLifetimeSeconds} s${token.expiresIn === undefined ? " (spec default)" : ""}`;
  return `${announced}; ${applied}, renewed ${token.renewedBeforeSeconds ?? 0} s early`;
}

function n1Text(f: ProbeFindings): string {
  const page = f.evidence.pages.find((p) => p.step === "tags-n1");
  if (page === undefined) return "not requested";
  if (page.status !== 200) return `${page.status}${page.errorCode !== undefined ? ` ${page.errorCode}` : ""}`;
  if ((page.received ?? 0) > 1) return `ignored: ${page.received} tags${page.link !== undefined ? ", with a link" : ", no link"}`;
  return `honoured${page.link !== undefined ? ", with a link" : ", no link"}`;
}

function largestText(f: ProbeFindings): string {
  return withTags(f, (t) => {
    if (t.paging.ignoreParams) return "n is ignored";
    if (t.paging.maxPageSize !== undefined) return `${t.paging.maxPageSize}${t.paging.overMax === "clamp" ? " (clamped to it)" : ` (n=${t.paging.maxPageSize + 1} refused)`}`;
    const large = f.evidence.pages.find((p) => p.step === "tags-large");
    if (large?.status === 200 && large.n !== undefined && (large.received ?? 0) < large.n) return `≥ ${large.n} (n=${large.n} returned the whole repository, ${large.received} tags)`;
    if (t.paging.largestHonoured !== undefined) return `≥ ${t.paging.largestHonoured}`;
    return "unknown";
  });
}

function overMaxText(f: ProbeFindings): string {
  return withTags(f, (t) => {
    const o = t.paging.overMax;
    if (o === "clamp") return `clamped${t.paging.maxPageSize !== undefined ? ` to ${t.paging.maxPageSize}, with a link` : ""}`;
    if (o === "not-seen") return t.paging.ignoreParams ? "n is ignored" : `no limit seen up to n=${f.evidence.pages.find((p) => p.step === "tags-large")?.n ?? "?"}`;
    return `${o.status}${o.code !== undefined ? ` ${o.code}` : ""}`;
  });
}

function paginationText(f: ProbeFindings): string {
  return withTags(f, (t) => {
    const cursor = t.paging.cursor;
    const cursorText = cursor === undefined ? "" : cursor.kind === "last-entry" ? "last=<tag>" : `opaque ${cursor.param}=<${cursor.style === "other" ? "token" : `${cursor.style} token`}>`;
    if (t.link.form === "none") return t.paging.ignoreParams ? "none: everything at once, no Link" : `no Link${cursorText !== "" ? `; ${cursorText} works unlinked` : ""}`;
    return `Link ${t.link.form}, ${cursorText || "cursor unknown"}`;
  });
}

function linkParamsText(f: ProbeFindings): string {
  return withTags(f, (t) => {
    const link = t.link;
    if (link.form === "none") return "—";
    const n =
      link.n === "omit" ? "no n" : link.n === "zero" ? "n=0 always" : link.n === "as-requested-or-zero" ? "n echoed, n=0 when none was sent" : link.n === "effective" ? "n = the page size used" : "n echoed";
    const order = link.order === undefined ? "" : link.order === "n-first" ? "n first, " : "cursor first, ";
    const extra = link.extraParams !== undefined ? `; also ${link.extraParams.map(([k, v]) => `${k}=${v}`).join("&")}` : "";
    return `${order}${n}${extra}`;
  });
}

function exampleLinkText(f: ProbeFindings): string {
  const page = f.evidence.pages.find((p) => p.link !== undefined && p.step === "tags-n1") ?? f.evidence.pages.find((p) => p.link !== undefined);
  return page?.link === undefined ? "—" : `n=${page.n ?? "none"}: ${page.link}`;
}

function zeroText(f: ProbeFindings): string {
  return withTags(f, (t) => {
    const z = t.paging.zeroN;
    const page = f.evidence.pages.find((p) => p.step === "tags-n0");
    if (z === "empty") return "empty list";
    if (z === "default") return `the default page (${page?.received ?? "?"} tags, a link)`;
    if (z === "all") return `everything (${page?.received ?? "?"} tags)`;
    return `${z.status}${z.code !== undefined ? ` ${z.code}` : ""}`;
  });
}

function bodyText(f: ProbeFindings): string {
  return withTags(f, (t) => {
    const body = t.body;
    if (body === undefined) return "—";
    const quirks = [body.nullEntries === true ? "null entries" : "", body.digestEntries === true ? "digests among tags" : "", body.extraFields !== undefined ? `extra fields ${body.extraFields.join(", ")}` : ""].filter((q) => q !== "");
    return `${body.contentType || "no content type"}${quirks.length > 0 ? `; ${quirks.join("; ")}` : ""}`;
  });
}

function rateLimitText(headers: Readonly<Record<string, string>>): string {
  const entries = Object.entries(headers);
  return entries.length === 0 ? "none" : entries.map(([k, v]) => `${k}: ${v}`).join("; ");
}

function catalogText(f: ProbeFindings): string {
  const catalog = f.profile.catalog;
  if (catalog === undefined) return "not requested";
  if (catalog.kind === "paginated") return "supported";
  if (catalog.answer === "insufficient-scope") return `refused: 401 insufficient_scope${f.evidence.catalog?.tokenError !== undefined ? " (no catalog token)" : ""}`;
  return `refused: ${catalog.answer.status}${catalog.answer.code !== undefined ? ` ${catalog.answer.code}` : ""}`;
}
