/**
 * A few human lines about what a profile does, for `regtags emulate` and test logs.
 * Reads only the profile (no running server), so realms show their placeholders.
 */
import type { AuthProfile, CatalogProfile, ErrorAnswer, EmulatorProfile, PagingProfile, TagsProfile } from "./profile.js";

function answer(a: ErrorAnswer): string {
  return a.code === undefined ? `${a.status}` : `${a.status} ${a.code}`;
}

function describeAuth(auth: AuthProfile): string {
  if (auth.kind === "none") return "auth: none (everything readable anonymously)";
  if (auth.kind === "basic") {
    const params = Object.keys(auth.params ?? {});
    const extra = params.length > 0 ? ` + ${params.join(", ")}` : "";
    const anonymous = auth.anonymousPublicReads ? "public repositories readable anonymously" : "credentials always required";
    return `auth: ${auth.challenge.scheme} realm="${auth.realm}"${extra}; ${anonymous}`;
  }
  const where = auth.realm.server === "separate" ? `separate auth server ${auth.realm.path}` : `same host ${auth.realm.path}`;
  const service = auth.service === undefined ? "no service" : `service=${auth.service}`;
  const ping = auth.pingScope === undefined ? "" : `, ping scope=${JSON.stringify(auth.pingScope)}`;
  const style = `${auth.challenge.scheme}${auth.challenge.quoted ? "" : " (unquoted)"}`;
  const extras = [
    auth.anonymousChallengeError === undefined ? "" : `first challenge error="${auth.anonymousChallengeError}"`,
    auth.extraChallenge === undefined ? "" : "second challenge in the same header",
    auth.acceptsBasic === true ? "Basic also accepted" : "",
  ].filter((s) => s !== "");
  return `auth: ${style} token from ${where}, ${service}${ping}${extras.length > 0 ? `; ${extras.join("; ")}` : ""}`;
}

function describeToken(auth: AuthProfile): string[] {
  if (auth.kind !== "bearer") return [];
  const t = auth.token;
  const expires = t.expiresIn === undefined ? "no expires_in" : `expires_in ${t.expiresIn}`;
  const lifetime = t.lifetimeSeconds ?? t.expiresIn ?? 60;
  return [
    `token: ${t.fields}, ${expires}${t.issuedAt ? ", issued_at" : ""}; enforced lifetime ${lifetime}s; ` +
      `${auth.anonymousReadsWithoutToken ? "public repositories readable without a token" : "token needed for every read"}`,
    `refusals: missing repository → ${auth.missingRepository}, private → ${auth.privateRepository}`,
  ];
}

function describePaging(paging: PagingProfile): string {
  if (paging.ignoreParams) return "all entries in one response; n and last ignored";
  const max = paging.maxPageSize === undefined ? "no max n" : `max n ${paging.maxPageSize} (${paging.overMax === "clamp" ? "clamped" : answer(paging.overMax)})`;
  const cursor = paging.cursor.kind === "last-entry" ? "cursor last=<entry>" : `opaque cursor ${paging.cursor.param}=`;
  const full = paging.fullFinalPage === "link-to-empty-page" ? "; full last page → empty extra page" : "";
  return `default page ${paging.defaultPageSize}, ${max}, n=0 → ${paging.zeroN}, ${cursor}${full}`;
}

function describeTags(tags: TagsProfile): string[] {
  const link = tags.link;
  const linkLine =
    link.form === "none"
      ? "link: none"
      : `link: ${link.form}, ${link.order}, n ${link.n}${link.extraParams === undefined ? "" : ` + ${link.extraParams.map(([k, v]) => `${k}=${v}`).join("&")}`}`;
  const body = tags.body;
  const quirks = [
    body.contentType === "application/json" ? "" : `content-type ${body.contentType}`,
    `empty repository → ${body.emptyRepository}`,
    body.nullEntryPerPage === true ? "null entries" : "",
    body.repeatPreviousLast === true ? "duplicates across pages" : "",
    body.digestEntriesEvery === undefined ? "" : `digests listed as tags (every ${body.digestEntriesEvery})`,
    body.gcrExtras === true ? "gcr manifest/child extras" : "",
  ].filter((s) => s !== "");
  return [`tags: ${tags.order} order; ${describePaging(tags.paging)}`, `${linkLine}; ${quirks.join(", ")}`];
}

function describeCatalog(catalog: CatalogProfile): string {
  if (catalog.kind === "paginated") return `catalog: paginated (${describePaging(catalog.paging)})`;
  return `catalog: refused (${catalog.answer === "insufficient-scope" ? "401 insufficient_scope" : answer(catalog.answer)})`;
}

/** A few lines about what the profile does: auth, token, paging, links, body quirks, faults, sources. */
export function describeProfile(profile: EmulatorProfile): string[] {
  const faults = Object.entries(profile.faults ?? {})
    .filter(([, value]) => value !== undefined && value !== false)
    .map(([key]) => key);
  return [
    `${profile.id}: ${profile.title}`,
    describeAuth(profile.auth),
    ...describeToken(profile.auth),
    `ping: anonymous ${profile.ping.anonymousStatus}${profile.ping.challengeOn200 === true ? " with challenge" : ""}`,
    ...describeTags(profile.tags),
    describeCatalog(profile.catalog),
    ...(faults.length > 0 ? [`faults: ${faults.join(", ")}`] : []),
    ...profile.source.map((source) => `source: ${source}`),
  ];
}
