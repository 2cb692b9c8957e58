/**
 * `regtags emulate`: runs the registry emulator's profiles until Ctrl-C,
 * printing where each listens and a regtags command that lists a repository
 * there (test/cli/emulate.test.ts runs every profile's command). Loopback by
 * default; another interface is allowed, with a warning, for containers and
 * VMs that test against it (plain http, made-up data, known test passwords).
 */
import { parseArgs } from "node:util";
import { builtinProfiles, describeProfile, startEmulator, type EmulatorProfile } from "../emulator/index.js";
import { UsageError } from "../errors.js";
import { isLoopbackRegistry } from "../reference/reference.js";
import { parsePositiveInt } from "./client-flags.js";

/** Exactly the options help-table.ts lists for emulate (test/cli/help.test.ts). */
export const EMULATE_FLAGS = {
  profile: { type: "string", multiple: true },
  latency: { type: "string" },
  list: { type: "boolean" },
  user: { type: "string", multiple: true },
  host: { type: "string" },
  port: { type: "string" },
} as const;

/** The user every registry accepts when no --user is given: the demo's, a test credential and no secret. */
export const DEFAULT_EMULATOR_USER = { name: "demo", password: "demo-password" } as const;

/** The repository the banner's commands list: public on every profile. */
const EXAMPLE_REPOSITORY = "linuxserver/hedgedoc";

export async function runEmulate(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, strict: true, options: EMULATE_FLAGS });
  if (values.list) {
    for (const [id, profile] of Object.entries(builtinProfiles)) {
      process.stdout.write(`${id}\n${describeProfile(profile).map((line) => `    ${line}\n`).join("")}`);
    }
    return 0;
  }
  const ids = values.profile ?? Object.keys(builtinProfiles);
  for (const id of ids) if (!(id in builtinProfiles)) throw new UsageError(`unknown profile ${JSON.stringify(id)}; regtags emulate --list shows them`);
  const latency = values.latency === undefined ? 0 : Number(values.latency);
  if (!/^\d{1,6}$/.test(values.latency ?? "0")) throw new UsageError("--latency takes a whole number of milliseconds");
  const users: Record<string, string> = {};
  for (const entry of values.user ?? []) {
    const colon = entry.indexOf(":");
    if (colon <= 0) throw new UsageError("--user wants USER:PASS");
    users[entry.slice(0, colon)] = entry.slice(colon + 1);
  }
  const defaultUser = values.user === undefined;
  if (defaultUser) users[DEFAULT_EMULATOR_USER.name] = DEFAULT_EMULATOR_USER.password;
  const host = values.host ?? "127.0.0.1";
  const port = values.port === undefined ? undefined : parsePositiveInt("--port", values.port, 65_535);
  if (port !== undefined && port + ids.length - 1 > 65_535) throw new UsageError(`--port ${port} leaves no room for ${ids.length} profiles (one port each); give a lower port or fewer --profile`);
  if (!isLoopbackRegistry(host)) {
    process.stderr.write(`regtags: warning: the emulator listens on ${host}, reachable from other machines; it is for tests (plain http, made-up data, test passwords)\n`);
  }
  let emulator;
  try {
    emulator = await startEmulator({ profiles: ids, latencyMs: latency, users, host, ...(port !== undefined ? { port } : {}) });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE" || code === "EACCES" || code === "EADDRNOTAVAIL" || code === "ENOTFOUND" || code === "EAFNOSUPPORT") {
      throw new UsageError(`cannot listen on ${host}${port !== undefined ? ` port ${port} and up` : ""} (${code}); give another --host or --port`);
    }
    throw error;
  }
  const credentials = defaultUser ? `${DEFAULT_EMULATOR_USER.name}:${DEFAULT_EMULATOR_USER.password}` : Object.keys(users)[0]!; // a given password is never echoed: regtags prompts for it
  for (const [id, registry] of emulator.registries) {
    const creds = needsCredentials(builtinProfiles[id]!) ? ` --creds ${credentials}` : "";
    process.stdout.write(`${id.padEnd(18)} ${registry.url}   e.g. regtags ls --endpoint example.test=${registry.url}${creds} example.test/${EXAMPLE_REPOSITORY}\n`);
  }
  process.stdout.write("serving until Ctrl-C\n");
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await emulator.close();
  return 0;
}

/** A profile that reads nothing without credentials (ECR: Basic, no anonymous reads). */
function needsCredentials(profile: EmulatorProfile): boolean {
  return profile.auth.kind === "basic" && !profile.auth.anonymousPublicReads;
}
