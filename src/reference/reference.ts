/**
 * Image references: parsing, normalising and formatting `name[:tag][@digest]`
 * the way the Docker CLI and distribution/reference do (REF-1..REF-9). This
 * module is pure: it does no I/O and knows nothing about endpoints, so
 * `docker.io` stays `docker.io` here; mapping it to `registry-1.docker.io` is
 * the client's job. Scanning is hand-written and linear, so hostile input
 * cannot make it backtrack.
 */

import { InvalidReferenceError } from "../errors.js";

/** A parsed, normalised image reference. */
export interface Reference {
  /** Normalised registry host[:port]: "docker.io" for Docker Hub (index.docker.io and registry-1.docker.io normalise to docker.io), "ghcr.io", "127.0.0.1:5000", "[fc00::1]:5000", "localhost". */
  readonly registry: string;
  /** Repository path, e.g. "library/ubuntu". */
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
  /** `${registry}/${repository}` e.g. "docker.io/library/ubuntu" (what skopeo prints as "Repository"). */
  readonly name: string;
}

const DOCKER_HUB = "docker.io";
/** REF-4: aliases of Docker Hub that users and old configs write. */
const DOCKER_HUB_ALIASES = new Set(["docker.io", "index.docker.io", "registry-1.docker.io"]);
/** REF-7: distribution/reference NameTotalLengthMax, applied to the path. */
const MAX_PATH_LENGTH = 255;
/** REF-2. Linear: a single class followed by a bounded class. */
const TAG_RE = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
/** OCI image-spec descriptor.md, Digests: algorithm-component and separator classes are disjoint, so no backtracking. */
const ALGORITHM_RE = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*$/;
const ENCODED_RE = /^[a-zA-Z0-9=_-]+$/;
const IMAGE_ID_RE = /^[a-f0-9]{64}$/;
const SCHEME_RE = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//;
/** skopeo's and podman's transport for a registry (containers-transports(5)): `docker://REF` is REF. */
const DOCKER_TRANSPORT = "docker://";
/**
 * The other containers-transports(5) name local storage (an OCI layout, an
 * archive, the Docker daemon): nothing to list tags of. `dir:5000/x` is still
 * a registry with a port, hence the lookahead.
 */
const LOCAL_TRANSPORT_RE = /^(oci|oci-archive|docker-archive|docker-daemon|containers-storage|dir|sif|tarball|ostree):(?!\d+\/)/;

/**
 * Parses and normalises an image reference (REF-1..REF-8).
 *
 * A first path component is a registry only when it is `localhost`, contains
 * `.` or `:`, or has an uppercase letter (REF-3); otherwise the registry is
 * `docker.io`, and a one-component Docker Hub path gets `library/` (REF-4).
 * skopeo's `docker://` transport prefix is accepted and dropped
 * (`docker://ubuntu` is `ubuntu`); its other transports (`oci:`,
 * `docker-archive:`, …) are refused: they name local storage.
 *
 * @throws InvalidReferenceError with a one-line reason and what to do.
 * @example
 * parseReference("ubuntu:24.04");
 * // { registry: "docker.io", repository: "library/ubuntu", tag: "24.04", name: "docker.io/library/ubuntu" }
 */
export function parseReference(text: string): Reference {
  const fail = (reason: string): never => {
    throw new InvalidReferenceError(text, reason);
  };
  const input = text.startsWith(DOCKER_TRANSPORT) ? text.slice(DOCKER_TRANSPORT.length) : text;
  const transport = LOCAL_TRANSPORT_RE.exec(input)?.[1];
  if (transport !== undefined) fail(`regtags lists the tags of registry repositories only; the ${transport}: transport names local storage (use REF or docker://REF)`);
  if (input.length === 0) fail("the reference is empty; give a repository such as \"library/ubuntu\"");
  if (input.trim() !== input) fail("remove the leading or trailing whitespace");
  if (SCHEME_RE.test(input)) fail("drop the scheme (\"https://\"); write host/repository, e.g. \"ghcr.io/owner/name\"");
  // REF-6: `docker pull <64 hex>` means an image ID, never a repository.
  if (IMAGE_ID_RE.test(input)) fail("looks like an image ID; give a repository name");

  // A digest can contain ':' but never '@', and a name or tag never has '@'.
  let rest = input;
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    const problem = checkDigest(digest);
    if (problem !== undefined) fail(problem);
  }

  // The tag follows the last ':' after the last '/'; an earlier ':' is a port.
  let tag: string | undefined;
  const colon = rest.lastIndexOf(":");
  if (colon > rest.lastIndexOf("/")) {
    if (rest.startsWith("[") && !rest.includes("/")) {
      fail("an IPv6 registry needs a repository path, e.g. \"[fc00::1]:5000/name\"");
    }
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    const problem = checkTag(tag);
    if (problem !== undefined) fail(problem);
  }
  if (rest.length === 0) fail("the repository name is missing");

  // REF-3: splitDockerDomain in distribution/reference normalize.go.
  const slash = rest.indexOf("/");
  let registry = DOCKER_HUB;
  let repository = rest;
  if (slash !== -1) {
    const first = rest.slice(0, slash);
    if (first === "localhost" || first.includes(".") || first.includes(":") || first !== first.toLowerCase()) {
      registry = first;
      repository = rest.slice(slash + 1);
      const problem = checkRegistry(registry);
      if (problem !== undefined) fail(problem);
    }
  }
  // REF-4: one name for Docker Hub; `library/` only there and only for one component.
  if (DOCKER_HUB_ALIASES.has(registry.toLowerCase())) registry = DOCKER_HUB;
  if (registry === DOCKER_HUB && repository.length > 0 && !repository.includes("/")) {
    repository = `library/${repository}`;
  }

  const problem = checkPath(repository);
  if (problem !== undefined) fail(problem);

  return {
    registry,
    repository,
    ...(tag === undefined ? {} : { tag }),
    ...(digest === undefined ? {} : { digest }),
    name: `${registry}/${repository}`,
  };
}

/**
 * Formats a reference as `registry/repository[:tag][@digest]`, which
 * {@link parseReference} reads back to the same value.
 */
export function formatReference(ref: Reference): string {
  let text = `${ref.registry}/${ref.repository}`;
  if (ref.tag !== undefined) text += `:${ref.tag}`;
  if (ref.digest !== undefined) text += `@${ref.digest}`;
  return text;
}

/**
 * True when `registry` (host with or without port) is localhost, in
 * 127.0.0.0/8 or `[::1]`: the hosts Docker lets speak plain HTTP without being
 * told (REF-9).
 */
export function isLoopbackRegistry(registry: string): boolean {
  let host = registry.toLowerCase();
  if (host.startsWith("[")) {
    const close = host.indexOf("]");
    if (close === -1) return false;
    const after = host.slice(close + 1);
    if (after !== "" && !/^:[0-9]+$/.test(after)) return false;
    return isIpv6Loopback(host.slice(1, close));
  }
  const colons = host.split(":").length - 1;
  if (colons > 1) return isIpv6Loopback(host); // bare IPv6 has no port
  if (colons === 1) {
    const [name, port] = host.split(":") as [string, string];
    if (!/^[0-9]+$/.test(port)) return false;
    host = name;
  }
  if (host === "localhost") return true;
  const octets = host.split(".");
  return (
    octets.length === 4 &&
    octets[0] === "127" &&
    octets.every((o) => /^[0-9]{1,3}$/.test(o) && Number(o) <= 255)
  );
}

/** `::1` in any spelling (`0:0:0:0:0:0:0:1`, `::0001`). */
function isIpv6Loopback(address: string): boolean {
  if (!/^[0-9a-f:]+$/.test(address)) return false;
  const halves = address.split("::");
  if (halves.length > 2) return false;
  const groups = (part: string | undefined): string[] => (part === undefined || part === "" ? [] : part.split(":"));
  const head = groups(halves[0]);
  const tail = groups(halves[1]);
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return false;
  const all = [...head, ...Array<string>(missing).fill("0"), ...tail];
  if (!all.every((g) => g.length >= 1 && g.length <= 4)) return false;
  return all.every((g, i) => parseInt(g, 16) === (i === 7 ? 1 : 0));
}

/** REF-2. */
function checkTag(tag: string): string | undefined {
  if (tag.length === 0) return "the tag after ':' is empty; remove the ':' or give a tag";
  if (tag.length > 128) return `the tag is ${tag.length} characters; at most 128 are allowed`;
  if (!TAG_RE.test(tag)) {
    return `tag ${JSON.stringify(short(tag))} is invalid; a tag is letters, digits, '_', '.', '-' and must not start with '.' or '-'`;
  }
  return undefined;
}

/** REF-8: `alg:encoded`; sha256 and sha512 strictly, others by the OCI grammar. */
function checkDigest(digest: string): string | undefined {
  if (digest.length === 0) return "the digest after '@' is empty; remove the '@' or give \"sha256:<64 hex>\"";
  const sep = digest.indexOf(":");
  if (sep === -1) return `digest ${JSON.stringify(short(digest))} has no algorithm; write it as "sha256:<64 hex>"`;
  const algorithm = digest.slice(0, sep);
  const encoded = digest.slice(sep + 1);
  if (algorithm === "sha256" || algorithm === "sha512") {
    const length = algorithm === "sha256" ? 64 : 128;
    if (encoded.length !== length || !/^[a-f0-9]+$/.test(encoded)) {
      return `a ${algorithm} digest must be ${length} lowercase hex characters after "${algorithm}:"`;
    }
    return undefined;
  }
  if (!ALGORITHM_RE.test(algorithm)) {
    return `digest algorithm ${JSON.stringify(short(algorithm))} is invalid; use e.g. "sha256:<64 hex>"`;
  }
  if (!ENCODED_RE.test(encoded)) return "the digest's encoded part is empty or has invalid characters";
  return undefined;
}

/** REF-1 domain: DNS labels or `[ipv6]`, then an optional numeric port. */
function checkRegistry(registry: string): string | undefined {
  let host = registry;
  let port: string | undefined;
  if (registry.startsWith("[")) {
    const close = registry.indexOf("]");
    if (close === -1) return "the IPv6 registry address has no closing ']'";
    host = registry.slice(1, close);
    if (!/^[0-9a-fA-F:]+$/.test(host) || !host.includes(":")) {
      return `registry ${JSON.stringify(short(registry))} has an invalid IPv6 address in brackets`;
    }
    const after = registry.slice(close + 1);
    if (after !== "") {
      if (!after.startsWith(":")) return `registry ${JSON.stringify(short(registry))}: only ":port" may follow "]"`;
      port = after.slice(1);
    }
  } else {
    const parts = registry.split(":");
    if (parts.length > 2) {
      return "an IPv6 registry address must be in brackets, e.g. \"[fc00::1]:5000/name\"";
    }
    host = parts[0] ?? "";
    port = parts[1];
    const labels = host.split(".");
    for (const label of labels) {
      if (label.length > 63 || !/^[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$/.test(label)) {
        return `registry host ${JSON.stringify(short(host))} is not a valid host name`;
      }
    }
  }
  if (port !== undefined && (!/^[0-9]{1,5}$/.test(port) || Number(port) > 65535)) {
    return `registry port ${JSON.stringify(short(port))} must be a number from 0 to 65535`;
  }
  return undefined;
}

/** REF-1 path, REF-5 lowercase, REF-7 length. */
function checkPath(path: string): string | undefined {
  if (path.length === 0) return "the repository path is empty; give e.g. \"owner/name\"";
  if (/[A-Z]/.test(path)) return `repository name must be lowercase (got ${JSON.stringify(short(path))})`;
  if (path.length > MAX_PATH_LENGTH) {
    return `the repository path is ${path.length} characters; at most ${MAX_PATH_LENGTH} are allowed`;
  }
  for (const component of path.split("/")) {
    const problem = checkComponent(component);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

const isLowerAlnum = (c: string | undefined): boolean =>
  c !== undefined && ((c >= "a" && c <= "z") || (c >= "0" && c <= "9"));

/**
 * REF-1 path-component `[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*`, scanned by hand:
 * alternate runs of alphanumerics and single separators, never ending on one.
 */
function checkComponent(component: string): string | undefined {
  if (component.length === 0) return "the repository path has an empty component (\"//\" or a leading or trailing \"/\")";
  const bad = (why: string): string => `path component ${JSON.stringify(short(component))} ${why}`;
  let i = 0;
  for (;;) {
    const start = i;
    while (isLowerAlnum(component[i])) i++;
    if (i === start) {
      return start === 0
        ? bad("must start with a lowercase letter or digit")
        : bad("has a separator not followed by a letter or digit; use one '.', one or two '_', or '-'");
    }
    if (i === component.length) return undefined;
    const c = component[i];
    if (c === ".") i++;
    else if (c === "_") i += component[i + 1] === "_" ? 2 : 1;
    else if (c === "-") while (component[i] === "-") i++;
    else return bad(`has an invalid character ${JSON.stringify(c)}; use lowercase letters, digits, '.', '_', '-'`);
    if (i === component.length) return bad("must not end with a separator");
  }
}

function short(text: string): string {
  return text.length <= 80 ? text : `${text.slice(0, 80)}…`;
}

/**
 * A registry name as given to `catalog` or `ls --all`: `docker.io`,
 * `ghcr.io`, `127.0.0.1:5000`, `[::1]:5000`, `localhost`. Normalised like the
 * registry part of a reference (REF-3, REF-4); a scheme or path is an error.
 */
export function parseRegistryName(input: string): string {
  const text = input.trim();
  if (text.includes("/") || text === "") {
    throw new InvalidReferenceError(input, "a registry name is a host with an optional port, e.g. registry.example.com:5000 (no scheme, no path)");
  }
  const ref = parseReference(`${text}/x`);
  const looksLikeHost = text === "localhost" || text.includes(".") || text.includes(":") || text !== text.toLowerCase();
  if (!looksLikeHost) throw new InvalidReferenceError(input, "not a registry host: registry names contain a dot or a port, or are localhost");
  return ref.registry;
}
