/**
 * `GET /v2/_catalog` (CAT-1): the repository list, paginated like tags (lexical order,
 * `n`/`last`, Link), private repositories only for authenticated callers; or refused
 * the way the profile's registry refuses it (Hub: 401 insufficient_scope forever, TOK-8).
 */
import { authorizeCatalog } from "./auth.js";
import { bearerChallenge } from "./challenge.js";
import type { Call, RegistryContext } from "./context.js";
import { linkHeader, nextUrl } from "./link.js";
import { cutPage } from "./paging.js";
import { answerReply, codeReply, jsonReply, type Reply } from "./reply.js";
import { compareLexically } from "./store.js";
import { CATALOG_SCOPE } from "./tokens.js";

/** Hub's refusal: whatever the token, the scope is never there. */
function insufficientScope(ctx: RegistryContext): Reply {
  const auth = ctx.profile.auth;
  const headers: Record<string, string> =
    auth.kind === "bearer" ? { "www-authenticate": bearerChallenge(auth, ctx, { scope: CATALOG_SCOPE, error: "insufficient_scope" }) } : {};
  return codeReply(401, "UNAUTHORIZED", [{ Type: "registry", Class: "", Name: "catalog", Action: "*" }], headers);
}

/** Answers a catalog request. */
export function answerCatalog(ctx: RegistryContext, call: Call): Reply {
  if (call.method !== "GET") return codeReply(405, "UNSUPPORTED");
  const catalog = ctx.profile.catalog;
  if (catalog.kind === "refused" && catalog.answer !== "insufficient-scope") return answerReply(catalog.answer);
  const decision = authorizeCatalog(ctx, call);
  if (!decision.allowed) return decision.reply;
  if (catalog.kind === "refused") return insufficientScope(ctx);

  const seesPrivate = ctx.profile.auth.kind === "none" || decision.user !== undefined;
  const names = [...ctx.repositories.values()]
    .filter((repo) => seesPrivate || !repo.isPrivate)
    .map((repo) => repo.name)
    .sort(compareLexically);
  const positions = new Map(names.map((name, i) => [name, i]));
  const page = cutPage({
    listing: names,
    position: (name) => positions.get(name),
    lexical: true,
    query: call.query,
    paging: catalog.paging,
    codec: undefined,
  });
  if (page.kind === "error") return answerReply(page.answer);
  const url = page.next === undefined ? undefined : nextUrl(catalog.link, { path: "/v2/_catalog", origin: ctx.origin }, page.next);
  return jsonReply(200, { repositories: page.entries }, url === undefined ? {} : { link: linkHeader(catalog.link, url) });
}
