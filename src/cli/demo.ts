/**
 * `regtags demo`: the README's first command. Starts the emulator's profiles
 * of the field report's registries (and a few more) on loopback, lists a
 * repository from each through the real client, and prints what differed:
 * auth, token, page sizes, link style and the requests it took. Needs no
 * network beyond 127.0.0.1.
 */
import { defaultRepositories, startEmulator } from "../emulator/index.js";
import { createClient } from "../client.js";
import type { TraceEvent } from "../transport/trace.js";
import { writeOut } from "./output.js";

/** Which registry name each profile plays, and what the demo lists there. */
const DEMO: ReadonlyArray<{ profile: string; reference: string }> = [
  { profile: "dockerhub", reference: "docker.io/library/ubuntu" },
  { profile: "ghcr", reference: "ghcr.io/linuxserver/hedgedoc" },
  { profile: "quay-2023", reference: "quay.io/ansible/creator-ee" },
  { profile: "quay-2024", reference: "quay.io/ansible/creator-ee" },
  { profile: "distribution-2.8", reference: "registry.example/big/repo" },
  { profile: "distribution-3", reference: "registry.example/big/repo" },
  { profile: "ecr", reference: "registry.example/big/repo" },
];

interface Row {
  profile: string;
  reference: string;
  tags: number;
  exact: boolean;
  requests: number;
  tokenRequests: number;
  pages: number;
  auth: string;
  paging: string;
}

export async function runDemo(_argv: string[]): Promise<number> {
  const repositories = defaultRepositories();
  const emulator = await startEmulator({ profiles: DEMO.map((d) => d.profile), users: { demo: "demo-password" } });
  const rows: Row[] = [];
  try {
    for (const { profile, reference } of DEMO) {
      const registry = emulator.get(profile);
      const name = reference.slice(0, reference.indexOf("/"));
      const events: TraceEvent[] = [];
      const client = createClient({
        endpoints: { [name]: registry.url },
        credentials: { username: "demo", password: "demo-password" },
        onTrace: (event) => events.push(event),
      });
      try {
        const list = await client.listTags(reference);
        const expected = repositories[reference.slice(name.length + 1)]?.tags ?? [];
        rows.push({
          profile,
          reference,
          tags: list.tags.length,
          exact: sameSet(list.tags, expected),
          requests: registry.counts().total,
          tokenRequests: registry.counts().token,
          pages: list.pages,
          auth: describeAuth(events),
          paging: describePaging(events),
        });
      } finally {
        await client.close();
      }
    }
  } finally {
    await emulator.close();
  }
  await writeOut(renderTable(rows));
  return rows.every((row) => row.exact) ? 0 : 1;
}

function sameSet(listed: readonly string[], expected: readonly string[]): boolean {
  const want = new Set(expected);
  return listed.length === want.size && listed.every((tag) => want.has(tag));
}

/** What the client learnt about auth, from its own trace. */
function describeAuth(events: TraceEvent[]): string {
  const challenge = events.find((e): e is Extract<TraceEvent, { type: "auth" }> => e.type === "auth" && e.message.includes(" wants "));
  const token = events.find((e): e is Extract<TraceEvent, { type: "token" }> => e.type === "token" && e.source === "fetched");
  if (challenge === undefined) return "no auth needed: read anonymously without a token";
  const wanted = challenge.message.slice(challenge.message.indexOf(" wants ") + 7).replace(/realm=http:\/\/127\.0\.0\.1:\d+/, "realm=…");
  return token === undefined ? wanted : `${wanted}; token valid ${token.expiresInSeconds} s`;
}

/** Page sizes and the shape of the next links, from the trace. */
function describePaging(events: TraceEvent[]): string {
  const pages = events.filter((e): e is Extract<TraceEvent, { type: "page" }> => e.type === "page");
  if (pages.length === 0) return "";
  const sizes = [...new Set(pages.map((p) => p.tags))].slice(0, 3).join("/");
  const next = pages.find((p) => p.next !== undefined)?.next;
  if (next === undefined) return `1 page of ${sizes}, no Link`;
  const query = new URL(next).search.replace(/(next_page|last)=([^&]{12})[^&]*/, "$1=$2…");
  return `pages of ${sizes}; next link ${query}`;
}

function renderTable(rows: Row[]): string {
  const header = ["profile", "listed", "exact", "requests", "token", "pages", "auth seen", "pagination seen"];
  const body = rows.map((r) => [r.profile, String(r.tags), r.exact ? "yes" : "NO", String(r.requests), String(r.tokenRequests), String(r.pages), r.auth, r.paging]);
  const widths = header.map((h, i) => body.reduce((widest, row) => Math.max(widest, row[i]!.length), h.length));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join("  ");
  const refs = rows.map((r) => `  ${r.profile.padEnd(widths[0]!)}  regtags ls ${r.reference}`).join("\n");
  return `regtags demo: the same client against emulated registries (loopback only)\n\n${line(header)}\n${body.map(line).join("\n")}\n\nrequests = everything the emulated registry and its token service received for the listing.\nWhat was listed:\n${refs}\n`;
}
