/**
 * The test oracle for "nothing printed raw" (issue 10), written apart from
 * src/text so a bug there cannot hide itself: the characters a terminal
 * interprets or hides. C0 controls but `allowed`, DEL and C1, the soft hyphen
 * and Arabic letter mark, zero-width characters and LRM/RLM, U+2028/U+2029,
 * bidi embeddings, overrides and isolates, word joiners, the BOM, interlinear
 * annotation marks, tag characters, and lone surrogates.
 */
export function rawControlsIn(text: string, allowed = "\n"): string[] {
  const found = new Set<string>();
  for (const char of text) {
    if (allowed.includes(char)) continue;
    const cp = char.codePointAt(0)!;
    if (isHidden(cp)) found.add(`U+${cp.toString(16).padStart(4, "0")}`);
  }
  return [...found];
}

function isHidden(cp: number): boolean {
  return (
    cp < 0x20 ||
    (cp >= 0x7f && cp <= 0x9f) ||
    cp === 0xad ||
    cp === 0x61c ||
    (cp >= 0x200b && cp <= 0x200f) ||
    (cp >= 0x2028 && cp <= 0x202e) ||
    (cp >= 0x2060 && cp <= 0x2069) ||
    cp === 0xfeff ||
    (cp >= 0xfff9 && cp <= 0xfffb) ||
    (cp >= 0xe0000 && cp <= 0xe007f) ||
    // for...of yields a lone surrogate as itself, a pair as one code point
    (cp >= 0xd800 && cp <= 0xdfff)
  );
}
