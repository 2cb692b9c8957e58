/**
 * CNCF distribution 3.1.0: as distribution-3, but `n` above 1000 answered 400
 * PAGINATION_NUMBER_INVALID instead of being clamped.
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
  ],
  tags: {
    ...distribution3.tags,
    paging: { ...distribution3.tags.paging, overMax: { status: 400, code: "PAGINATION_NUMBER_INVALID" } },
  },
};
