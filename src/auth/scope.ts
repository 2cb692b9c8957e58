/**
 * Token scopes (distribution docs/spec/auth/scope.md; CH-8, REF-10). This
 * module is pure: it parses the `scope` parameter of a Bearer challenge,
 * builds the scopes regtags asks for, and decides whether a granted scope
 * covers a wanted one. Which scopes to request is `authenticate.ts`'s job.
 */

import { ProtocolError } from "../errors.js";

/** One resource scope: `type[(resourceClass)]:name:action[,action]*`. */
export interface Scope {
  readonly type: string;
  readonly resourceClass?: string;
  readonly name: string;
  readonly actions: readonly string[];
}

/** REF-10: the scope for listing repositories with `GET /v2/_catalog`. */
export const CATALOG_SCOPE = "registry:catalog:*";

/** scope.md resourcetypevalue is `[a-z0-9]+`; we also take `_`, `.`, `-` and upper case from lax servers. */
const TYPE_RE = /^[A-Za-z0-9_.-]+$/;
/** scope.md action is `[a-z]*`; `*` means every action (Codeberg, catalog). */
const ACTION_RE = /^(?:\*|[A-Za-z0-9_-]+)$/;

/**
 * Parses one scope. The name may itself contain `:` (a host port, as in
 * `repository:localhost:5000/foo:pull`), so the type ends at the first `:`
 * and the actions start after the last one (CH-8).
 *
 * @throws ProtocolError when the text is not `type[(class)]:name:actions`.
 * @example
 * parseScope("repository(plugin):a/b:pull,push");
 * // { type: "repository", resourceClass: "plugin", name: "a/b", actions: ["pull", "push"] }
 */
export function parseScope(text: string): Scope {
  const fail = (problem: string): never => {
    const shown = text.length <= 200 ? text : `${text.slice(0, 200)}…`;
    throw new ProtocolError(
      `invalid scope ${JSON.stringify(shown)}: ${problem}; expected type:name:actions such as "repository:library/ubuntu:pull"`,
    );
  };
  if (/\s/.test(text)) fail("a scope contains no whitespace (a list of scopes is space-separated)");
  const first = text.indexOf(":");
  const last = text.lastIndexOf(":");
  if (first === -1 || first === last) fail("it needs two ':'");

  let type = text.slice(0, first);
  let resourceClass: string | undefined;
  const open = type.indexOf("(");
  if (open !== -1) {
    if (!type.endsWith(")")) fail("the resource class must be closed with ')' before ':'");
    resourceClass = type.slice(open + 1, -1);
    type = type.slice(0, open);
    if (!TYPE_RE.test(resourceClass)) fail("the resource class in parentheses is empty or has invalid characters");
  }
  if (!TYPE_RE.test(type)) fail("the resource type is empty or has invalid characters");

  const name = text.slice(first + 1, last);
  if (name.length === 0) fail("the resource name is empty");

  // scope.md allows an empty action list ("repository:foo:").
  const actionText = text.slice(last + 1);
  const actions = actionText === "" ? [] : actionText.split(",");
  for (const action of actions) {
    if (!ACTION_RE.test(action)) fail(`action ${JSON.stringify(action)} is empty or has invalid characters`);
  }
  return { type, ...(resourceClass === undefined ? {} : { resourceClass }), name, actions };
}

/**
 * Parses a space-separated list of scopes, as in a challenge's `scope`
 * parameter (CH-7). An empty or blank string gives `[]`.
 *
 * @throws ProtocolError when any scope is malformed.
 */
export function parseScopeList(text: string): Scope[] {
  return text
    .split(/[ \t]+/)
    .filter((part) => part !== "")
    .map(parseScope);
}

/** Formats a scope as `type[(class)]:name:actions`, the inverse of {@link parseScope}. */
export function formatScope(scope: Scope): string {
  const type = scope.resourceClass === undefined ? scope.type : `${scope.type}(${scope.resourceClass})`;
  return `${type}:${scope.name}:${scope.actions.join(",")}`;
}

/**
 * The scope string for a repository (REF-10).
 *
 * @param repository the repository path without the registry, e.g. "library/ubuntu".
 * @param actions defaults to `["pull"]`, all that listing tags needs.
 * @example repositoryScope("library/ubuntu") // "repository:library/ubuntu:pull"
 */
export function repositoryScope(repository: string, actions: readonly string[] = ["pull"]): string {
  return formatScope({ type: "repository", name: repository, actions });
}

/**
 * True when `granted` covers `wanted` (same type/name, every wanted action present or "*").
 * The resource class must match too: `repository(plugin)` is another resource
 * than `repository`.
 */
export function scopeCovers(granted: Scope, wanted: Scope): boolean {
  if (granted.type !== wanted.type || granted.name !== wanted.name) return false;
  if (granted.resourceClass !== wanted.resourceClass) return false;
  if (granted.actions.includes("*")) return true;
  return wanted.actions.every((action) => granted.actions.includes(action));
}
