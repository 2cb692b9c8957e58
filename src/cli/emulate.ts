/**
 * `regtags emulate`: runs the registry emulator's profiles on loopback until
 * Ctrl-C, printing where each listens and a command to try against it.
 */
import { parseArgs } from "node:util";
import { builtinProfiles, describeProfile, startEmulator } from "../emulator/index.js";
import { UsageError } from "../errors.js";

export async function runEmulate(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      profile: { type: "string", multiple: true },
      latency: { type: "string" },
      list: { type: "boolean" },
      user: { type: "string", multiple: true },
    },
  });
  if (values.list) {
    for (const [id, profile] of Object.entries(builtinProfiles)) {
      process.stdout.write(`${id}\n${describeProfile(profile).map((line) => `    ${line}\n`).join("")}`);
    }
    return 0;
  }
  const ids = values.profile ?? Object.keys(builtinProfiles);
  for (const id of ids) if (!(id in builtinProfiles)) throw new UsageError(`unknown profile ${JSON.stringify(id)}; regtags emulate --list shows them`);
  const latency = values.latency === undefined ? 0 : Number(values.latency);
  if (!Number.isInteger(latency) || latency < 0) throw new UsageError("--latency takes a whole number of milliseconds");
  const users: Record<string, string> = {};
  for (const entry of values.user ?? []) {
    const colon = entry.indexOf(":");
    if (colon <= 0) throw new UsageError("--user wants USER:PASS");
    users[entry.slice(0, colon)] = entry.slice(colon + 1);
  }
  const emulator = await startEmulator({ profiles: ids, latencyMs: latency, users });
  for (const [id, registry] of emulator.registries) {
    process.stdout.write(`${id.padEnd(18)} ${registry.url}   e.g. regtags ls --endpoint example.test=${registry.url} example.test/linuxserver/hedgedoc\n`);
  }
  process.stdout.write("serving until Ctrl-C\n");
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await emulator.close();
  return 0;
}
