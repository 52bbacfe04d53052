// Declared routes of the REST services (ARM, Key Vault), matched as both services match paths: any case, `//`
// collapsed, a trailing slash ignored; a path that only another method serves is told apart, for a 405.
import FindMyWay, { type HTTPVersion } from "find-my-way";

export interface RestRoute {
  method: string;
  /** find-my-way pattern, e.g. "/secrets/:secretName/:secretVersion". */
  path: string;
}

export type RouteLookup<Route> =
  | { kind: "found"; route: Route; params: Record<string, string> }
  | { kind: "method-not-allowed" }
  | { kind: "not-found" };

export interface RestRouter<Route> {
  find(method: string, path: string): RouteLookup<Route>;
}

/** `methods`: every method the service serves, to tell a 405 from a 404. */
export function createRestRouter<Route extends RestRoute>(
  routes: Iterable<Route>,
  methods: readonly string[],
): RestRouter<Route> {
  const router = FindMyWay<HTTPVersion.V1>({
    caseSensitive: false,
    ignoreDuplicateSlashes: true,
    ignoreTrailingSlash: true,
    maxParamLength: 500,
  });
  type Method = Parameters<typeof router.find>[0];
  for (const route of routes) router.on(route.method as Method, route.path, () => route);
  return {
    find(method, path) {
      const match = router.find(method as Method, path);
      if (!match) {
        const servedOtherwise = methods.some((other) => router.find(other as Method, path));
        return { kind: servedOtherwise ? "method-not-allowed" : "not-found" };
      }
      const route = (match.handler as () => Route)();
      // Values keep the case they were sent in; find-my-way leaves an empty segment undefined.
      const params = Object.fromEntries(Object.entries(match.params).map(([k, v]) => [k, v ?? ""]));
      return { kind: "found", route, params };
    },
  };
}
