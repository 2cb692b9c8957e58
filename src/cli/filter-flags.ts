/**
 * The tag filters `ls`, `latest` and `watch` share: one flag table and one
 * reading of it, so the commands cannot drift apart.
 */
import { UsageError } from "../errors.js";
import { compileFilter, type TagFilter } from "../tags/filter.js";
import { VERSION_SCHEMES, type VersionReading } from "../tags/reader.js";
import type { VersionScheme } from "../tags/version.js";

export const FILTER_FLAGS = {
  include: { type: "string", multiple: true },
  exclude: { type: "string", multiple: true },
  "version-range": { type: "string" },
  variant: { type: "string" },
  "omit-digest-tags": { type: "boolean" },
  "no-prerelease": { type: "boolean" },
  scheme: { type: "string" },
  "version-regex": { type: "string" },
} as const;

/** The filter (without a limit) and version reading the flags ask for; a bad scheme, regex or range fails here, before any request. */
export function readFilterFlags(values: Record<string, unknown>): { filter: Omit<TagFilter, "limit">; reading: VersionReading } {
  const text = (name: string) => values[name] as string | undefined;
  const scheme = text("scheme") as VersionScheme | undefined;
  if (scheme !== undefined && !VERSION_SCHEMES.includes(scheme)) throw new UsageError(`--scheme takes ${VERSION_SCHEMES.join(", ")}, got ${JSON.stringify(scheme)}`);
  const filter: Omit<TagFilter, "limit"> = {
    include: values["include"] as string[] | undefined,
    exclude: values["exclude"] as string[] | undefined,
    versionRange: text("version-range"),
    variant: text("variant"),
    omitDigestTags: values["omit-digest-tags"] === true,
    noPrerelease: values["no-prerelease"] === true,
  };
  const reading: VersionReading = { scheme, versionRegex: text("version-regex") };
  compileFilter(filter, reading);
  return { filter, reading };
}
