import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { rawControlsIn } from "../../test/helpers/raw-controls.js";
import { escapeJsonText, escapeServerText, mapStrings, quoteServerText } from "./safe-text.js";

const RUNS = 500;

/** Hostile pieces a registry could send, mixed with ordinary text. */
const HOSTILE = ["\x1b[2J", "\x1b]52;c;aGk=\x07", "\r", "\n", "\0", "\x7f", "\x85", "\x9b31m", "\u202e", "\u2066", "\u2069", "\u2065", "\u{e0000}", "\uffff", "\u200b", "\u2028", "\u2029", "\ufeff", "\ud800", "\udfff", "\u{e0041}", "\t", "\\", '"', "é", "😀", "plain"];
const hostileText = fc.array(fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ maxLength: 8 }), fc.string({ unit: "binary", maxLength: 8 })), { maxLength: 40 }).map((parts) => parts.join(""));
const anyText = fc.oneof(hostileText, fc.string({ unit: "binary", maxLength: 300 }), fc.string({ unit: "binary-ascii", maxLength: 300 }));
const printableAscii = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 300 });
const cap = fc.integer({ min: 0, max: 400 });

/** Reads back a quoteServerText result (uncut): the escapes it writes, nothing else. */
function unquote(quoted: string): string {
  assert.ok(quoted.startsWith('"') && quoted.endsWith('"'), quoted);
  return quoted.slice(1, -1).replace(/\\(x[0-9a-f]{2}|u\{[0-9a-f]+\}|u[0-9a-f]{4}|[tnr"\\])/g, (_, code: string) => {
    if (code === "t") return "\t";
    if (code === "n") return "\n";
    if (code === "r") return "\r";
    if (code === '"' || code === "\\") return code;
    const hex = code.startsWith("u{") ? code.slice(2, -1) : code.slice(1);
    return String.fromCodePoint(Number.parseInt(hex, 16));
  });
}

describe("escapeServerText and quoteServerText (properties)", () => {
  test("the output never holds a control, bidi, invisible format or separator character, nor a lone surrogate", () => {
    fc.assert(
      fc.property(anyText, cap, (text, max) => {
        assert.deepEqual(rawControlsIn(escapeServerText(text, max), ""), []);
        assert.deepEqual(rawControlsIn(quoteServerText(text, max), ""), []);
      }),
      { numRuns: RUNS },
    );
  });

  test("the output is at most the cap plus the …(N more bytes) marker, and N is the UTF-8 size of what was left out", () => {
    fc.assert(
      fc.property(anyText, cap, (text, max) => {
        for (const [out, overhead] of [[escapeServerText(text, max), 0], [quoteServerText(text, max), 2]] as const) {
          const marker = /…\((\d+) more bytes\)$/.exec(out);
          if (marker === null) {
            assert.ok(out.length <= max + overhead, `${out.length} > ${max}`);
          } else {
            assert.ok(out.length - marker[0].length <= max + overhead);
            assert.ok(Number(marker[1]) >= 1 && Number(marker[1]) <= Buffer.byteLength(text));
          }
        }
      }),
      { numRuns: RUNS },
    );
  });

  test("plain printable ASCII within the cap comes out unchanged (backslashes and quotes included)", () => {
    fc.assert(
      fc.property(printableAscii, (text) => {
        assert.equal(escapeServerText(text, 300), text);
      }),
      { numRuns: RUNS },
    );
  });

  test("escaping twice changes nothing more (a message escaped at its source and again when printed)", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const once = escapeServerText(text, Infinity);
        assert.equal(escapeServerText(once, Infinity), once);
      }),
      { numRuns: RUNS },
    );
  });

  test("a quote without a cut reads back as exactly the server's text", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        assert.equal(unquote(quoteServerText(text, Infinity)), text);
      }),
      { numRuns: RUNS },
    );
  });

  test("escapeJsonText keeps the JSON value and leaves no raw C1, bidi, U+2028/U+2029 or format character", () => {
    fc.assert(
      fc.property(fc.array(anyText, { maxLength: 5 }), fc.constantFrom(undefined, 4), (tags, indent) => {
        const json = escapeJsonText(JSON.stringify({ Tags: tags }, null, indent));
        assert.deepEqual(JSON.parse(json), { Tags: tags });
        // Nothing forbidden is left but the indentation's newlines.
        assert.deepEqual(rawControlsIn(json), []);
      }),
      { numRuns: RUNS },
    );
  });
});

describe("escapeServerText and quoteServerText (examples)", () => {
  test("ESC sequences, CR/LF, NUL, C1, bidi overrides and isolates, lone surrogates are shown as escapes", () => {
    assert.equal(escapeServerText("a\x1b[31mred\x1b[0m"), "a\\x1b[31mred\\x1b[0m");
    assert.equal(escapeServerText("one\r\ntwo\0"), "one\\r\\ntwo\\x00");
    assert.equal(escapeServerText("\x9b2J\x7f"), "\\x9b2J\\x7f");
    assert.equal(escapeServerText("v1\u202egnp.exe\u2066x\u2069"), "v1\\u202egnp.exe\\u2066x\\u2069");
    assert.equal(escapeServerText("a\ud800b\udc00"), "a\\ud800b\\udc00");
    assert.equal(escapeServerText("tag\u{e0041}"), "tag\\u{e0041}");
    // Unassigned: U+2065 among the isolates, U+E0000 before the tag characters, the noncharacter U+FFFF.
    assert.equal(escapeServerText("\u2065\u{e0000}\uffff"), "\\u2065\\u{e0000}\\uffff");
    assert.equal(escapeServerText("😀 é ü 中"), "😀 é ü 中");
  });

  test("a 10 MB message is cut to the cap, saying how many bytes were left out", () => {
    const huge = "x".repeat(10 * 1024 * 1024);
    assert.equal(escapeServerText(huge, 10), `xxxxxxxxxx…(${10 * 1024 * 1024 - 10} more bytes)`);
    assert.equal(quoteServerText(`é${huge}`, 3), `"éxx"…(${10 * 1024 * 1024 - 2} more bytes)`);
  });

  test("an escape is never split by the cap", () => {
    assert.equal(escapeServerText("ab\x1b", 3), "ab…(1 more bytes)");
    assert.equal(escapeServerText("ab\x1b", 6), "ab\\x1b");
  });

  test("quotes escape their own quote and backslash", () => {
    assert.equal(quoteServerText('say "hi"\\'), '"say \\"hi\\"\\\\"');
    assert.equal(quoteServerText("plain"), '"plain"');
  });

  test("JSON keeps U+2028/U+2029 and bidi as \\u escapes", () => {
    assert.equal(escapeJsonText(JSON.stringify(["a\u2028b\u202ec\x85"])), '["a\\u2028b\\u202ec\\u0085"]');
    assert.equal(escapeJsonText(JSON.stringify("\u{e0041}")), '"\\udb40\\udc41"');
  });

  test("mapStrings reaches every string of an event", () => {
    const event = { type: "response", status: 200, headers: { link: "\x1b" }, scopes: ["\r"] };
    assert.deepEqual(mapStrings(event, (s) => escapeServerText(s)), { type: "response", status: 200, headers: { link: "\\x1b" }, scopes: ["\\r"] });
  });
});
