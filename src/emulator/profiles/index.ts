/**
 * The built-in emulator profiles, by id. Each module is data only and cites its
 * sources; override fields by spreading one: `{ ...builtinProfiles["ghcr"], id: "ghcr-slow", ... }`.
 */
import type { EmulatorProfile } from "../profile.js";
import { acr } from "./acr.js";
import { artifactory } from "./artifactory.js";
import { distribution28 } from "./distribution-2.8.js";
import { distribution310 } from "./distribution-3.1.0.js";
import { distribution3 } from "./distribution-3.js";
import { dockerhub } from "./dockerhub.js";
import { ecr } from "./ecr.js";
import { forgejo } from "./forgejo.js";
import { gcr } from "./gcr.js";
import { ghcr } from "./ghcr.js";
import { ghcrN0 } from "./ghcr-n0.js";
import { harbor } from "./harbor.js";
import { nexus } from "./nexus.js";
import { quay2023 } from "./quay-2023.js";
import { quay202406 } from "./quay-2024-06.js";
import { quay2024 } from "./quay-2024.js";
import { zot } from "./zot.js";

const all = [
  dockerhub, ghcr, ghcrN0, quay2023, quay2024, quay202406, distribution28, distribution3, distribution310,
  ecr, harbor, acr, artifactory, nexus, zot, gcr, forgejo,
] as const;

/** Built-in profiles by id (frozen). */
export const builtinProfiles: Readonly<Record<string, EmulatorProfile>> = Object.freeze(
  Object.fromEntries(all.map((profile) => [profile.id, profile])),
);
