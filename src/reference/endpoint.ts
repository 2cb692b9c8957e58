/**
 * Registry endpoints: the base URL contacted instead of a registry's name
 * (ClientOptions.endpoints, the CLI's `--endpoint HOST=URL` and its config
 * file's "endpoints"). Pure: no I/O.
 */

/** The form an endpoint takes, for messages. */
export const ENDPOINT_FORM = "http(s)://HOST[:PORT][/PATH]";

/**
 * Why `url` cannot be a registry endpoint, or undefined when it can. An
 * endpoint is `http://` or `https://`, a host, an optional port and path, no
 * query, fragment or credentials (they belong in the credentials option, and
 * a URL is printed in traces and errors). A scheme is required: `mirror:5000`
 * parses as a URL of scheme `mirror:`, and whether a mirror speaks http or
 * https is the user's to say. The reason never repeats the URL (it may hold
 * a password); callers add the expected form, {@link ENDPOINT_FORM}.
 *
 * @example checkEndpointUrl("ftp://x") // "its scheme is ftp:, not http: or https:"
 */
export function checkEndpointUrl(url: string): string | undefined {
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(url)?.[1];
  if (scheme === undefined) return "it has no scheme";
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "it is not a URL";
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return `its scheme is ${scheme.toLowerCase()}:, not http: or https:`;
  if (parsed.hostname === "") return "it names no host";
  if (parsed.username !== "" || parsed.password !== "") return "it carries a user name or password (give credentials separately)";
  if (parsed.search !== "" || parsed.hash !== "" || url.includes("?") || url.includes("#")) return "it has a query or fragment";
  return undefined;
}

/**
 * The URL of an endpoint: `endpoints` values as the client takes them, where
 * one written without a scheme (`mirror:5000`, which the CLI refuses) means
 * https. @throws TypeError when it is no URL at all.
 */
export function parseEndpoint(endpoint: string): URL {
  return new URL(endpoint.includes("://") ? endpoint : `https://${endpoint}`);
}
