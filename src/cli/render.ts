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
 *
 * Every field comes from a server, so none is printed raw (issue 10, item 3):
 * in text formats controls, bidi and other invisible characters are escaped
 * (`\x1b`, `\u202e`) and a field is capped at {@link OUTPUT_FIELD_LIMIT}; in
 * JSON they are `\uXXXX` escapes (the same JSON value); a CSV cell never
 * starts a formula.
 */
import { UsageError } from "../errors.js";
import { escapeJsonText, escapeServerText } from "../text/safe-text.js";

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

/** Longest field shown in text formats: a tag is at most 128 characters, a digest about 135. */
export const OUTPUT_FIELD_LIMIT = 1024;

/** A server-sent string as text output shows it: escaped and capped. */
export function safeField(text: string): string {
  return escapeServerText(text, OUTPUT_FIELD_LIMIT);
}

function fieldText(row: TagRow, field: Field): string {
  const value = row[field];
  if (value === undefined) return "";
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return safeField(value.join(","));
  return safeField(String(value));
}

/** JSON.stringify, with the characters it leaves raw (C1, bidi, U+2028/U+2029) written as \u escapes. */
function safeJson(value: unknown, indent?: number): string {
  return escapeJsonText(JSON.stringify(value, null, indent));
}

/** Names (tags, repositories), one per line, escaped: the plain listing's fast path. */
export function renderNameLines(names: readonly string[]): string {
  if (names.length === 0) return "";
  let out = "";
  for (const name of names) out += `${safeField(name)}\n`;
  return out;
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
      return `${rows.map((row) => safeJson(Object.fromEntries(format.fields.map((f) => [f, fieldJson(row, f) ?? null])))).join("\n")}\n`;
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

/**
 * One CSV cell (RFC 4180 §2: quoted when it holds a quote, comma or line
 * break; quotes doubled). A cell that a spreadsheet would read as a formula
 * (starting with =, +, -, @, TAB or CR) gets a leading ' (OWASP, CSV Injection).
 */
export function csvCell(text: string): string {
  const cell = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

/** Whole-list renderings: json and table need every row first. */
export function renderWhole(repository: string, rows: readonly TagRow[], format: OutputFormat): string {
  if (format.kind === "json") {
    const tags = rows.map((r) => r.tag);
    if (format.fields.length === 1) return `${safeJson({ Repository: repository, Tags: tags }, 4)}\n`;
    const details = rows.map((row) => Object.fromEntries(format.fields.map((f) => [JSON_NAMES[f], fieldJson(row, f) ?? null])));
    return `${safeJson({ Repository: repository, Tags: tags, Details: details }, 4)}\n`;
  }
  if (format.kind === "table") return renderTable(rows, format.fields);
  if (format.kind === "csv") return csvHeader(format) + renderStreamingRows(rows, format);
  return renderStreamingRows(rows, format);
}

/** Aligned columns. Widths by a loop: Math.max(...column) overflows the stack past ~125k rows. */
function renderTable(rows: readonly TagRow[], fields: readonly Field[]): string {
  const header = fields.map((f) => f.toUpperCase());
  const body = rows.map((row) => fields.map((f) => fieldText(row, f)));
  const widths = header.map((h) => h.length);
  for (const cells of body) {
    for (let i = 0; i < cells.length; i++) if (cells[i]!.length > widths[i]!) widths[i] = cells[i]!.length;
  }
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join("  ").trimEnd();
  let out = `${line(header)}\n`;
  for (const cells of body) out += `${line(cells)}\n`;
  return out;
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
    return `${safeJson({ Repository: repository, Digests: digests }, 4)}\n`;
  }
  return [...groups].map(([digest, tags]) => `${digest === "" ? "-" : safeField(digest)}\t${tags.map(safeField).join(" ")}\n`).join("");
}
