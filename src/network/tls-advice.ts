/**
 * The one-line advice of a TLS failure: how to trust the registry's CA the
 * way docker, podman and skopeo users already do (the certs.d directory for
 * that exact host[:port], the certDir option, SSL_CERT_FILE) before the last
 * resort, tlsVerify false, which the issue's users reached for first. Options
 * are named in the library's words; the CLI says its flags (cli/option-flags.ts). Pure.
 */

/** The server does not speak TLS at all on this port (OpenSSL's "wrong version number"). */
const NOT_TLS = new Set(["ERR_SSL_WRONG_VERSION_NUMBER", "ERR_SSL_PACKET_LENGTH_TOO_LONG", "EPROTO"]);

/**
 * Alerts a server sends when it wants a client certificate it did not get or
 * did not accept: TLS 1.3 certificate_required (116); TLS 1.2 servers send
 * bad_certificate (Go) or handshake_failure after their CertificateRequest.
 */
const CLIENT_CERTIFICATE_ALERTS = new Set([
  "ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED",
  "ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE",
  "ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE",
  "ERR_SSL_TLSV1_ALERT_UNKNOWN_CA",
  "ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN",
  "ERR_SSL_TLSV1_ALERT_ACCESS_DENIED",
]);

/** Where docker, podman and skopeo look for HOST[:PORT]'s certificates (containers-certs.d(5)). */
export function certsDirectoryHint(host: string): string {
  return `/etc/containers/certs.d/${host}/ (or ~/.config/containers/certs.d/${host}/, /etc/docker/certs.d/${host}/)`;
}

/**
 * "TLS failed (CODE); what is wrong; what to do", for a failure talking to
 * `url`. `code` is the OpenSSL / Node error code (or the message when none).
 */
export function tlsFailureAdvice(url: URL, code: string): string {
  const host = url.host;
  if (NOT_TLS.has(code)) {
    return `TLS failed (${code}); ${host} does not speak TLS on this port; if the registry speaks plain HTTP use the plainHttp option`;
  }
  if (CLIENT_CERTIFICATE_ALERTS.has(code)) {
    return `TLS failed (${code}); ${host} requires a client certificate (or refused the one sent); put NAME.cert and NAME.key in ${certsDirectoryHint(host)}, or pass a directory holding them as the certDir option`;
  }
  const trustIt = `to trust its CA put it in ${certsDirectoryHint(host).replace(`${host}/ (`, `${host}/ca.crt (`)}, pass the certDir option: a directory holding it as NAME.crt, or add it to SSL_CERT_FILE`;
  const lastResort = "only for a registry and network you trust: the tlsVerify option set to false";
  if (code === "ERR_TLS_CERT_ALTNAME_INVALID") {
    return `TLS failed (${code}); the certificate of ${host} is not for that name; use a name the certificate lists, or fix the certificate; ${lastResort}`;
  }
  if (code === "CERT_HAS_EXPIRED" || code === "CERT_NOT_YET_VALID") {
    return `TLS failed (${code}); the certificate of ${host} is outside its validity period (check the clock, or the registry must renew it); ${lastResort}`;
  }
  return `TLS failed (${code}); the certificate of ${host} is not signed by a CA regtags trusts; ${trustIt}; ${lastResort}`;
}
