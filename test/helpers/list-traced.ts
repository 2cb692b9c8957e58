/**
 * Lists one repository with a client of its own and collects its network
 * trace lines (route, trust): for tests of proxies and trust. One attempt, a
 * 5 s connect timeout and no real certs.d directory unless `options` says
 * otherwise. A regtags error is returned, not thrown.
 */
import { createClient, isRegtagsError, type ClientOptions, type TraceEvent } from "../../src/index.js";
import { NOWHERE } from "./run-cli.js";

export interface TracedListing {
  readonly tags?: string[];
  readonly error?: { readonly code: string; readonly message: string };
  /** The `network` trace events' messages, in order. */
  readonly trace: string[];
}

export async function listTraced(reference: string, options: ClientOptions): Promise<TracedListing> {
  const trace: string[] = [];
  const client = createClient({
    retry: { attempts: 1 },
    connectTimeoutMs: 5000,
    certsDirectories: [`${NOWHERE}/certs.d`],
    ...options,
    onTrace: (event: TraceEvent) => {
      if (event.type === "network") trace.push(event.message);
    },
  });
  try {
    return { tags: (await client.listTags(reference)).tags, trace };
  } catch (error) {
    if (!isRegtagsError(error)) throw error;
    if (process.env["SHOW_NET_ERRORS"]) console.error(error.message);
    return { error: { code: error.code, message: error.message }, trace };
  } finally {
    await client.close();
  }
}
