/**
 * quay.io since June 2024: pages of 100 sorted by name, `n` silently capped at 100,
 * links `?n=100&last=<tag>`, `n=0` an empty list. Auth as in 2023.
 */
import type { EmulatorProfile } from "../profile.js";
import { JSON_BODY, QUIRKS, SPEC_PAGING } from "./common.js";
import { quay2023 } from "./quay-2023.js";

/** Built-in emulator profile "quay-2024"; the opening comment says what it models. */
export const quay2024: EmulatorProfile = {
  ...quay2023,
  id: "quay-2024",
  title: "quay.io since 2024-06 (100 per page sorted, n capped at 100)",
  source: [`${QUIRKS}: quay.io since 2024-06 (pages of 100 sorted by name, ?n=100&last=, n=0 empty, anonymous missing repo → 401 with scope)`],
  tags: {
    paging: { ...SPEC_PAGING, defaultPageSize: 100, maxPageSize: 100, zeroN: "empty" },
    order: "lexical",
    link: { form: "relative", order: "n-first", n: "effective" },
    body: JSON_BODY,
  },
};
