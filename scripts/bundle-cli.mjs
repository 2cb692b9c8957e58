/**
 * `npm run build`, second step: the CLI as a code-split esbuild bundle in
 * dist/bundle/, which dist/cli/bin.cjs (the `regtags` executable) runs.
 *
 * Why (issue 13, measured with `npm run bench`): node spends most of a short
 * listing's start-up resolving, reading and compiling ES modules one file at a
 * time (~80 for `ls`). Bundled, a listing loads ~20 chunks and its CPU drops
 * by about an eighth. Split by dynamic import(), so each command, and code
 * that loads at first use (proxies, trust, vendor APIs, probe, watch,
 * emulator), stays out of a plain listing; a single-file bundle made
 * `--version` and `ls` slower. The library's files in dist/ are not touched:
 * `import "regtags"` uses them as before. semver stays a package (range.ts
 * requires it at the first range), so it is not copied in.
 */
import { rmSync } from "node:fs";
import { build } from "esbuild";

// Chunk names carry content hashes: start empty, or old chunks pile up in the package.
rmSync("dist/bundle", { recursive: true, force: true });
await build({
  entryPoints: { main: "dist/cli/main.js" },
  outdir: "dist/bundle",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  // Readable stack traces with --debug; minifying saved no measurable time.
  minify: false,
  legalComments: "none",
  logLevel: "warning",
});
