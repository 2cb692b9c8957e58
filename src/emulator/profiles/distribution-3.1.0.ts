/**
 * CNCF distribution 3.1.0: as distribution-3, but `n` above 1000 answered 400
 * PAGINATION_NUMBER_INVALID instead of being clamped, and a request without
 * `n` gets a page of 1000 (the `tags.maxtags` default) with a Link.
 */
import type { EmulatorProfile } from "../profile.js";
import { QUIRKS } from "./common.js";
import { distribution3 } from "./distribution-3.js";

/** Built-in emulator profile "distribution-3.1.0"; the opening comment says what it models. */
export const distribution310: EmulatorProfile = {
  ...distribution3,
  id: "distribution-3.1.0",
  title: "CNCF distribution 3.1.0 (400 for n > 1000)",
  source: [
    `${QUIRKS}: distribution 3.x (3.1.0: n > 1000 → 400 PAGINATION_NUMBER_INVALID)`,
    "distribution/distribution registry/handlers/tags.go (parsedMax > MaxTags → ErrorCodePaginationNumberInvalid)",
    "https://github.com/distribution/distribution/issues/4844 (2026-04: v3.1.0 reduced the default to 1000; n=10000 → 400)",
  ],
  tags: {
    ...distribution3.tags,
    paging: { ...distribution3.tags.paging, defaultPageSize: 1000, overMax: { status: 400, code: "PAGINATION_NUMBER_INVALID" } },
  },
};
