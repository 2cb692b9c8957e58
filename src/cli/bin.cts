#!/usr/bin/env node
/**
 * The `regtags` executable (package.json `bin`). CommonJS on purpose:
 * `regtags --version` answers here without starting node's ES module loader,
 * which alone costs about a tenth of node's own start-up (issue 13: --version
 * within 1.10x of `node -e 0`). Every other command runs main.js: from the
 * code-split bundle `npm run build` writes to dist/bundle/ (one file to read
 * and compile per chunk instead of one per module: a listing's CPU drops by
 * about an eighth), or from the plain tsc output next to this file where
 * there is no bundle (the test build).
 */
import fs = require("node:fs");
import path = require("node:path");

const command = process.argv[2];
if (command === "--version" || command === "-v" || command === "version") {
  // The same answer as main.ts's, which `node dist/cli/main.js --version` still gives.
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, "../../package.json"), "utf8")) as { version: string };
  process.stdout.write(`regtags ${pkg.version}\n`);
} else {
  const bundled = path.join(__dirname, "../bundle/main.js");
  // A string, not a literal: the bundle is not a TypeScript module this file could name.
  const entry: string = fs.existsSync(bundled) ? "../bundle/main.js" : "./main.js";
  import(entry).catch((error: unknown) => {
    process.stderr.write(`regtags: cannot load ${entry} (${error instanceof Error ? error.message.split("\n")[0] : String(error)}); reinstall regtags\n`);
    process.exitCode = 1;
  });
}
