#!/usr/bin/env node
/**
 * The regtags command. Kept light at start-up: `--version` and `--help`
 * load nothing else; commands import their modules when they run.
 */
import { readFileSync } from "node:fs";
import { escapeServerText, MESSAGE_LIMIT } from "../text/safe-text.js";
import { EXIT_CODE_HELP, EXIT_CODES, EXIT_INTERNAL, finalExitCode } from "./exit-codes.js";

const HELP = `regtags — list the tags of a container image repository on any registry

Usage:
  regtags ls [options] REF        every tag of REF, one per line, in the registry's order
  regtags latest [options] REF    the latest stable release: the highest MAJOR.MINOR[.PATCH] tag
                                  without a prerelease or variant suffix (same options as ls)
  regtags latest [options] REF:TAG
                                  the highest tag of TAG's family at or above TAG (TAG itself when
                                  nothing is newer): same variant suffix, same count of numbers
                                  (20.11.1-alpine3.19 → 22.1.0-alpine3.19), prereleases only if TAG is one
  regtags ls --newer REF:TAG      the tags of TAG's family above TAG, lowest first
  regtags ls [options] REF REF…   several repositories: one NDJSON object each, as each finishes
  regtags ls --from-file FILE|-   the references in FILE (one per line), or stdin
  regtags ls --all REGISTRY       every repository the registry's catalog lists
  regtags catalog REGISTRY        the repositories of a registry (/v2/_catalog)
  regtags probe [--json] [--save] REF [REF...]
                                  how each registry behaves (a dozen requests each), side by side;
                                  --save keeps the profile for later listings (regtags probe --help)
  regtags auth which REF          which source supplies REF's credentials, and why (no secrets)
  regtags watch --state FILE [options] REF [REF...]
                                  tags added, removed and moved since the last run, as NDJSON
  regtags demo                    start the built-in registry emulator and list tags from each profile
  regtags emulate [options]       run the registry emulator (for tests and experiments)
  regtags --version | --help

REF is an image reference: ubuntu, docker.io/library/ubuntu, ghcr.io/OWNER/IMAGE,
quay.io/NS/REPO, localhost:5000/NAME, [fc00::1]:5000/NAME (a tag or digest is ignored,
except the tag by latest and --newer: it must then be a version, not latest or a hash).

ls options:
  --json                 print {"Repository": ..., "Tags": [...]} like skopeo list-tags
  --creds USER[:PASS]    credentials for the registry (Basic, or at its token service);
                         without :PASS, prompt on a terminal
  --password-stdin       read the password for --creds USER from stdin
  --registry-token TOKEN send TOKEN as a Bearer token as is
  --no-creds             anonymous: consult no credentials file, helper or variable
  --authfile FILE        credentials from FILE only (default: REGISTRY_AUTH_FILE, else
                         DOCKER_AUTH_CONFIG, $XDG_RUNTIME_DIR/containers/auth.json,
                         ~/.config/containers/auth.json, ~/.docker/config.json (with its
                         credHelpers/credsStore), ~/.dockercfg, then GH_TOKEN/GITHUB_TOKEN
                         for ghcr.io and CI_REGISTRY_USER/CI_REGISTRY_PASSWORD)
  --plain-http           use http instead of https
  --tls-verify=false     accept any TLS certificate
  --proxy URL            proxy for every request, instead of HTTPS_PROXY/HTTP_PROXY/ALL_PROXY
  --no-proxy LIST        hosts reached directly, replacing NO_PROXY (name, .name, IP, CIDR, :port, *)
  --cert-dir DIR         the registry's CA (*.crt) and client certificate (NAME.cert + NAME.key),
                         instead of /etc/containers/certs.d/HOST:PORT/ and the like
  --endpoint HOST=URL    contact URL for registry HOST (repeatable), e.g. docker.io=http://127.0.0.1:5000
  --config FILE          config file (default $XDG_CONFIG_HOME/regtags/config.json):
                         {"endpoints": {"HOST": "URL"}, "plainHttp": false, "tlsVerify": true,
                          "proxy": "URL", "noProxy": "LIST", "certDir": "DIR"}
  --allow-insecure-realm send credentials to a plain-http token realm that is not loopback
  --page-size N|none     n of the first request (default: per registry, else learned)
  --max-pages N          stop with exit 7 after N pages (default 100000)
  --max-tags N           stop with exit 7 past N tags in one listing (default 2000000)
  --max-bytes SIZE       stop with exit 7 past SIZE of pages in one listing, e.g. 512MiB
                         (default 2GiB)
  --allow-partial        when a listing stops early (loop, page cap), print what was listed,
                         warn, and exit 10 instead of 7
  --retry-attempts N     attempts per request on 408/429/5xx, resets, timeouts (default 4)
  --retry-max-wait S     longest wait before a retry, Retry-After included; a registry that
                         asks for longer fails at once saying when to retry (default 60)
  --connect-timeout S    seconds to connect, TLS included (default 10)
  --idle-timeout S       seconds without a byte from the server before giving up (default 10)
  --timeout S            seconds for one whole request, body included (default 60)
  --parallel N           list in N concurrent ranges where the registry sorts tags by name
                         and honours any last= (checked first; otherwise links are followed)
  --no-saved-profile     ignore the profile regtags probe --save kept for the registry (used
                         when younger than 7 days: it sets the first n; a listing that
                         contradicts it removes it)
  --debug                print every HTTP exchange and auth decision to stderr (secrets redacted)

choosing tags (ls and latest):
  --sort none|lexical|version|date   default none: the registry's order; date needs a vendor API
  --reverse              reverse the sorted order
  --include REGEX        keep tags the regex matches whole (repeatable: any of them)
  --exclude REGEX        drop tags the regex matches whole (repeatable)
  --version-range RANGE  npm-style range on the tag's version, e.g. '>=3.18 <4'
  --variant SUFFIX       only versions with this variant, e.g. alpine for 3.19-alpine
  --omit-digest-tags     drop sha256-… signature/attestation tags and .sig/.att/.sbom
  --no-prerelease        drop prereleases (rc, beta, …); latest already does by default
  --limit N              at most N tags (after sorting); a plain listing stops fetching there
  --latest               only the highest version (as regtags latest)
  --include-prerelease   latest and --newer: prereleases qualify too
  --any-variant          latest without TAG: every variant suffix qualifies, not only none
  --newer                with REF:TAG: the tags of TAG's family above TAG (what an update bot offers)
  --explain              latest: every tag with why it was or was not picked (TAG, reason, detail)
  --scheme semver|calver|any          what counts as a version for --latest (default semver)
  --version-regex REGEX  read the version from the regex's first capture group

digests and details:
  --digests              add each tag's manifest digest (HEAD requests, no Docker Hub pull)
  --group-by-digest      print digests with the tags that share them
  --concurrency N        digest lookups in flight (default 8)
  --details              dates, digests, sizes, platforms from the vendor API
                         (Docker Hub, Quay, GitHub packages with a token)
  --source auto|vendor|v2            where details come from (default auto: vendor, else v2)
  (with several repositories, --concurrency is how many are listed at once; default 8)

output:
  --json                 skopeo's shape; with digests or details also "Details": [...]
  --format F             lines | json | ndjson | table | csv | a field list like tag,digest,updated
                         | a template like '{{.Tag}} {{.Digest}}'
                         (fields: tag, digest, updated, created, size, platforms)

watch options (with the ls filters above, which choose the watched tags):
  --state FILE           where the last pass's tags are recorded (required; created 0600;
                         the first run records a baseline and prints nothing)
  --digests              track each tag's digest, so re-pointed tags are reported as moved
  --interval DURATION    keep watching: a pass every DURATION (200ms, 30s, 5m, 1h) ±10%;
                         SIGINT/SIGTERM stop it after the current pass has saved its state
  --webhook URL          POST each pass's events as one JSON document; if delivery fails,
                         exit 12 and the state is not advanced (delivered at least once)
  --exit-code            exit 11 when the pass found changes
  --emit-baseline        print a repository's first listing as added events
  --concurrency N        repositories listed at once (default 4)

emulate options:
  --profile ID           profile to serve (repeatable; default: all); see regtags emulate --list
  --latency MS           delay added to every response
  --list                 list the profiles and exit

${EXIT_CODE_HELP}
`;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "--help" || command === "-h" || command === "help") {
    process.stdout.write(HELP);
    return command === undefined ? EXIT_CODES.ERR_USAGE : 0;
  }
  if (command === "--version" || command === "-v" || command === "version") {
    process.stdout.write(`regtags ${version()}\n`);
    return 0;
  }
  const debug = rest.includes("--debug");
  try {
    switch (command) {
      case "ls":
      case "list-tags":
        return await (await import("./ls.js")).runLs(rest);
      case "latest":
        return await (await import("./ls.js")).runLs(rest, "latest");
      case "catalog":
        return await (await import("./catalog.js")).runCatalog(rest);
      case "probe":
        return await (await import("./probe.js")).runProbe(rest);
      case "auth":
        return await (await import("./auth.js")).runAuth(rest);
      case "watch":
        return await (await import("./watch.js")).runWatch(rest);
      case "demo":
        return await (await import("./demo.js")).runDemo(rest);
      case "emulate":
        return await (await import("./emulate.js")).runEmulate(rest);
      default: {
        const { UsageError } = await import("../errors.js");
        throw new UsageError(`unknown command ${JSON.stringify(command)}; run regtags --help`);
      }
    }
  } catch (error) {
    return reportError(await usageErrorOf(error, command), debug);
  }
}

/**
 * node:util parseArgs rejects an unknown option or a missing value with its own
 * TypeError: a usage error (exit 2), not a bug (exit 1). Its first sentence says
 * which option.
 */
async function usageErrorOf(error: unknown, command: string): Promise<unknown> {
  const code = (error as { code?: unknown })?.code;
  if (typeof code !== "string" || !code.startsWith("ERR_PARSE_ARGS_")) return error;
  const { UsageError } = await import("../errors.js");
  return new UsageError(`${command}: ${(error as Error).message.split(". ")[0]}; see regtags --help`);
}

/** One line on stderr, never a stack trace unless --debug; returns the exit code. */
export function reportError(error: unknown, debug: boolean): number {
  const code = (error as { code?: unknown })?.code;
  const known = typeof code === "string" && code in EXIT_CODES && (error as { [k: symbol]: unknown })[Symbol.for("regtags.error")] === true;
  // The message may quote a server: escaped, so it stays one inert line (issue 10).
  const message = escapeServerText((error as Error)?.message ?? String(error), MESSAGE_LIMIT);
  if (known) {
    process.stderr.write(`regtags: ${message}\n`);
  } else {
    process.stderr.write(`regtags: internal error: ${message} (run with --debug for details)\n`);
  }
  if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack.split("\n").map((line) => escapeServerText(line, MESSAGE_LIMIT)).join("\n")}\n`);
  return known ? EXIT_CODES[code as keyof typeof EXIT_CODES] : EXIT_INTERNAL;
}

/**
 * Fail closed (issue 10): the event loop drained while the command's promise
 * was still pending, so nothing will ever finish it (a request or a wait that
 * no event settles). Whatever was printed is not a whole answer: exit 1, never 0.
 */
let finished = false;
process.once("beforeExit", () => {
  if (finished) return;
  process.stderr.write("regtags: internal error: the command ended with work pending (a request or a wait that nothing will complete), so its output is incomplete; please report it with --debug output\n");
  process.exitCode = EXIT_INTERNAL;
});

main(process.argv.slice(2)).then(
  (code) => {
    finished = true;
    process.exitCode = finalExitCode(code);
  },
  (error: unknown) => {
    finished = true;
    process.exitCode = reportError(error, false);
  },
);
