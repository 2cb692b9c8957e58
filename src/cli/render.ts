/**
 * Output shapes of `regtags ls` for scripts and people. Pure: rows in,
 * text out.
 *
 * - lines (default): the tag, or tab-separated fields when more were asked for
 * - json: skopeo's `{"Repository", "Tags"}` when only tags were asked for;
 *   otherwise the same plus `"Details": [{"Tag", "Digest", …}]`
 * - ndjson: one JSON object per tag
 * - table: aligned columns with a header
 * - csv: RFC 4180, with a header
 * - a field list (`tag,digest,updated`) prints those fields tab-separated
 * - a template (`{{.Tag}} {{.Digest}}`) is filled per tag, Go-template style
 */
import { UsageError } from "../index.js";

export interface TagRow {
  readonly tag: string;
  readonly digest?: string | undefined;
  readonly updated?: Date | undefined;
  readonly created?: Date | undefined;
  readonly size?: number | undefined;
  readonly platforms?: readonly string[] | undefined;
}

export const FIELDS = ["tag", "digest", "updated", "created", "size", "platforms"] as const;
export type Field = (typeof FIELDS)[number];

const JSON_NAMES: Record<Field, string> = { tag: "Tag", digest: "Digest", updated: "Updated", created: "Created", size: "Size", platforms: "Platforms" };

export type OutputFormat =
  | { kind: "lines" | "json" | "ndjson" | "table" | "csv"; fields: readonly Field[] }
  | { kind: "template"; template: string; fields: readonly Field[] };

/**
 * Parses `--format`: a named format, a comma-separated field list, or a
 * template with `{{.Field}}` placeholders. `extraFields` are the fields other
 * flags asked for (e.g. `--digests` → digest).
 */
export function parseOutputFormat(format: string | undefined, json: boolean, extraFields: readonly Field[]): OutputFormat {
  const fields: Field[] = ["tag", ...extraFields.filter((f) => f !== "tag")];
  if (json) {
    if (format !== undefined && format !== "json") throw new UsageError("--json and --format are exclusive; use --format json");
    return { kind: "json", fields };
  }
  if (format === undefined || format === "lines") return { kind: "lines", fields };
  if (format === "json" || format === "ndjson" || format === "table" || format === "csv") return { kind: format, fields };
  if (format.includes("{{")) {
    const used: Field[] = [];
    for (const match of format.matchAll(/\{\{\s*\.(\w+)\s*\}\}/g)) used.push(toField(match[1]!, format));
    return { kind: "template", template: format, fields: [...new Set<Field>(["tag", ...used])] };
  }
  if (/^[\w,\s]+$/.test(format)) {
    const list = format.split(",").map((name) => toField(name.trim(), format));
    return { kind: "lines", fields: [...new Set(list)] };
  }
  throw new UsageError(`--format ${JSON.stringify(format)}: use lines, json, ndjson, table, csv, a field list like tag,digest,updated, or a template like '{{.Tag}} {{.Digest}}'`);
}

function toField(name: string, format: string): Field {
  const field = name.toLowerCase() as Field;
  if (!FIELDS.includes(field)) throw new UsageError(`--format ${JSON.stringify(format)}: unknown field ${JSON.stringify(name)}; fields are ${FIELDS.join(", ")}`);
  return field;
}

function fieldText(row: TagRow, field: Field): string {
  const value = row[field];
  if (value === undefined) return "";
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.join(",");
  return String(value);
}

function fieldJson(row: TagRow, field: Field): unknown {
  const value = row[field];
  return value instanceof Date ? value.toISOString() : value;
}

/** Text for rows that stream (lines, ndjson, template, csv without its header): one line per row. */
export function renderStreamingRows(rows: readonly TagRow[], format: OutputFormat): string {
  if (rows.length === 0) return "";
  switch (format.kind) {
    case "lines":
      return `${rows.map((row) => format.fields.map((f) => fieldText(row, f)).join("\t")).join("\n")}\n`;
    case "ndjson":
      return `${rows.map((row) => JSON.stringify(Object.fromEntries(format.fields.map((f) => [f, fieldJson(row, f) ?? null])))).join("\n")}\n`;
    case "template":
      return `${rows.map((row) => format.template.replace(/\{\{\s*\.(\w+)\s*\}\}/g, (_, name: string) => fieldText(row, name.toLowerCase() as Field))).join("\n")}\n`;
    case "csv":
      return `${rows.map((row) => format.fields.map((f) => csvCell(fieldText(row, f))).join(",")).join("\n")}\n`;
    default:
      throw new Error(`${format.kind} does not stream`);
  }
}

export function csvHeader(format: OutputFormat): string {
  return `${format.fields.join(",")}\n`;
}

function csvCell(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Whole-list renderings: json and table need every row first. */
export function renderWhole(repository: string, rows: readonly TagRow[], format: OutputFormat): string {
  if (format.kind === "json") {
    const tags = rows.map((r) => r.tag);
    if (format.fields.length === 1) return `${JSON.stringify({ Repository: repository, Tags: tags }, null, 4)}\n`;
    const details = rows.map((row) => Object.fromEntries(format.fields.map((f) => [JSON_NAMES[f], fieldJson(row, f) ?? null])));
    return `${JSON.stringify({ Repository: repository, Tags: tags, Details: details }, null, 4)}\n`;
  }
  if (format.kind === "table") {
    const header = format.fields.map((f) => f.toUpperCase());
    const body = rows.map((row) => format.fields.map((f) => fieldText(row, f)));
    const widths = header.map((h, i) => Math.max(h.length, ...body.map((cells) => cells[i]!.length)));
    const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join("  ").trimEnd();
    return `${[header, ...body].map(line).join("\n")}\n`;
  }
  if (format.kind === "csv") return csvHeader(format) + renderStreamingRows(rows, format);
  return renderStreamingRows(rows, format);
}

/** `--group-by-digest`: tags that share a manifest, digest first. */
export function renderDigestGroups(repository: string, rows: readonly TagRow[], json: boolean): string {
  const groups = new Map<string, string[]>();
  for (const row of rows) {
    const key = row.digest ?? "";
    const list = groups.get(key);
    if (list === undefined) groups.set(key, [row.tag]);
    else list.push(row.tag);
  }
  if (json) {
    const digests = [...groups].map(([digest, tags]) => ({ Digest: digest || null, Tags: tags }));
    return `${JSON.stringify({ Repository: repository, Digests: digests }, null, 4)}\n`;
  }
  return [...groups].map(([digest, tags]) => `${digest || "-"}\t${tags.join(" ")}\n`).join("");
}
