/**
 * `HEAD`/`GET /v2/<name>/manifests/<reference>` (DIG-1): every tag has a deterministic
 * digest, `sha256:<hex of sha256("<name>:<tag>")>`, sent as `Docker-Content-Digest`
 * with an OCI image manifest content type. The digest is an identifier the emulator
 * invents, not the hash of the body; clients read the header. Unknown tags and
 * digests: 404 MANIFEST_UNKNOWN.
 */
import { authorizePull } from "./auth.js";
import type { Call, RegistryContext } from "./context.js";
import { codeReply, type Reply } from "./reply.js";
import { digestOf } from "./store.js";

const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

/** A small valid-looking OCI image manifest for a tag. */
function manifestBody(name: string, tag: string): string {
  const config = digestOf(`${name}/config`, tag);
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: config, size: 2 },
    layers: [],
    annotations: { "org.opencontainers.image.ref.name": tag },
  });
}

/** Answers a manifest request for `name` and `reference` (a tag or a digest). */
export function answerManifest(ctx: RegistryContext, call: Call, name: string, reference: string): Reply {
  if (call.method !== "GET" && call.method !== "HEAD") return codeReply(405, "UNSUPPORTED");
  const repo = ctx.repositories.get(name);
  const decision = authorizePull(ctx, call, name, repo);
  if (!decision.allowed) return decision.reply;
  if (repo === undefined) return codeReply(404, ctx.profile.errors.nameUnknownCode, { name });
  const tag = reference.startsWith("sha256:") ? repo.tagOfDigest(reference) : repo.tags.includes(reference) ? reference : undefined;
  if (tag === undefined) return codeReply(404, "MANIFEST_UNKNOWN", { tag: reference });
  return {
    status: 200,
    headers: { "content-type": OCI_MANIFEST, "docker-content-digest": digestOf(name, tag) },
    body: manifestBody(name, tag),
    headOnly: call.method === "HEAD",
  };
}
