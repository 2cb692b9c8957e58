/**
 * The `quota` fault: a fixed-window request quota with the rate-limit headers a
 * registry sends (RL-1). Docker Hub writes `ratelimit-limit: 100;w=21600` and
 * `ratelimit-remaining: 76;w=21600` (docs.docker.com, "Docker Hub usage and
 * limits") and counts manifest GETs only; GitHub-style APIs write
 * `x-ratelimit-limit`, `x-ratelimit-remaining` and `x-ratelimit-reset` (epoch
 * seconds) and count every request. Past the quota the answer is 429 until the
 * window ends: Hub's pull-limit body, or a plain JSON TOOMANYREQUESTS.
 */
import type { Call, RegistryContext } from "./context.js";
import { answerReply, type Reply } from "./reply.js";
import type { FaultState } from "./tags.js";
import type { RequestKind } from "./types.js";

/** Hub's pull-limit message (RL-3), as its registry words it. */
export const HUB_PULL_LIMIT_MESSAGE =
  "You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit";

/** Counts a request against the profile's quota and adds the headers, or answers 429. */
export function applyQuota(ctx: RegistryContext, call: Call, kind: RequestKind, reply: Reply, state: FaultState): Reply {
  const quota = ctx.profile.faults?.quota;
  if (quota === undefined || (kind !== "tags" && kind !== "manifest")) return reply;
  const now = ctx.now();
  const windowMs = quota.windowSeconds * 1000;
  if (state.quotaWindowStart === undefined || now >= state.quotaWindowStart + windowMs) {
    state.quotaWindowStart = now;
    state.quotaUsed = 0;
  }
  const counts = quota.style === "x-ratelimit" || call.method === "GET";
  const over = counts && state.quotaUsed >= quota.limit;
  if (counts && !over) state.quotaUsed++;
  const remaining = Math.max(0, quota.limit - state.quotaUsed);
  const resetEpochSeconds = Math.ceil((state.quotaWindowStart + windowMs) / 1000);
  const headers: Record<string, string> =
    quota.style === "dockerhub"
      ? {
          "ratelimit-limit": `${quota.limit};w=${quota.windowSeconds}`,
          "ratelimit-remaining": `${remaining};w=${quota.windowSeconds}`,
          "docker-ratelimit-source": "127.0.0.1",
        }
      : { "x-ratelimit-limit": String(quota.limit), "x-ratelimit-remaining": String(remaining), "x-ratelimit-reset": String(resetEpochSeconds) };
  if (over) {
    const answer = quota.style === "dockerhub" ? { status: 429, code: "TOOMANYREQUESTS", message: HUB_PULL_LIMIT_MESSAGE } : { status: 429, code: "TOOMANYREQUESTS" };
    return answerReply(answer, headers);
  }
  return { ...reply, headers: { ...reply.headers, ...headers } };
}
