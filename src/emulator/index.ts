/**
 * regtags' registry emulator ("regtags/emulator"): `node:http` servers that behave
 * like one Docker Registry v2 / OCI distribution registry each, in one era: Docker Hub,
 * ghcr, quay (2023 and 2024), distribution 2.8 and 3, ECR, Harbor, ACR, Artifactory,
 * Nexus, Zot, gcr.io, Forgejo. Tests point the client at them and check both the
 * result and the requests the emulator recorded.
 *
 * This folder imports only `node:` modules and nothing else from regtags, so that a
 * bug shared with the client cannot hide itself (code-style §4.2). Behaviour is data
 * (`profile.ts`, `profiles/`); each built-in profile cites its sources.
 *
 * @example
 * import { startEmulator } from "regtags/emulator";
 * const emulator = await startEmulator({ profiles: ["ghcr"], users: { alice: "secret" } });
 * const ghcr = emulator.get("ghcr");
 * // ... list ghcr.url + "/v2/linuxserver/hedgedoc/tags/list" with the client ...
 * console.log(ghcr.counts()); // { ping: 1, token: 1, tags: 5, ... }
 * await emulator.close();
 */
export type * from "./profile.js";
export type { Emulator, EmulatedRegistry, EmulatorClock, EmulatorOptions, RecordedRequest, RepositorySpec, RequestCounts, RequestKind } from "./types.js";
export { startEmulator } from "./server.js";
export { VirtualClock, type VirtualClockOptions } from "./virtual-clock.js";
export { builtinProfiles } from "./profiles/index.js";
export { defaultRepositories } from "./repositories.js";
export { generateTags } from "./tag-generator.js";
export { describeProfile } from "./describe.js";
export { digestOf } from "./store.js";
