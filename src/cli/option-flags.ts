/**
 * Library messages advise in the library's words ("raise the maxPages
 * option"); the CLI says the flag instead ("raise --max-pages"). The one map
 * from option to flag, applied to every error and warning the CLI prints.
 */
import { optionHintsIn, type AdvisedOption } from "../errors.js";

/** Each option a library message can advise on, as the flag that sets it (with its argument's placeholder). */
export const OPTION_FLAGS: Readonly<Record<AdvisedOption, string>> = {
  maxPages: "--max-pages",
  maxTags: "--max-tags",
  maxListBytes: "--max-bytes",
  allowPartial: "--allow-partial",
  plainHttp: "--plain-http",
  tlsVerify: "--tls-verify",
  certDir: "--cert-dir DIR",
  proxy: "--proxy",
  noProxy: "--no-proxy",
  credentials: "--creds USER:PASS",
  allowInsecureRealm: "--allow-insecure-realm",
  "retry.maxDelayMs": "--retry-max-wait",
  authFile: "--authfile",
  explicit: "--creds / --registry-token / --no-creds",
  source: "--source",
};

/** Boolean flags take their value after "=" (`--tls-verify=false`); the others after a space (`--source v2`). */
const BOOLEAN_FLAGS: ReadonlySet<AdvisedOption> = new Set(["tlsVerify", "plainHttp", "allowPartial", "allowInsecureRealm"]);

/** `message` with each option it advises on named as its flag: "the maxPages option" → "--max-pages". */
export function cliWording(message: string): string {
  let worded = message;
  // Longest wording first: "the tlsVerify option set to false" before "the tlsVerify option".
  for (const hint of optionHintsIn(message).sort((a, b) => b.words.length - a.words.length)) {
    const flag = OPTION_FLAGS[hint.option];
    const said = hint.value === undefined ? flag : `${flag}${BOOLEAN_FLAGS.has(hint.option) ? "=" : " "}${hint.value}`;
    worded = worded.split(hint.words).join(said);
  }
  return worded;
}

/** The message of an error as the CLI prints it. */
export function formatErrorForCli(error: unknown): string {
  return cliWording((error as Error)?.message ?? String(error));
}
