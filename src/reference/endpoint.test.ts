import { test } from "node:test";
import assert from "node:assert/strict";
import { checkEndpointUrl } from "./endpoint.js";

const table: Array<[string, RegExp | undefined]> = [
  ["http://127.0.0.1:5000", undefined],
  ["https://mirror.example", undefined],
  ["https://mirror.example:8443/v2-proxy", undefined],
  ["http://[::1]:5000/", undefined],
  ["mirror:5000", /no scheme/],
  ["127.0.0.1:5000", /no scheme/],
  ["ftp://x", /scheme is ftp:, not http: or https:/],
  ["FTP://x", /scheme is ftp:/],
  ["http://", /not a URL/],
  ["http://user:hunter2@mirror.example", /user name or password/],
  ["http://mirror.example/?x=1", /query or fragment/],
  ["http://mirror.example/#top", /query or fragment/],
  ["http://exa mple", /not a URL/],
];
for (const [url, problem] of table) {
  test(`checkEndpointUrl(${JSON.stringify(url)})`, () => {
    const found = checkEndpointUrl(url);
    if (problem === undefined) assert.equal(found, undefined);
    else {
      assert.match(found ?? "", problem);
      assert.ok(!(found ?? "").includes("hunter2"), "never repeats a password");
    }
  });
}
