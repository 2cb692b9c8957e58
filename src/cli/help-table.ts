/**
 * Every command of the regtags CLI, its usage lines and its options: the one
 * source of `regtags --help`, `regtags help CMD`, `CMD --help`, "did you mean"
 * and the shell completion scripts. Data only: it imports the table of
 * defaults (src/defaults.ts) and a byte formatter, neither of which imports
 * anything, so `--help` stays fast and states the defaults the client applies. Each command's
 * parseArgs table must accept exactly the options listed here
 * (test/cli/help.test.ts checks both ways).
 */

import { DEFAULTS } from "../defaults.js";
import { formatBytes } from "../text/format-bytes.js";

/** Milliseconds as the seconds a flag takes. */
const seconds = (ms: number): number => ms / 1000;

/** One option as help prints it and completion offers it. */
export interface OptionHelp {
  /** The long flag, e.g. `--page-size`. */
  readonly name: string;
  /** A one-letter alias, e.g. `-h`. */
  readonly short?: string;
  /** What follows the flag: ` N|none` (a separate word) or `=false` (shown glued). Absent for a switch. */
  readonly value?: string;
  /** What it does; `\n` starts a continuation line (indented under the text). */
  readonly text: string;
  /** For completion: the values it takes, a file, a directory, or an emulator profile id. */
  readonly complete?: readonly string[] | "file" | "directory" | "profile";
}

export interface OptionGroup {
  readonly title: string;
  readonly options: readonly OptionHelp[];
}

export interface CommandHelp {
  /** What is typed after `regtags`. */
  readonly name: string;
  /** Other names that run the same command (`list-tags`, as skopeo names it). */
  readonly aliases?: readonly string[];
  /** Sub-commands (auth's `which`), completed after the command. */
  readonly subcommands?: readonly string[];
  /** Usage lines after `regtags `, each with a short summary (`\n` continues it). */
  readonly usage: ReadonlyArray<readonly [usage: string, summary: string]>;
  /** Shown by `regtags help CMD` between the usage and the options. */
  readonly description?: string;
  readonly groups: readonly OptionGroup[];
  /** What the positional arguments are, for completion. */
  readonly positionals?: readonly string[] | "profile" | "command" | "none";
}

export const HELP_OPTION: OptionHelp = { name: "--help", short: "-h", text: "print this help" };

const CREDENTIALS: OptionGroup = {
  title: "credentials",
  options: [
    { name: "--creds", value: " USER[:PASS]", text: "credentials for the registry (Basic, or at its token service);\nwithout :PASS, prompt on a terminal" },
    { name: "--password-stdin", text: "read the password for --creds USER from stdin" },
    { name: "--registry-token", value: " TOKEN", text: "send TOKEN as a Bearer token as is" },
    { name: "--no-creds", text: "anonymous: consult no credentials file, helper or variable" },
    {
      name: "--authfile",
      value: " FILE",
      complete: "file",
      text:
        "credentials from FILE only (default: REGISTRY_AUTH_FILE, else\nDOCKER_AUTH_CONFIG, $XDG_RUNTIME_DIR/containers/auth.json,\n~/.config/containers/auth.json, ~/.docker/config.json (with its\ncredHelpers/credsStore), ~/.dockercfg, then GH_TOKEN/GITHUB_TOKEN\nfor ghcr.io and CI_REGISTRY_USER/CI_REGISTRY_PASSWORD)",
    },
  ],
};

const PLAIN_HTTP: OptionHelp = { name: "--plain-http", text: "use http instead of https" };
const ENDPOINT: OptionHelp = {
  name: "--endpoint",
  value: " HOST=URL",
  text: "contact URL for registry HOST (repeatable), e.g. docker.io=http://127.0.0.1:5000;\nURL is http(s)://HOST[:PORT][/PATH]",
};
const CONFIG: OptionHelp = {
  name: "--config",
  value: " FILE",
  complete: "file",
  text:
    'config file (default $XDG_CONFIG_HOME/regtags/config.json):\n{"endpoints": {"HOST": "URL"}, "plainHttp": false, "tlsVerify": true,\n "proxy": "URL", "noProxy": "LIST", "certDir": "DIR"}; any other key is an error',
};
const DEBUG: OptionHelp = { name: "--debug", text: "print every HTTP exchange and auth decision to stderr (secrets redacted)" };
const NETWORK: readonly OptionHelp[] = [
  { name: "--proxy", value: " URL", text: "proxy for every request, instead of HTTPS_PROXY/HTTP_PROXY/ALL_PROXY\n(http://[USER:PASSWORD@]HOST:PORT; \"\" for none)" },
  { name: "--no-proxy", value: " LIST", text: "hosts reached directly, replacing NO_PROXY (name, .name, IP, CIDR, :port, *)" },
  {
    name: "--cert-dir",
    value: " DIR",
    complete: "directory",
    text: "the registry's CA (*.crt) and client certificate (NAME.cert + NAME.key),\ninstead of /etc/containers/certs.d/HOST:PORT/ and the like",
  },
];

const CONNECTION: OptionGroup = {
  title: "connection",
  options: [
    PLAIN_HTTP,
    { name: "--tls-verify", value: "=false", complete: ["true", "false"], text: "accept any TLS certificate (also --tls-verify false, as skopeo and podman;\na bare --tls-verify is true)" },
    ...NETWORK,
    ENDPOINT,
    CONFIG,
    { name: "--allow-insecure-realm", text: "send credentials to a plain-http token realm that is not loopback" },
    DEBUG,
  ],
};

/** What a request may take: every command that talks to a registry (src/cli/client-flags.ts CONNECTION_FLAGS). */
const RETRIES: OptionGroup = {
  title: "retries and timeouts",
  options: [
    { name: "--retry-attempts", value: " N", text: `attempts per request on 408/429/5xx, resets, timeouts (default ${DEFAULTS.retry.attempts})` },
    {
      name: "--retry-max-wait",
      value: " S",
      text: `longest wait before a retry, Retry-After included; a registry that\nasks for longer fails at once saying when to retry (default ${seconds(DEFAULTS.retry.maxDelayMs)})`,
    },
    { name: "--connect-timeout", value: " S", text: `seconds to connect, TLS included (default ${seconds(DEFAULTS.connectTimeoutMs)})` },
    { name: "--idle-timeout", value: " S", text: `seconds without a byte from the server before giving up (default ${seconds(DEFAULTS.idleTimeoutMs)})` },
    { name: "--timeout", value: " S", text: `seconds for one whole request, body included (default ${seconds(DEFAULTS.requestTimeoutMs)})` },
  ],
};

/** How a listing pages and where it stops: the listing commands only (src/cli/client-flags.ts CLIENT_FLAGS). */
const PAGING: OptionGroup = {
  title: "paging and budgets",
  options: [
    { name: "--page-size", value: " N|none", text: "n of the first request (default: per registry, else learned)" },
    { name: "--max-pages", value: " N", text: `stop with exit 7 after N pages (default ${DEFAULTS.maxPages})` },
    { name: "--max-tags", value: " N", text: `stop with exit 7 past N tags in one listing (default ${DEFAULTS.maxTags})` },
    { name: "--max-bytes", value: " SIZE", text: `stop with exit 7 past SIZE of pages in one listing, e.g. 512MiB\n(default ${formatBytes(DEFAULTS.maxListBytes).replace(" ", "")})` },
    { name: "--allow-partial", text: "when a listing stops early (loop, page cap), print what was listed,\nwarn, and exit 10 instead of 7" },
    {
      name: "--parallel",
      value: " N",
      text: "list in N concurrent ranges where the registry sorts tags by name\nand honours any last= (checked with the first wave; otherwise links are followed)",
    },
    {
      name: "--no-saved-profile",
      text: "ignore the profile regtags probe --save kept for the registry (used\nwhen younger than 7 days: it sets the first n; a listing that\ncontradicts it removes it)",
    },
  ],
};

/** The tag filters ls, latest and watch share (src/cli/filter-flags.ts). */
const FILTERS: readonly OptionHelp[] = [
  { name: "--include", value: " REGEX", text: "keep tags the regex matches whole (repeatable: any of them)" },
  { name: "--exclude", value: " REGEX", text: "drop tags the regex matches whole (repeatable)" },
  { name: "--version-range", value: " RANGE", text: "npm-style range on the tag's version, e.g. '>=3.18 <4'" },
  { name: "--variant", value: " SUFFIX", text: "only versions with this variant, e.g. alpine for 3.19-alpine" },
  { name: "--omit-digest-tags", text: "drop sha256-… signature/attestation tags and .sig/.att/.sbom" },
  { name: "--no-prerelease", text: "drop prereleases (rc, beta, …); latest already does by default" },
  { name: "--scheme", value: " semver|calver|any", complete: ["semver", "calver", "any"], text: "what counts as a version for --latest (default semver)" },
  { name: "--version-regex", value: " REGEX", text: "read the version from the regex's first capture group" },
];

const CHOOSING: OptionGroup = {
  title: "choosing tags",
  options: [
    { name: "--sort", value: " none|lexical|version|date", complete: ["none", "lexical", "version", "date"], text: "default none: the registry's order; date needs a vendor API" },
    { name: "--reverse", text: "reverse the sorted order" },
    ...FILTERS,
    { name: "--limit", value: " N", text: "at most N tags (after sorting); a plain listing stops fetching there" },
    { name: "--latest", text: "only the highest version (as regtags latest)" },
    { name: "--include-prerelease", text: "latest and --newer: prereleases qualify too" },
    { name: "--any-variant", text: "latest without TAG: every variant suffix qualifies, not only none" },
    { name: "--newer", text: "with REF:TAG: the tags of TAG's family above TAG (what an update bot offers)" },
    {
      name: "--explain",
      text: "latest: every tag with why it was or was not picked (TAG, reason, detail;\nreasons: picked, qualifies, current, filtered, not-a-version, other-variant,\nother-precision, prerelease, outside-range, lower-than-current); --json for one object",
    },
  ],
};

const REPOSITORIES: OptionGroup = {
  title: "several repositories",
  options: [
    { name: "--from-file", value: " FILE|-", complete: "file", text: "the references in FILE (one per line), or stdin" },
    { name: "--all", value: " REGISTRY", text: "every repository the registry's catalog lists" },
  ],
};

const DETAILS: OptionGroup = {
  title: "digests and details",
  options: [
    { name: "--digests", text: "add each tag's manifest digest (HEAD requests, no Docker Hub pull)" },
    { name: "--group-by-digest", text: "print digests with the tags that share them" },
    { name: "--concurrency", value: " N", text: `digest lookups in flight (default ${DEFAULTS.digestConcurrency}); with several repositories,\nhow many are listed at once (default 8)` },
    { name: "--details", text: "dates, digests, sizes, platforms from the vendor API\n(Docker Hub, Quay, GitHub packages with a token)" },
    { name: "--source", value: " auto|vendor|v2", complete: ["auto", "vendor", "v2"], text: "where details come from (default auto: vendor, else v2)" },
  ],
};

const JSON_OPTION: OptionHelp = { name: "--json", text: "print {\"Repository\": ..., \"Tags\": [...]} like skopeo list-tags;\nwith digests or details also \"Details\": [...]" };
const OUTPUT: OptionGroup = {
  title: "output",
  options: [
    JSON_OPTION,
    {
      name: "--format",
      value: " F",
      complete: ["lines", "json", "ndjson", "table", "csv"],
      text: "lines | json | ndjson | table | csv | a field list like tag,digest,updated\n| a template like '{{.Tag}} {{.Digest}}'\n(fields: tag, digest, updated, created, size, platforms)",
    },
  ],
};

const LIST_GROUPS: readonly OptionGroup[] = [CREDENTIALS, CONNECTION, RETRIES, PAGING, CHOOSING, REPOSITORIES, DETAILS, OUTPUT];

/** Every command, in the order `regtags --help` lists them. */
export const COMMANDS: readonly CommandHelp[] = [
  {
    name: "ls",
    aliases: ["list-tags"],
    usage: [
      ["ls [options] REF", "every tag of REF, one per line, in the registry's order"],
      ["ls --newer REF:TAG", "the tags of TAG's family above TAG, lowest first"],
      ["ls [options] REF REF…", "several repositories: one NDJSON object each, as each finishes"],
      ["ls --from-file FILE|-", "the references in FILE (one per line), or stdin"],
      ["ls --all REGISTRY", "every repository the registry's catalog lists"],
    ],
    description:
      "Tags are printed as pages arrive, each once; sorting, --latest, digests, details, --json\nand tables wait for the whole list. Filters run before digest lookups, so only shown\ntags cost a request. How latest and --newer choose: regtags help latest.",
    groups: LIST_GROUPS,
  },
  {
    name: "latest",
    usage: [
      ["latest [options] REF", "the latest stable release: the highest MAJOR.MINOR[.PATCH] tag\nwithout a prerelease or variant suffix (same options as ls)"],
      [
        "latest [options] REF:TAG",
        "the highest tag of TAG's family at or above TAG (TAG itself when\nnothing is newer): same variant suffix, same count of numbers\n(20.11.1-alpine3.19 → 22.1.0-alpine3.19), prereleases only if TAG is one",
      ],
    ],
    description: `latest REF prints the latest stable release, as Flux and Argo CD Image Updater read a
plain semver range: the highest tag with 2 to 4 numbers (MAJOR below 1000), no prerelease
and no variant suffix. node: 22.1.0, not 23.0.0-rc.1 nor 22.1.0-alpine.

latest REF:TAG picks within TAG's family, as Renovate's docker versioning does:
  - the same variant suffix exactly: 20.11.1-alpine3.19 → 22.1.0-alpine3.19, never -alpine3.20;
    a last segment that counts rebuilds (-ls56, -r5) may change: 1.9.3-ls56 → 1.9.5-ls73
  - the same count of numbers: 20 → 22, 20.11 → 22.1, 20.11.1 → 22.1.0
  - prereleases only if TAG is one (or --include-prerelease)
  - the highest at or above TAG; TAG itself when nothing is newer (exit 0, so scripts can compare)
  TAG must be a version: latest, lts or a commit hash is a usage error (exit 2).
ls --newer REF:TAG lists the family's tags above TAG, lowest first, in any output format.
--include, --exclude and --version-range narrow further; --variant SUFFIX picks the latest
of that variant instead of none.

Exit codes: 0 a pick was printed, 2 usage (a TAG that is not a version), 9 nothing qualified.`,
    groups: LIST_GROUPS,
  },
  {
    name: "catalog",
    usage: [["catalog [options] REGISTRY", "the repositories of a registry (/v2/_catalog)"]],
    description: "One repository per line as pages arrive. Docker Hub and ghcr.io offer no catalog;\nother registries may, with credentials that have catalog access.",
    groups: [CREDENTIALS, CONNECTION, RETRIES, PAGING, { title: "catalog output", options: [{ name: "--json", text: 'print {"Registry": ..., "Repositories": [...]}' }] }],
  },
  {
    name: "probe",
    usage: [["probe [options] REF [REF...]", "how each registry behaves (a dozen requests each), side by side;\n--save keeps the profile for later listings"]],
    description: `Sends a short, documented sequence of requests (at most 13 per registry; never a
page-by-page listing) and shows, side by side, how each registry behaves: ping and
challenge, token endpoint and lifetime, anonymous reads, default and largest page,
answer to a too-large n, pagination style, order, n=0, rate-limit headers, _catalog,
and the time of each request. A probe's --retry-attempts defaults to ${DEFAULTS.probe.retryAttempts} (one retry):
more would only blur what the registry did.`,
    groups: [
      {
        title: "probe options",
        options: [
          { name: "--json", text: "the same findings as JSON" },
          { name: "--save", text: "keep each registry's profile in $XDG_CACHE_HOME/regtags/profiles/\n(~/.cache/...); ls then starts with the page size it learned" },
          { name: "--large-n", value: " N", text: 'the "too large" n to try (default 10000)' },
        ],
      },
      CREDENTIALS,
      CONNECTION,
      RETRIES,
    ],
  },
  {
    name: "auth",
    subcommands: ["which"],
    usage: [["auth which [options] REF", "which source supplies REF's credentials, and why (no secrets)"]],
    description: `Says which source supplies the credentials for REF's registry, and why every
other source does not; then how requests to it would go (direct, or through
which proxy) and which CA files, certificate directories and client
certificate apply. Secrets and certificate contents are never printed.`,
    groups: [
      CREDENTIALS,
      { title: "connection (as for ls; the report names the host actually contacted)", options: [...NETWORK, ENDPOINT, PLAIN_HTTP, CONFIG, DEBUG] },
      { title: "auth which output", options: [{ name: "--json", text: 'print the report as JSON (the network part under "network")' }] },
    ],
  },
  {
    name: "watch",
    usage: [["watch --state FILE [options] REF [REF...]", "tags added, removed and moved since the last run, as NDJSON"]],
    description: "Each pass lists every repository, compares it with the state file and prints the\nchanges; the ls filters choose the watched tags. --allow-partial is refused: a partial\nlisting would report the tags it missed as removed.",
    groups: [
      {
        title: "watch options",
        options: [
          { name: "--state", value: " FILE", complete: "file", text: "where the last pass's tags are recorded (required; created 0600;\nthe first run records a baseline and prints nothing)" },
          { name: "--digests", text: "track each tag's digest, so re-pointed tags are reported as moved" },
          {
            name: "--interval",
            value: " DURATION",
            text: "keep watching: a pass every DURATION (200ms, 30s, 5m, 1h) ±10%;\nSIGINT/SIGTERM stop it after the current pass has saved its state",
          },
          {
            name: "--webhook",
            value: " URL",
            text: "POST each pass's events as one JSON document; if delivery fails,\nexit 12 and the state is not advanced (delivered at least once)",
          },
          { name: "--exit-code", text: "exit 11 when the pass found changes" },
          { name: "--emit-baseline", text: "print a repository's first listing as added events" },
          { name: "--concurrency", value: " N", text: "repositories listed at once (default 4)" },
        ],
      },
      { title: "choosing the watched tags", options: FILTERS },
      CREDENTIALS,
      CONNECTION,
      RETRIES,
      PAGING,
    ],
  },
  {
    name: "demo",
    usage: [["demo", "start the built-in registry emulator and list tags from each profile"]],
    description: "Runs on 127.0.0.1 only; needs no network.",
    groups: [],
    positionals: "none",
  },
  {
    name: "emulate",
    usage: [["emulate [options]", "run the registry emulator (for tests and experiments)"]],
    description: `Serves the emulator's profiles until Ctrl-C and prints, for each, where it listens
and a regtags command to try against it. Plain http, on 127.0.0.1 unless --host says
otherwise (a warning is printed for any other interface: the emulator is for tests).`,
    groups: [
      {
        title: "emulate options",
        options: [
          { name: "--profile", value: " ID", complete: "profile", text: "profile to serve (repeatable; default: all); see regtags emulate --list" },
          { name: "--list", text: "list the profiles and exit" },
          { name: "--host", value: " ADDRESS", text: "interface to listen on (default 127.0.0.1)" },
          { name: "--port", value: " N", text: "port of the first profile's registry (default: any free port);\neach next profile takes the next port" },
          {
            name: "--user",
            value: " USER:PASS",
            text: "a user the registries and their token services accept (repeatable;\ndefault demo:demo-password); private/repo needs one",
          },
          { name: "--latency", value: " MS", text: "delay added to every response" },
        ],
      },
    ],
    positionals: "none",
  },
  {
    name: "completion",
    usage: [["completion bash|zsh|fish", "a shell completion script (commands, options, emulator profiles)"]],
    description: `Load it in the current shell, or install it:
  bash:  source <(regtags completion bash)
  zsh:   source <(regtags completion zsh)       (after compinit)
  fish:  regtags completion fish > ~/.config/fish/completions/regtags.fish`,
    groups: [],
    positionals: ["bash", "zsh", "fish"],
  },
  {
    name: "help",
    usage: [["help [CMD]", "this help, or CMD's usage and options (as regtags CMD --help)"]],
    groups: [],
    positionals: "command",
  },
];

/** What `regtags --help` says about references, between the commands and the options. */
export const REFERENCE_HELP = `REF is an image reference: ubuntu, docker.io/library/ubuntu, ghcr.io/OWNER/IMAGE,
quay.io/NS/REPO, localhost:5000/NAME, [fc00::1]:5000/NAME, or skopeo's docker://REF
(a tag or digest is ignored, except the tag by latest and --newer: it must then be a
version, not latest or a hash). Other skopeo transports (oci:, docker-archive:, …) name
local storage, not a registry: regtags refuses them.`;
