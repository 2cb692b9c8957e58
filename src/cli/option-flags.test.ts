import { test } from "node:test";
import assert from "node:assert/strict";
import { ADVISED_OPTIONS, IncompleteListError, InvalidArgumentError, optionHintsIn } from "../errors.js";
import { tlsFailureAdvice } from "../network/tls-advice.js";
import { CREDENTIAL_FLAGS } from "./auth.js";
import { CLIENT_FLAGS } from "./client-flags.js";
import { NETWORK_FLAGS } from "./network-flags.js";
import { cliWording, formatErrorForCli, OPTION_FLAGS } from "./option-flags.js";

test("a library message names options; the CLI names their flags", () => {
  const error = new IncompleteListError("r/x: stopped at the page cap of 3 pages with 30 tags listed; raise the maxPages option to go on", []);
  assert.deepEqual(error.optionHints, [{ option: "maxPages", words: "the maxPages option" }]);
  assert.equal(formatErrorForCli(error), "r/x: stopped at the page cap of 3 pages with 30 tags listed; raise --max-pages to go on");
});

test("an advice with a value: --flag=value for a boolean flag, --flag value for the others", () => {
  const tls = tlsFailureAdvice(new URL("https://r.example/"), "SELF_SIGNED_CERT_IN_CHAIN");
  assert.doesNotMatch(tls, /--/);
  assert.deepEqual(
    optionHintsIn(tls).map(({ option, value }) => [option, value]),
    [
      ["certDir", undefined],
      ["tlsVerify", "false"],
    ],
  );
  assert.match(cliWording(tls), /pass --cert-dir DIR: a directory holding it as NAME\.crt, or add it to SSL_CERT_FILE; only for a registry and network you trust: --tls-verify=false$/);
  assert.equal(cliWording("r has no known vendor API; use the source option set to v2 or auto"), "r has no known vendor API; use --source v2 or auto");
  assert.equal(formatErrorForCli(new InvalidArgumentError("the source option set to vendor: no")), "--source vendor: no");
});

test("text that only looks like an option is left alone", () => {
  assert.deepEqual(optionHintsIn("the colour option; the maxPagesX option"), []);
  assert.equal(cliWording("the colour option"), "the colour option");
});

test("every flag the map names is a flag the CLI parses", () => {
  const known = new Set([...Object.keys(CLIENT_FLAGS), ...Object.keys(NETWORK_FLAGS), ...Object.keys(CREDENTIAL_FLAGS), "source"]);
  assert.deepEqual(Object.keys(OPTION_FLAGS).sort(), [...ADVISED_OPTIONS].sort());
  for (const [option, words] of Object.entries(OPTION_FLAGS)) {
    for (const flag of words.match(/--[a-z-]+/g) ?? []) assert.ok(known.has(flag.slice(2)), `${option}: ${flag} is not a flag of regtags`);
  }
});
