/**
 * ghcr.io read the other way: the 2023 trace shows only requests without `n`, all
 * answered with links saying `n=0`. This profile takes `n=0` as what ghcr writes in
 * every link, whatever `n` was asked (the "ghcr-like" registry of issue 13: default
 * page 100, `n` honoured up to 10000, links with `n=0`), so a client that follows
 * links as given falls back to pages of 100 after its first.
 */
import type { EmulatorProfile } from "../profile.js";
import { FIELD_REPORT } from "./common.js";
import { ghcr } from "./ghcr.js";

/** Built-in emulator profile "ghcr-n0"; the opening comment says what it models. */
export const ghcrN0: EmulatorProfile = {
  ...ghcr,
  id: "ghcr-n0",
  title: "ghcr.io, links always n=0 (unverified reading of the 2023 trace)",
  source: [
    ...ghcr.source,
    `${FIELD_REPORT}: GitHub Container Registry section (every link ?last=<tag>&n=0; no request with n was traced)`,
  ],
  tags: { ...ghcr.tags, link: { ...ghcr.tags.link, n: "zero" } },
};
