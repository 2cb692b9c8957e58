/**
 * Where credentials are looked for, in order (CRED-1, CRED-6, CRED-7). Pure:
 * the environment, home directory, uid and platform are passed in, so tests
 * never touch the real user's files.
 *
 * 1. `--authfile PATH`, else `REGISTRY_AUTH_FILE`: that file only; it must
 *    exist (podman's CheckAuthFile does the same for --authfile).
 * 2. Otherwise, in order, the first that has credentials for the registry wins:
 *    - `DOCKER_AUTH_CONFIG` (a config.json document in the environment, CRED-4);
 *    - `$XDG_RUNTIME_DIR/containers/auth.json` (on Linux without
 *      XDG_RUNTIME_DIR: `/run/containers/$UID/auth.json`, as containers/image
 *      getPathToAuthWithOS);
 *    - `${XDG_CONFIG_HOME:-~/.config}/containers/auth.json`;
 *    - `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`;
 *    - `~/.dockercfg` (legacy format).
 * Environment tokens for well-known hosts (well-known-env.ts) come after
 * these, and never with an explicit auth file.
 */

/** One place credentials may come from, before it is read. */
export type CredentialSource =
  | {
      readonly type: "file";
      readonly path: string;
      readonly format: "docker-config" | "auth-json" | "dockercfg";
      /** Why this path, e.g. `$XDG_RUNTIME_DIR/containers/auth.json`, `--authfile`. */
      readonly via: string;
      /** A named file (--authfile, REGISTRY_AUTH_FILE) must exist; a default one may be absent. */
      readonly required: boolean;
    }
  | { readonly type: "env-document"; readonly name: "DOCKER_AUTH_CONFIG"; readonly text: string | undefined };

export interface DiscoveryInput {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly homeDir: string;
  /** For `/run/containers/$UID/auth.json`. @default undefined (that path is skipped) */
  readonly uid?: number | undefined;
  /** @default "linux" */
  readonly platform?: string | undefined;
  /** `--authfile PATH`. */
  readonly authFile?: string | undefined;
}

export interface DiscoveredSources {
  /** True when an auth file replaces the default order (CRED-7). */
  readonly exclusive: boolean;
  /** `--authfile` or `REGISTRY_AUTH_FILE` when exclusive. */
  readonly exclusiveVia?: string;
  readonly sources: readonly CredentialSource[];
}

/** The credential sources, in lookup order, for this environment. */
export function discoverSources(input: DiscoveryInput): DiscoveredSources {
  const env = (name: string): string | undefined => {
    const value = input.env[name];
    return value === undefined || value === "" ? undefined : value;
  };
  if (input.authFile !== undefined && input.authFile !== "") {
    return { exclusive: true, exclusiveVia: "the authFile option", sources: [{ type: "file", path: input.authFile, format: "auth-json", via: "the authFile option", required: true }] };
  }
  const registryAuthFile = env("REGISTRY_AUTH_FILE");
  if (registryAuthFile !== undefined) {
    return {
      exclusive: true,
      exclusiveVia: "REGISTRY_AUTH_FILE",
      sources: [{ type: "file", path: registryAuthFile, format: "auth-json", via: "REGISTRY_AUTH_FILE", required: true }],
    };
  }
  const home = input.homeDir;
  const sources: CredentialSource[] = [{ type: "env-document", name: "DOCKER_AUTH_CONFIG", text: env("DOCKER_AUTH_CONFIG") }];
  const runtimeDir = env("XDG_RUNTIME_DIR");
  if (runtimeDir !== undefined) {
    sources.push({ type: "file", path: joinPath(runtimeDir, "containers", "auth.json"), format: "auth-json", via: "$XDG_RUNTIME_DIR/containers/auth.json", required: false });
  } else if ((input.platform ?? "linux") === "linux" && input.uid !== undefined) {
    sources.push({ type: "file", path: `/run/containers/${input.uid}/auth.json`, format: "auth-json", via: "/run/containers/$UID/auth.json, as XDG_RUNTIME_DIR is unset", required: false });
  }
  const configHome = env("XDG_CONFIG_HOME");
  sources.push({
    type: "file",
    path: joinPath(configHome ?? joinPath(home, ".config"), "containers", "auth.json"),
    format: "auth-json",
    via: configHome !== undefined ? "$XDG_CONFIG_HOME/containers/auth.json" : "~/.config/containers/auth.json",
    required: false,
  });
  const dockerConfig = env("DOCKER_CONFIG");
  sources.push({
    type: "file",
    path: joinPath(dockerConfig ?? joinPath(home, ".docker"), "config.json"),
    format: "docker-config",
    via: dockerConfig !== undefined ? "$DOCKER_CONFIG/config.json" : "~/.docker/config.json",
    required: false,
  });
  sources.push({ type: "file", path: joinPath(home, ".dockercfg"), format: "dockercfg", via: "~/.dockercfg, legacy", required: false });
  return { exclusive: false, sources };
}

/** POSIX-style join without node:path, keeping this module pure. */
function joinPath(base: string, ...parts: string[]): string {
  const trimmed = base.length > 1 ? base.replace(/\/+$/, "") : base;
  return [trimmed === "/" ? "" : trimmed, ...parts].join("/");
}
