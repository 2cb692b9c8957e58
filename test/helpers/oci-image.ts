/**
 * Writes a tiny but valid OCI image layout (image-spec v1.1.0, "OCI Image
 * Layout") to a directory, so the integration harness can push a real image
 * with `skopeo copy oci:DIR:REF docker://…` without pulling anything from the
 * network. It owns the byte-exact construction of the layer (a one-file tar
 * built by hand, gzip-compressed with node:zlib), the config and the manifest,
 * and nothing else: no registry, no processes. Imports only `node:` modules.
 */

import { createHash } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

/** Media types of OCI image-spec v1.1.0 (`specs-go/v1/mediatype.go`). */
export const OCI_MANIFEST_MEDIA_TYPE = "application/vnd.oci.image.manifest.v1+json";
const OCI_CONFIG_MEDIA_TYPE = "application/vnd.oci.image.config.v1+json";
const OCI_LAYER_GZIP_MEDIA_TYPE = "application/vnd.oci.image.layer.v1.tar+gzip";
const OCI_INDEX_MEDIA_TYPE = "application/vnd.oci.image.index.v1+json";

/** What {@link writeOciImageLayout} wrote. Digests are `sha256:<hex>`. */
export interface OciImage {
  /** The layout directory (pass it as `oci:DIR:REF` to skopeo). */
  readonly dir: string;
  /** The `org.opencontainers.image.ref.name` of the manifest in index.json. */
  readonly refName: string;
  readonly manifestDigest: string;
  readonly configDigest: string;
  readonly layerDigest: string;
}

/** Options of {@link writeOciImageLayout}. */
export interface OciImageOptions {
  /**
   * Text stored in the image's only file. Different text gives a different
   * layer and therefore a different manifest digest.
   * @default "regtags test image\n"
   */
  content?: string;
  /** @default "latest" */
  refName?: string;
}

/** `sha256:<hex>` of some bytes (OCI image-spec v1.1.0, "Digests"). */
export function sha256Digest(bytes: Uint8Array): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}

/**
 * Builds a POSIX ustar archive holding one regular file. Written by hand
 * because node has no tar module; the layout of the 512-byte header follows
 * POSIX.1-2017 `pax` "ustar Interchange Format". Timestamps and owners are
 * fixed so the same input always gives the same bytes (and digest).
 */
export function buildSingleFileTar(fileName: string, data: Uint8Array): Buffer {
  if (Buffer.byteLength(fileName) > 100) throw new Error(`tar file name too long: ${fileName}`);
  const header = Buffer.alloc(512);
  const put = (offset: number, length: number, text: string): void => {
    header.write(text, offset, length, "ascii");
  };
  // Numeric fields are zero-padded octal ending in NUL.
  const octal = (value: number, length: number): string => value.toString(8).padStart(length - 1, "0") + "\0";
  header.write(fileName, 0, 100, "utf8");
  put(100, 8, octal(0o644, 8)); // mode
  put(108, 8, octal(0, 8)); // uid
  put(116, 8, octal(0, 8)); // gid
  put(124, 12, octal(data.length, 12)); // size
  put(136, 12, octal(0, 12)); // mtime
  put(148, 8, "        "); // checksum is computed with this field as spaces
  put(156, 1, "0"); // typeflag: regular file
  put(257, 6, "ustar\0");
  put(263, 2, "00");
  put(265, 32, "root");
  put(297, 32, "root");
  let checksum = 0;
  for (const byte of header) checksum += byte;
  put(148, 8, checksum.toString(8).padStart(6, "0") + "\0 ");

  const padding = (512 - (data.length % 512)) % 512;
  // The archive ends with two zero-filled records.
  return Buffer.concat([header, Buffer.from(data), Buffer.alloc(padding), Buffer.alloc(1024)]);
}

/**
 * Writes an OCI image layout with one linux/amd64 image: `oci-layout`,
 * `index.json` (one manifest, tagged `refName`), and the blobs for the
 * manifest, the config and a single gzip layer holding `/regtags.txt`.
 *
 * @param dir created if missing; must not already hold another layout.
 */
export async function writeOciImageLayout(dir: string, options: OciImageOptions = {}): Promise<OciImage> {
  const refName = options.refName ?? "latest";
  const content = options.content ?? "regtags test image\n";

  const tar = buildSingleFileTar("regtags.txt", Buffer.from(content, "utf8"));
  const layer = gzipSync(tar);
  const config = Buffer.from(
    JSON.stringify({
      created: "1970-01-01T00:00:00Z",
      architecture: "amd64",
      os: "linux",
      config: {},
      // diff_ids are digests of the *uncompressed* layers (image-spec config.md).
      rootfs: { type: "layers", diff_ids: [sha256Digest(tar)] },
    }),
  );
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST_MEDIA_TYPE,
      config: { mediaType: OCI_CONFIG_MEDIA_TYPE, digest: sha256Digest(config), size: config.length },
      layers: [{ mediaType: OCI_LAYER_GZIP_MEDIA_TYPE, digest: sha256Digest(layer), size: layer.length }],
    }),
  );
  const index = {
    schemaVersion: 2,
    mediaType: OCI_INDEX_MEDIA_TYPE,
    manifests: [
      {
        mediaType: OCI_MANIFEST_MEDIA_TYPE,
        digest: sha256Digest(manifest),
        size: manifest.length,
        annotations: { "org.opencontainers.image.ref.name": refName },
      },
    ],
  };

  const blobDir = join(dir, "blobs", "sha256");
  await mkdir(blobDir, { recursive: true });
  for (const blob of [layer, config, manifest]) {
    await writeFile(join(blobDir, sha256Digest(blob).slice("sha256:".length)), blob);
  }
  await writeFile(join(dir, "oci-layout"), JSON.stringify({ imageLayoutVersion: "1.0.0" }));
  await writeFile(join(dir, "index.json"), JSON.stringify(index));

  return {
    dir,
    refName,
    manifestDigest: sha256Digest(manifest),
    configDigest: sha256Digest(config),
    layerDigest: sha256Digest(layer),
  };
}
