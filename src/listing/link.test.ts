import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { ProtocolError } from "../errors.js";
import { findNextLink, parseLinkHeader } from "./link.js";
import { cpuMsOf } from "../../test/helpers/cpu-time.js";

const BASE = "https://r.example/v2/test/tags/list?n=2";
const QUAY = "https://quay.io/v2/coreos/etcd/tags/list?next_page=gAAAAABY1x2Ew%3D%3D&n=50";

describe("findNextLink: section 4 Link fixtures", () => {
  const rows: Array<[string, string, string | undefined]> = [
    ["relative path", '</v2/test/tags/list?last=asj9e&n=2>; rel="next"', "https://r.example/v2/test/tags/list?last=asj9e&n=2"],
    ["quay absolute, %3D kept", `<${QUAY}>; rel="next"`, QUAY],
    ["unquoted rel", "</v2/x/tags/list?n=10&last=b>; rel=next", "https://r.example/v2/x/tags/list?n=10&last=b"],
    ["prev then next", '<https://r.example/p?last=a>; rel="prev", <https://r.example/p?last=d>; rel="next"', "https://r.example/p?last=d"],
    ["multi-valued rel", '</p?x=1>; rel="next last"', "https://r.example/p?x=1"],
    ["case-insensitive", '</p>; REL="NEXT"', "https://r.example/p"],
    ["comma inside <>", '</v2/x/tags/list?last=a,b&n=2>; rel="next"', "https://r.example/v2/x/tags/list?last=a,b&n=2"],
    ["relative to the directory", '<list?n=2&last=b>; rel="next"', "https://r.example/v2/test/tags/list?n=2&last=b"],
    ["query-only reference", '<?n=2&last=b>; rel="next"', "https://r.example/v2/test/tags/list?n=2&last=b"],
    ["second rel ignored", '</a>; rel="prev"; rel="next"', undefined],
    ["ghcr n=0 kept verbatim", '</v2/owner/img/tags/list?last=v1&n=0>; rel="next"', "https://r.example/v2/owner/img/tags/list?last=v1&n=0"],
    ["no header", "", undefined],
    ["only prev", '</p>; rel="prev"', undefined],
    ["scheme-relative", '<//other.example/v2/x?last=z>; rel="next"', "https://other.example/v2/x?last=z"],
    ["first next wins", '</one>; rel="next", </two>; rel="next"', "https://r.example/one"],
    ["comma inside a quoted param", '</p>; title="a, b"; rel="next"', "https://r.example/p"],
  ];
  for (const [name, header, expected] of rows) {
    test(name, () => assert.equal(findNextLink(header, BASE)?.href, expected));
  }
  test("Distribution fixture: n=2 over 5 tags gives 3 pages", () => {
    const links = ['</v2/test/tags/list?last=asj9e&n=2>; rel="next"', '</v2/test/tags/list?last=kb0j5&n=2>; rel="next"', undefined];
    let url: URL | undefined = new URL(BASE);
    let pages = 0;
    for (const link of links) {
      assert.ok(url);
      pages++;
      url = findNextLink(link, url);
    }
    assert.equal(pages, 3);
    assert.equal(url, undefined);
  });
  test("base as URL and repeated header lines", () =>
    assert.equal(findNextLink(['</a>; rel="prev"', '</b>; rel="next"'], new URL(BASE))?.href, "https://r.example/b"));
  test("null and undefined", () => {
    assert.equal(findNextLink(undefined, BASE), undefined);
    assert.equal(findNextLink(null, BASE), undefined);
  });
  test("non-http target", () =>
    assert.throws(() => findNextLink('<javascript:alert(1)>; rel="next"', BASE), (e: unknown) => e instanceof ProtocolError && /not an http\(s\) URL/.test(e.message)));
  test("unresolvable target", () =>
    assert.throws(() => findNextLink('<http://[zz>; rel="next"', BASE), (e: unknown) => e instanceof ProtocolError && /cannot be resolved/.test(e.message)));
  test("invalid base", () => assert.throws(() => findNextLink('</p>; rel="next"', "not a url"), ProtocolError));
});

describe("parseLinkHeader", () => {
  test("params: names lower-cased, values verbatim, first wins", () => {
    const [link] = parseLinkHeader('</p>; Rel="Next Prev"; TITLE="A \\"q\\""; title=second; hreflang=en; crossorigin');
    assert.ok(link);
    assert.equal(link.target, "/p");
    assert.deepEqual(link.rel, ["next", "prev"]);
    assert.deepEqual({ ...link.params }, { rel: "Next Prev", title: 'A "q"', hreflang: "en", crossorigin: "" });
  });
  test("several links and empty elements", () => {
    const links = parseLinkHeader(' , </a>; rel=prev,, </b>;rel="next" ,');
    assert.deepEqual(links.map((l) => [l.target, l.rel]), [["/a", ["prev"]], ["/b", ["next"]]]);
  });
  test("link without params", () => assert.deepEqual(parseLinkHeader("</a>").map((l) => l.rel), [[]]));
  test("BWS around '=' and empty params", () => assert.deepEqual(parseLinkHeader("</a> ;; rel = next ;").map((l) => l.rel), [["next"]]));
  test("__proto__ param cannot pollute", () => {
    const [link] = parseLinkHeader('</a>; __proto__="x"; rel=next');
    assert.equal(link?.params["__proto__"], "x");
    assert.equal(Object.getPrototypeOf(link?.params), null);
  });
});

describe("parseLinkHeader: malformed input throws ProtocolError", () => {
  const rows: Array<[string, RegExp]> = [
    ['/v2/x/tags/list?last=b; rel="next"', /expected '<'/],
    ['</v2/x/tags/list?last=b; rel="next"', /no closing '>'/],
    ['</a>; rel="next', /unterminated quoted-string/],
    ['</a> rel="next"', /expected ',' or ';'/],
    ['</a>; ="next"', /expected a parameter name/],
    ["</a>; rel=", /'=' but no value/],
    ['</a>; rel="next" </b>', /expected ',' or ';'/],
  ];
  for (const [header, problem] of rows) {
    test(header, () =>
      assert.throws(
        () => parseLinkHeader(header),
        (e: unknown) => e instanceof ProtocolError && e.message.startsWith("malformed Link header: ") && problem.test(e.message),
      ));
  }
  test("findNextLink rethrows the parse error", () => assert.throws(() => findNextLink("nonsense", BASE), ProtocolError));
  test("excerpt is bounded and linear on long input (performance guard: CPU time)", () => {
    for (const header of [`<${"a".repeat(100_000)}`, `</a>; rel="${"x".repeat(100_000)}`, `${"</a>;".repeat(20_000)}x`, `</a>${";".repeat(100_000)}"`]) {
      const cpuMs = cpuMsOf(() => assert.throws(() => parseLinkHeader(header), (e: unknown) => e instanceof ProtocolError && e.message.length < 400));
      assert.ok(cpuMs < 200, `${cpuMs.toFixed(0)} ms of CPU for ${header.length} characters`);
    }
  });
});

test("a next link from https to http is a downgrade, refused; http to https and https to https are fine", () => {
  assert.throws(
    () => findNextLink('<http://evil.example/v2/x/tags/list?last=b>; rel="next"', "https://r.example/v2/x/tags/list?n=2"),
    (e: unknown) => e instanceof ProtocolError && /refusing the Link rel="next" from https to http \("http:\/\/evil\.example"\)/.test(e.message),
  );
  assert.equal(findNextLink('<https://r.example/next>; rel="next"', "http://r.example/v2/x/tags/list")?.protocol, "https:");
  assert.equal(findNextLink('</next>; rel="next"', "https://r.example/v2/x/tags/list")?.href, "https://r.example/next");
});
