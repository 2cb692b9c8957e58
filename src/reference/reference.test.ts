import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { InvalidReferenceError } from "../errors.js";
import { formatReference, isLoopbackRegistry, parseReference } from "./reference.js";
import { cpuMsOf } from "../../test/helpers/cpu-time.js";

const SHA256 = `sha256:${"a".repeat(64)}`;
const SHA512 = `sha512:${"0123456789abcdef".repeat(8)}`;

function rejects(input: string, reason: RegExp): void {
  assert.throws(
    () => parseReference(input),
    (e: unknown) => {
      assert.ok(e instanceof InvalidReferenceError, `expected InvalidReferenceError for ${JSON.stringify(input)}`);
      assert.equal(e.code, "ERR_INVALID_REFERENCE");
      assert.match(e.message, reason);
      assert.ok(!e.message.includes("\n"), "one-line message");
      return true;
    },
  );
}

describe("parseReference: REF-3 domain detection table", () => {
  const rows: Array<[string, string, string, string?]> = [
    ["ubuntu", "docker.io", "library/ubuntu"],
    ["docker.io/ubuntu", "docker.io", "library/ubuntu"],
    ["localhost/foo", "localhost", "foo"],
    ["localhost:5000", "docker.io", "library/localhost", "5000"],
    ["example.com", "docker.io", "library/example.com"],
    ["127.0.0.1:5000/debian", "127.0.0.1:5000", "debian"],
    ["[fc00::1]:5000/docker", "[fc00::1]:5000", "docker"],
  ];
  for (const [input, registry, repository, tag] of rows) {
    test(input, () => {
      const ref = parseReference(input);
      assert.equal(ref.registry, registry);
      assert.equal(ref.repository, repository);
      assert.equal(ref.tag, tag);
      assert.equal(ref.name, `${registry}/${repository}`);
    });
  }
  test("fc00::1:5000/debian is invalid (IPv6 needs brackets)", () => rejects("fc00::1:5000/debian", /must be in brackets/));
  test("[fc00::1] is invalid (no repository)", () => rejects("[fc00::1]", /needs a repository path/));
  test("[fc00::1]:5000 is invalid (no repository)", () => rejects("[fc00::1]:5000", /needs a repository path/));
});

describe("parseReference: normalisation (REF-4)", () => {
  const rows: Array<[string, string, string]> = [
    ["index.docker.io/ubuntu", "docker.io", "library/ubuntu"],
    ["registry-1.docker.io/ubuntu", "docker.io", "library/ubuntu"],
    ["registry-1.docker.io/bitnami/redis", "docker.io", "bitnami/redis"],
    ["docker.io/library/ubuntu", "docker.io", "library/ubuntu"],
    ["samalba/my-app", "docker.io", "samalba/my-app"],
    ["ghcr.io/owner/name", "ghcr.io", "owner/name"],
    ["ghcr.io/name", "ghcr.io", "name"], // library/ only on docker.io
    ["quay.io/a/b/c/d", "quay.io", "a/b/c/d"],
    ["Foo/bar", "Foo", "bar"], // uppercase first component is a domain (REF-3)
    ["localhost:5000/foo/bar", "localhost:5000", "foo/bar"],
    ["my-host:80/x", "my-host:80", "x"],
  ];
  for (const [input, registry, repository] of rows) {
    test(input, () => {
      const ref = parseReference(input);
      assert.deepEqual(ref, { registry, repository, name: `${registry}/${repository}` });
    });
  }
});

describe("parseReference: REF-1 path components", () => {
  for (const input of ["a__b", "a--b", "a.b", "a_b", "a-b-c", "a---b", "0", "a/b.c/d__e", "x9/y8"]) {
    test(`valid ${input}`, () => assert.equal(parseReference(`r.example/${input}`).repository, input));
  }
  const invalid: Array<[string, RegExp]> = [
    ["a___b", /separator not followed/],
    ["a..b", /separator not followed/],
    ["a._b", /separator not followed/],
    ["-docker/docker", /must start with a lowercase letter or digit/],
    ["docker///docker", /empty component/],
    ["docker/", /empty component/],
    ["foo-", /must not end with a separator/],
    ["foo_", /must not end with a separator/],
    ["fo o", /invalid character/],
    ["foo/b!r", /invalid character/],
  ];
  for (const [input, reason] of invalid) test(`invalid ${input}`, () => rejects(input, reason));
});

describe("parseReference: tags and digests (REF-2, REF-8)", () => {
  test("tag", () => assert.equal(parseReference("ubuntu:24.04").tag, "24.04"));
  test("tag is case-sensitive", () => assert.equal(parseReference("ubuntu:Latest_X-1.0").tag, "Latest_X-1.0"));
  test("tag may start with _", () => assert.equal(parseReference("u:_x").tag, "_x"));
  test("128-char tag", () => assert.equal(parseReference(`u:${"t".repeat(128)}`).tag?.length, 128));
  test("129-char tag", () => rejects(`u:${"t".repeat(129)}`, /at most 128/));
  test("tag starting with .", () => rejects("u:.x", /tag ".x" is invalid/));
  test("tag starting with -", () => rejects("u:-x", /is invalid/));
  test("empty tag", () => rejects("ubuntu:", /tag after ':' is empty/));
  test("sha256 digest", () => {
    assert.deepEqual(parseReference(`ubuntu@${SHA256}`), {
      registry: "docker.io",
      repository: "library/ubuntu",
      digest: SHA256,
      name: "docker.io/library/ubuntu",
    });
  });
  test("sha512 digest", () => assert.equal(parseReference(`ubuntu@${SHA512}`).digest, SHA512));
  test("tag and digest together", () => {
    const ref = parseReference(`localhost:5000/foo:1.0@${SHA256}`);
    assert.deepEqual(ref, {
      registry: "localhost:5000",
      repository: "foo",
      tag: "1.0",
      digest: SHA256,
      name: "localhost:5000/foo",
    });
    assert.equal(formatReference(ref), `localhost:5000/foo:1.0@${SHA256}`);
  });
  test("other algorithm by the OCI grammar", () => {
    assert.equal(parseReference("u@multihash+base58:QmRZxt2b1FVZPNqd8hsiykDL3TdBDeTSPX9Kv46HmX4Gx8").digest?.startsWith("multihash"), true);
  });
  test("short sha256", () => rejects(`u@sha256:${"a".repeat(63)}`, /64 lowercase hex/));
  test("uppercase sha256", () => rejects(`u@sha256:${"A".repeat(64)}`, /64 lowercase hex/));
  test("sha512 with 64 hex", () => rejects(`u@sha512:${"a".repeat(64)}`, /128 lowercase hex/));
  test("digest without algorithm", () => rejects("u@abc", /has no algorithm/));
  test("empty digest", () => rejects("u@", /digest after '@' is empty/));
  test("bad algorithm", () => rejects("u@SHA256:abc", /algorithm "SHA256" is invalid/));
  test("bad encoded", () => rejects("u@foo:a b", /encoded part/));
});

describe("parseReference: errors", () => {
  test("uppercase path (REF-5)", () => rejects("docker.io/Library/Ubuntu", /repository name must be lowercase/));
  test("uppercase one-component path (REF-5)", () => rejects("Ubuntu", /repository name must be lowercase/));
  test("uppercase after a domain (REF-5)", () => rejects("ghcr.io/Owner/name", /repository name must be lowercase/));
  test("64-hex image ID (REF-6)", () => rejects("a".repeat(64), /looks like an image ID; give a repository name/));
  test("64-hex with a domain is a name", () => assert.equal(parseReference(`r.io/${"a".repeat(64)}`).repository, "a".repeat(64)));
  test("255-char path (REF-7)", () => assert.equal(parseReference(`r.io/${"a".repeat(255)}`).repository.length, 255));
  test("256-char path (REF-7)", () => rejects(`r.io/${"a".repeat(256)}`, /256 characters; at most 255/));
  test("256-char path with library/ (REF-7)", () => rejects("a".repeat(248), /256 characters/));
  test("empty", () => rejects("", /empty/));
  test("leading whitespace", () => rejects(" ubuntu", /whitespace/));
  test("trailing newline", () => rejects("ubuntu\n", /whitespace/));
  test("scheme", () => rejects("https://ghcr.io/owner/name", /drop the scheme/));
  test("a scheme other than docker://", () => rejects("oras://ghcr.io/owner/name", /drop the scheme/));
  test("missing name", () => rejects(":tag", /missing/));
  test("digest only", () => rejects(`@${SHA256}`, /missing/));
  test("bad port", () => rejects("host:99999/x", /port/));
  test("empty port", () => rejects("host:/x", /port/));
  test("bad host label", () => rejects("-bad.example/x", /not a valid host name/));
  test("empty host label", () => rejects("a..b/x", /not a valid host name/));
  test("unclosed IPv6", () => rejects("[fc00::1/x", /closing/));
  test("junk after IPv6", () => rejects("[fc00::1]x/y", /only ":port"/));
  test("non-hex IPv6", () => rejects("[zz::1]:5000/x", /invalid IPv6/));
  test("message quotes the input", () => rejects("a..b", /^invalid reference "a\.\.b": /));
});

describe("parseReference: adversarial input runs in linear time (performance guard: CPU time)", () => {
  const inputs = [
    `a${"-".repeat(100_000)}!`,
    `a${"_".repeat(100_000)}`,
    `${"a.".repeat(50_000)}/x`,
    `x/${"a-".repeat(50_000)}`,
    `x/a${":".repeat(100_000)}`,
    `u@${"a+".repeat(50_000)}:x`,
    `u@x:${"=".repeat(100_000)} `,
    `u:${"a".repeat(100_000)}`,
    `${"[".repeat(100_000)}`,
    `${"a".repeat(100_000)}A`,
  ];
  for (const [i, input] of inputs.entries()) {
    test(`input ${i} (${input.length} chars)`, () => {
      const cpuMs = cpuMsOf(() => assert.throws(() => parseReference(input), InvalidReferenceError));
      assert.ok(cpuMs < 200, `fails fast: ${cpuMs.toFixed(0)} ms of CPU`);
    });
  }
});

describe("formatReference", () => {
  for (const input of ["ubuntu", "ubuntu:24.04", `ghcr.io/a/b@${SHA256}`, "[fc00::1]:5000/docker:t", "localhost/foo"]) {
    test(`round-trips ${input}`, () => {
      const ref = parseReference(input);
      assert.deepEqual(parseReference(formatReference(ref)), ref);
    });
  }
  test("full name", () => assert.equal(formatReference(parseReference("ubuntu:24.04")), "docker.io/library/ubuntu:24.04"));
});

describe("isLoopbackRegistry (REF-9)", () => {
  const yes = ["localhost", "localhost:5000", "LOCALHOST", "127.0.0.1", "127.0.0.1:5000", "127.255.0.9:80", "[::1]", "[::1]:5000", "[0:0:0:0:0:0:0:1]", "::1"];
  const no = ["docker.io", "ghcr.io", "128.0.0.1", "127.0.0.256", "127.0.0", "[::2]", "[fc00::1]:5000", "localhost.example", "10.0.0.1:5000", "localhost:x", "[::1]x", "[::1", "::"];
  for (const r of yes) test(`${r} is loopback`, () => assert.equal(isLoopbackRegistry(r), true));
  for (const r of no) test(`${r} is not loopback`, () => assert.equal(isLoopbackRegistry(r), false));
});

describe("parseReference: skopeo's transports (containers-transports(5))", () => {
  const same: Array<[string, string]> = [
    ["docker://ubuntu", "ubuntu"],
    ["docker://docker.io/library/ubuntu:24.04", "docker.io/library/ubuntu:24.04"],
    ["docker://ghcr.io/owner/image", "ghcr.io/owner/image"],
    ["docker://localhost:5000/app@" + SHA256, "localhost:5000/app@" + SHA256],
  ];
  for (const [withPrefix, plain] of same) test(`${withPrefix} is ${plain}`, () => assert.deepEqual(parseReference(withPrefix), parseReference(plain)));
  for (const local of ["oci:/tmp/layout", "oci-archive:image.tar", "docker-archive:x.tar:latest", "docker-daemon:ubuntu:latest", "containers-storage:ubuntu", "dir:/tmp/image", "docker://oci:/tmp/x"]) {
    test(`${local} is refused: local storage, not a registry`, () => rejects(local, /regtags lists the tags of registry repositories only; the [a-z-]+: transport names local storage/));
  }
  test("dir:5000/x is a registry with a port, not the dir: transport", () => assert.equal(parseReference("dir:5000/x").registry, "dir:5000"));
  test("docker:// alone is empty", () => rejects("docker://", /is empty/));
  test("other schemes are still refused with advice", () => rejects("https://ghcr.io/a/b", /drop the scheme/));
});
