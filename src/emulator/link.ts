/**
 * Writing the `Link: <url>; rel="next"` header (RFC 8288 §3) the way a profile's
 * registry does: relative or absolute, `n` before or after the cursor, which `n`
 * (echoed, clamped, `0` like ghcr, or none like ECR), extra parameters (ACR's
 * `orderby=`), raw or escaped values, and even without the angle brackets.
 */
import type { LinkProfile } from "./profile.js";
import type { NextPage } from "./paging.js";

/** Where a link points: path and origin it is built against. */
export interface LinkBase {
  /** e.g. `/v2/library/ubuntu/tags/list` */
  readonly path: string;
  /** Used by absolute links. */
  readonly origin: string;
}

function nValue(profile: LinkProfile, next: NextPage): string | undefined {
  switch (profile.n) {
    case "as-requested":
      return next.requestedN ?? String(next.effectiveN);
    case "as-requested-or-zero":
      return next.requestedN ?? "0";
    case "effective":
      return String(next.effectiveN);
    case "omit":
      return undefined;
    case "zero":
      return "0";
  }
}

/** The next page's URL (relative or absolute), or undefined when the profile sends no Link. */
export function nextUrl(profile: LinkProfile, base: LinkBase, next: NextPage): string | undefined {
  if (profile.form === "none") return undefined;
  const escape = profile.escape === false ? (value: string) => value : encodeURIComponent;
  const n = nValue(profile, next);
  const cursor = `${next.cursorParam}=${escape(next.cursor)}`;
  const params = n === undefined ? [cursor] : profile.order === "n-first" ? [`n=${escape(n)}`, cursor] : [cursor, `n=${escape(n)}`];
  for (const [key, value] of profile.extraParams ?? []) params.push(`${key}=${escape(value)}`);
  const relative = `${base.path}?${params.join("&")}`;
  return profile.form === "absolute" ? `${base.origin}${relative}` : relative;
}

/** The header value for a URL: `<url>; rel="next"`, or without `<>` when the profile drops them. */
export function linkHeader(profile: LinkProfile, url: string): string {
  return profile.angleBrackets === false ? `${url}; rel="next"` : `<${url}>; rel="next"`;
}
