/**
 * quay.io for about a week in June 2024: as quay-2024, but `n` above 100 answered
 * 413 TOO_MANY_TAGS_REQUESTED instead of being capped.
 */
import type { EmulatorProfile } from "../profile.js";
import { QUIRKS } from "./common.js";
import { quay2024 } from "./quay-2024.js";

/** Built-in emulator profile "quay-2024-06"; the opening comment says what it models. */
export const quay202406: EmulatorProfile = {
  ...quay2024,
  id: "quay-2024-06",
  title: "quay.io, one week of June 2024 (413 for n > 100)",
  source: [`${QUIRKS}: quay.io since 2024-06 (413 TOO_MANY_TAGS_REQUESTED for about a week)`],
  tags: {
    ...quay2024.tags,
    paging: {
      ...quay2024.tags.paging,
      overMax: { status: 413, code: "TOO_MANY_TAGS_REQUESTED", message: "too many tags requested: n must be at most 100" },
    },
  },
};
