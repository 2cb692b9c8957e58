/**
 * Which endpoint a request is for, and its answer. The kinds here are the ones the
 * request log counts. Routes follow distribution's (registry/api/v2/routes.go): the
 * name is everything between `/v2/` and the endpoint suffix.
 */
import { answerPing } from "./auth.js";
import { answerCatalog } from "./catalog.js";
import type { Call, RegistryContext } from "./context.js";
import { answerManifest } from "./manifests.js";
import { applyQuota } from "./quota.js";
import { routeNotFound, type Reply } from "./reply.js";
import { answerTags, type FaultState } from "./tags.js";
import { answerTokenRequest, isRealmPath } from "./token-endpoint.js";
import { answerVendorApi } from "./vendor-api.js";
import type { RequestKind } from "./types.js";

const TAGS = /^\/v2\/(.+)\/tags\/list$/;
const MANIFEST = /^\/v2\/(.+)\/manifests\/([^/]+)$/;

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Routes one request and answers it. `state` counts tags requests (and the quota) for the faults. */
export function route(ctx: RegistryContext, call: Call, state: FaultState): { kind: RequestKind; reply: Reply } {
  const auth = ctx.profile.auth;
  const isTokenPath = auth.kind === "bearer" && isRealmPath(auth, call.path);
  if (call.listener === "auth") {
    return isTokenPath && auth.kind === "bearer"
      ? { kind: "token", reply: answerTokenRequest(ctx, auth, call) }
      : { kind: "other", reply: routeNotFound() };
  }
  if (isTokenPath && auth.kind === "bearer" && auth.realm.server === "registry") {
    return { kind: "token", reply: answerTokenRequest(ctx, auth, call) };
  }
  if (call.path === "/v2/" || call.path === "/v2") {
    return { kind: "ping", reply: answerPing(ctx, call) };
  }
  if (call.path === "/v2/_catalog") return { kind: "catalog", reply: answerCatalog(ctx, call) };
  // Before the tags route: Hub's tags API path also starts with /v2/.
  const vendor = answerVendorApi(ctx, call);
  if (vendor !== undefined) return { kind: "vendor", reply: vendor };
  const tags = TAGS.exec(call.path);
  if (tags !== null) {
    state.tagsRequests++;
    return { kind: "tags", reply: applyQuota(ctx, call, "tags", answerTags(ctx, call, decode(tags[1] ?? ""), state), state) };
  }
  const manifest = MANIFEST.exec(call.path);
  if (manifest !== null) {
    return { kind: "manifest", reply: applyQuota(ctx, call, "manifest", answerManifest(ctx, call, decode(manifest[1] ?? ""), decode(manifest[2] ?? "")), state) };
  }
  return { kind: "other", reply: routeNotFound() };
}
