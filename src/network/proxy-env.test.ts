import { test } from "node:test";
import assert from "node:assert/strict";
import { hasProxySetting } from "./types.js";
import { isLoopbackHost, matchNoProxy, parseIp, parseNoProxy, parseProxyUrl, proxyAuthorization, redactProxyUrl, resolveProxy, type ProxySettings } from "./proxy-env.js";

/** "proxy URL (source)" or "direct (reason)" or "invalid (reason)", for compact tables. */
function decide(target: string, settings: Partial<ProxySettings>): string {
  const decision = resolveProxy(new URL(target), { env: {}, ...settings });
  if (decision.kind === "proxy") return `${decision.proxy.href} (${decision.source})`;
  return `${decision.kind} (${decision.reason})`;
}

test("the variable per scheme, lowercase first, ALL_PROXY as fallback", () => {
  const cases: [string, Record<string, string>, string][] = [
    ["https://r.example/v2/", { HTTPS_PROXY: "http://p:3128" }, "http://p:3128/ (HTTPS_PROXY)"],
    ["https://r.example/v2/", { https_proxy: "http://low:1", HTTPS_PROXY: "http://up:2" }, "http://low:1/ (https_proxy)"],
    ["https://r.example/v2/", { HTTP_PROXY: "http://p:3128" }, "direct (no proxy configured)"],
    ["http://r.example/v2/", { HTTP_PROXY: "http://p:3128", HTTPS_PROXY: "http://q:1" }, "http://p:3128/ (HTTP_PROXY)"],
    ["http://r.example/v2/", { http_proxy: "http://low:1", HTTP_PROXY: "http://up:2" }, "http://low:1/ (http_proxy)"],
    ["https://r.example/v2/", { ALL_PROXY: "http://all:1" }, "http://all:1/ (ALL_PROXY)"],
    ["http://r.example/v2/", { all_proxy: "http://a:1", ALL_PROXY: "http://b:1" }, "http://a:1/ (all_proxy)"],
    ["https://r.example/v2/", { HTTPS_PROXY: "http://s:1", ALL_PROXY: "http://all:1" }, "http://s:1/ (HTTPS_PROXY)"],
    ["https://r.example/v2/", { https_proxy: "", HTTPS_PROXY: "http://up:2" }, "http://up:2/ (HTTPS_PROXY)"],
    ["https://r.example/v2/", {}, "direct (no proxy configured)"],
    ["https://r.example/v2/", { HTTPS_PROXY: "proxy.corp:3128" }, "http://proxy.corp:3128/ (HTTPS_PROXY)"],
    ["https://r.example/v2/", { HTTPS_PROXY: "https://proxy.corp" }, "https://proxy.corp/ (HTTPS_PROXY)"],
    ["https://r.example/v2/", { HTTPS_PROXY: "socks5://proxy.corp:1080" }, "invalid (proxy scheme socks5 is not supported (use http:// or https://))"],
    ["https://r.example/v2/", { ALL_PROXY: "socks5://proxy.corp:1080" }, "direct (ALL_PROXY ignored: proxy scheme socks5 is not supported (use http:// or https://))"],
  ];
  for (const [target, env, expected] of cases) assert.equal(decide(target, { env }), expected, `${target} ${JSON.stringify(env)}`);
});

test("explicit proxy and noProxy win over the environment", () => {
  const env = { HTTPS_PROXY: "http://envproxy:1", HTTP_PROXY: "http://envproxy:2", NO_PROXY: "r.example" };
  assert.equal(decide("https://other.example/", { env, proxy: "http://flag:3128" }), "http://flag:3128/ (the proxy option)");
  assert.equal(decide("http://other.example/", { env, proxy: "flag:3128" }), "http://flag:3128/ (the proxy option)");
  // As curl: NO_PROXY still applies to --proxy unless --no-proxy replaces it.
  assert.equal(decide("https://r.example/", { env, proxy: "http://flag:3128" }), "direct (NO_PROXY entry r.example)");
  assert.equal(decide("https://r.example/", { env, noProxy: "other.example" }), "http://envproxy:1/ (HTTPS_PROXY)");
  assert.equal(decide("https://other.example/", { env, noProxy: "other.example" }), "direct (the noProxy option entry other.example)");
  assert.equal(decide("https://r.example/", { env, proxy: "" }), "direct (the proxy setting is empty)");
});

test("NO_PROXY: names, leading dots, IPs, CIDRs, ports, *", () => {
  const proxy = { HTTPS_PROXY: "http://p:3128", HTTP_PROXY: "http://p:3128" };
  const cases: [string, string, string][] = [
    // [NO_PROXY, target, expected]
    ["registry.test", "https://registry.test/v2/", "direct (NO_PROXY entry registry.test)"],
    ["registry.test", "https://a.b.registry.test/v2/", "direct (NO_PROXY entry registry.test)"],
    ["registry.test", "https://myregistry.test/v2/", "http://p:3128/ (HTTPS_PROXY)"],
    ["registry.test", "https://registry.test.evil/v2/", "http://p:3128/ (HTTPS_PROXY)"],
    [".corp.example", "https://r.corp.example/", "direct (NO_PROXY entry .corp.example)"],
    [".corp.example", "https://corp.example/", "direct (NO_PROXY entry .corp.example)"], // curl's reading
    ["*.corp.example", "https://r.corp.example/", "direct (NO_PROXY entry *.corp.example)"],
    ["Registry.TEST", "https://registry.test/", "direct (NO_PROXY entry registry.test)"],
    ["registry.test.", "https://registry.test/", "direct (NO_PROXY entry registry.test.)"],
    [" a.example , registry.test ", "https://registry.test/", "direct (NO_PROXY entry registry.test)"],
    ["registry.test:5000", "https://registry.test:5000/", "direct (NO_PROXY entry registry.test:5000)"],
    ["registry.test:5000", "https://registry.test/", "http://p:3128/ (HTTPS_PROXY)"],
    ["registry.test:443", "https://registry.test/", "direct (NO_PROXY entry registry.test:443)"],
    ["registry.test:80", "http://registry.test/", "direct (NO_PROXY entry registry.test:80)"],
    ["10.1.2.3", "https://10.1.2.3/", "direct (NO_PROXY entry 10.1.2.3)"],
    ["10.1.2.3", "https://10.1.2.4/", "http://p:3128/ (HTTPS_PROXY)"],
    ["10.0.0.0/8", "https://10.200.3.4:5000/", "direct (NO_PROXY entry 10.0.0.0/8)"],
    ["10.0.0.0/8", "https://11.0.0.1/", "http://p:3128/ (HTTPS_PROXY)"],
    ["192.168.4.0/22", "https://192.168.7.255/", "direct (NO_PROXY entry 192.168.4.0/22)"],
    ["192.168.4.0/22", "https://192.168.8.1/", "http://p:3128/ (HTTPS_PROXY)"],
    ["10.1.2.3:5000", "https://10.1.2.3:5000/", "direct (NO_PROXY entry 10.1.2.3:5000)"],
    ["10.1.2.3:5000", "https://10.1.2.3/", "http://p:3128/ (HTTPS_PROXY)"],
    ["fd00::/8", "https://[fd12::1]:5000/", "direct (NO_PROXY entry fd00::/8)"],
    ["fd00::/8", "https://[fe80::1]/", "http://p:3128/ (HTTPS_PROXY)"],
    ["2001:db8::5", "https://[2001:db8:0::5]/", "direct (NO_PROXY entry 2001:db8::5)"],
    ["[2001:db8::5]:5000", "https://[2001:db8::5]:5000/", "direct (NO_PROXY entry [2001:db8::5]:5000)"],
    ["[2001:db8::5]:5000", "https://[2001:db8::5]/", "http://p:3128/ (HTTPS_PROXY)"],
    // An IP entry never matches a name, nor a name entry an IP (nothing is resolved).
    ["10.1.2.3", "https://registry.test/", "http://p:3128/ (HTTPS_PROXY)"],
    ["*", "https://anything.example/", "direct (NO_PROXY entry *)"],
    ["a.example,*", "http://b.example/", "direct (NO_PROXY entry *)"],
    // "*" only counts alone; garbage entries are skipped.
    ["*example", "https://r.example/", "http://p:3128/ (HTTPS_PROXY)"],
    ["bad entry,10.0.0.0/99,registry.test", "https://registry.test/", "direct (NO_PROXY entry registry.test)"],
    ["", "https://registry.test/", "http://p:3128/ (HTTPS_PROXY)"],
  ];
  for (const [noProxy, target, expected] of cases) assert.equal(decide(target, { env: { ...proxy, NO_PROXY: noProxy } }), expected, `NO_PROXY=${noProxy} ${target}`);
  // Lowercase no_proxy wins over NO_PROXY.
  assert.equal(decide("https://a.example/", { env: { ...proxy, no_proxy: "a.example", NO_PROXY: "b.example" } }), "direct (NO_PROXY entry a.example)");
  assert.equal(decide("https://b.example/", { env: { ...proxy, no_proxy: "a.example", NO_PROXY: "b.example" } }), "http://p:3128/ (HTTPS_PROXY)");
});

test("loopback is never proxied, even with an explicit proxy", () => {
  for (const target of ["https://localhost:5000/", "http://127.0.0.1:5000/", "https://127.8.9.10/", "https://[::1]:5000/", "https://reg.localhost/", "http://LOCALHOST/"]) {
    assert.equal(decide(target, { proxy: "http://p:3128", env: { HTTPS_PROXY: "http://p:1" } }), "direct (loopback)", target);
  }
  assert.equal(isLoopbackHost("128.0.0.1"), false);
  assert.equal(isLoopbackHost("::2"), false);
  assert.equal(isLoopbackHost("localhost.example"), false);
});

test("proxy URLs: scheme defaulting, validation, redaction and Basic credentials", () => {
  assert.equal(redactProxyUrl(parseProxyUrl("http://alice:s3cr%40t@proxy.corp:3128") as URL), "http://proxy.corp:3128");
  assert.equal(redactProxyUrl(parseProxyUrl("proxy.corp") as URL), "http://proxy.corp:80");
  assert.equal(redactProxyUrl(parseProxyUrl("https://proxy.corp") as URL), "https://proxy.corp:443");
  assert.equal(proxyAuthorization(parseProxyUrl("http://alice:s3cr%40t@proxy.corp:3128") as URL), `Basic ${Buffer.from("alice:s3cr@t").toString("base64")}`);
  assert.equal(proxyAuthorization(parseProxyUrl("http://al%20ice@proxy.corp:3128") as URL), `Basic ${Buffer.from("al ice:").toString("base64")}`);
  assert.equal(proxyAuthorization(parseProxyUrl("http://proxy.corp:3128") as URL), undefined);
  for (const bad of ["http://", "ftp://proxy:21", "http://proxy:3128/path", "http://proxy:99999"]) assert.equal(typeof parseProxyUrl(bad), "string", bad);
  // The reason never echoes the URL (it may hold a password).
  const reason = parseProxyUrl("socks5://alice:hunter2@proxy:1080") as string;
  assert.doesNotMatch(reason, /hunter2/);
});

test("hasProxySetting is false without settings or variables, so no proxy code loads", () => {
  assert.equal(hasProxySetting({}, {}), false);
  assert.equal(hasProxySetting({}, { NO_PROXY: "x", HTTPS_PROXY: " " }), false);
  assert.equal(hasProxySetting({}, { all_proxy: "http://p:1" }), true);
  assert.equal(hasProxySetting({}, { http_proxy: "http://p:1" }), true);
  assert.equal(hasProxySetting({ proxy: "http://p:1" }, {}), true);
  assert.equal(hasProxySetting({ proxy: "" }, { HTTPS_PROXY: "http://p:1" }), false);
});

test("parseIp and matchNoProxy edge cases", () => {
  assert.deepEqual(parseIp("::ffff:10.0.0.1")?.slice(10), [0xff, 0xff, 10, 0, 0, 1]);
  assert.equal(parseIp("1.2.3.256"), undefined);
  assert.equal(parseIp("1::2::3"), undefined);
  assert.equal(parseIp("1:2:3:4:5:6:7:8:9"), undefined);
  assert.equal(parseIp("registry.test"), undefined);
  assert.equal(matchNoProxy(parseNoProxy("0.0.0.0/0"), "8.8.8.8", 443), "0.0.0.0/0");
  assert.equal(matchNoProxy(parseNoProxy("0.0.0.0/0"), "::1", 443), undefined);
});
