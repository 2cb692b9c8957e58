/**
 * `await using client = createClient()` (explicit resource management, TC39
 * stage 3, TypeScript 5.2): `Symbol.asyncDispose` closes the object. Defined
 * only where the runtime has the symbol (Node 20.4 and later do); no polyfill.
 */
export function asyncDisposable<T extends { close(): Promise<void> }>(target: Omit<T, typeof Symbol.asyncDispose>): T {
  if (typeof Symbol.asyncDispose === "symbol") {
    Object.defineProperty(target, Symbol.asyncDispose, { value: () => target.close(), enumerable: false, configurable: true, writable: true });
  }
  return target as T;
}
