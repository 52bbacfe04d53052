// Notices changes made in place to the world's JSON data (a provider setting `record.properties.x`, Key Vault pushing
// a version), so `--state` writes only what changed instead of the whole world at every commit.

/** Proxies handed out, to their targets: what is stored in the world is always the plain data, never a proxy. */
const targets = new WeakMap<object, object>();

/** Called with the path (from the tracked root) of every property set or deleted below it. */
export type ChangeListener = (path: readonly string[]) => void;

/**
 * A view of `value` whose writes, at any depth, go to `value` and are reported to `onChange`. Reads return views as
 * well, made afresh each time so a view never reports an object's old place after it was moved.
 */
export function trackChanges<T>(value: T, onChange: ChangeListener, path: readonly string[] = []): T {
  if (value === null || typeof value !== "object" || targets.has(value)) return value;
  const target = value as object;
  const view = new Proxy(target, {
    get(object, key, receiver) {
      const child = Reflect.get(object, key, receiver);
      if (typeof key !== "string" || child === null || typeof child !== "object") return child;
      return trackChanges(child, onChange, [...path, key]);
    },
    set(object, key, child) {
      const done = Reflect.set(object, key, plainDataOf(child));
      if (typeof key === "string") onChange([...path, key]);
      return done;
    },
    deleteProperty(object, key) {
      const done = Reflect.deleteProperty(object, key);
      if (typeof key === "string") onChange([...path, key]);
      return done;
    },
    defineProperty(object, key, descriptor) {
      const done = Reflect.defineProperty(
        object,
        key,
        "value" in descriptor ? { ...descriptor, value: plainDataOf(descriptor.value) } : descriptor,
      );
      if (typeof key === "string") onChange([...path, key]);
      return done;
    },
  });
  targets.set(view, target);
  return view as T;
}

/**
 * `value` with every tracking view inside it replaced by its plain data (in place: a record built from views, such as
 * `{ ...secret }`, must not keep them once stored).
 */
export function plainDataOf<T>(value: T): T {
  if (value === null || typeof value !== "object") return value;
  const target = (targets.get(value) ?? value) as Record<string, unknown>;
  const pending: Record<string, unknown>[] = [target];
  const seen = new Set<object>();
  while (pending.length) {
    const node = pending.pop() as Record<string, unknown>;
    if (seen.has(node)) continue;
    seen.add(node);
    for (const key of Object.keys(node)) {
      const child = node[key];
      if (child === null || typeof child !== "object") continue;
      const plain = targets.get(child) as Record<string, unknown> | undefined;
      if (plain) node[key] = plain;
      pending.push(plain ?? (child as Record<string, unknown>));
    }
  }
  return target as T;
}
