// checkBeforeCreating: marks the read that makes sure a resource is free before creating it, so that a denial of it is
// explained with the role that creating the resource needs, on a scope that exists.

const creationChecks = new WeakSet<object>();

/**
 * `read` (a GET of the resource about to be created), unchanged; when it fails, explainError knows the caller was about
 * to create that resource, and hints the role creating it needs (Contributor on its resource group) rather than a
 * read role on a resource that does not exist yet.
 */
export async function checkBeforeCreating<T>(read: Promise<T>): Promise<T> {
  try {
    return await read;
  } catch (error) {
    if (typeof error === "object" && error !== null) creationChecks.add(error);
    throw error;
  }
}

export function isCheckBeforeCreating(error: unknown): boolean {
  return typeof error === "object" && error !== null && creationChecks.has(error);
}
