// The emulator's layers, lowest first, and the few rules inside a layer: the one place that says which folder may
// import which. A module may import its own layer and the layers below it, never one above.
// Paths are relative to packages/emulator/src; a path ending in "/" names a folder and everything in it.

export interface Layer {
  name: string;
  why: string;
  paths: string[];
}

export const EMULATOR_LAYERS: Layer[] = [
  {
    name: "identifiers",
    why: "hosts, resource types and ID builders that every layer names, and where the shared fixtures are",
    paths: ["identifiers.ts", "shared-files.ts"],
  },
  {
    name: "template engine",
    why: "ARM's template language, pure: no HTTP, no world; the deployments API drives it through its index.ts",
    paths: ["template-engine/"],
  },
  {
    name: "cross-cutting",
    why: "proxy and TLS, HTTP plumbing and the service dispatcher, tokens and RBAC, the world state and its persistence, logs, faults, the emulator's home folder, what points a client at the emulator",
    paths: ["files/", "http/", "tls/", "auth/", "state/", "log/", "faults/", "clients/"],
  },
  {
    name: "services",
    why: "what IMDS, ARM and Key Vault answer, each with its routes, its state and its error bodies",
    paths: ["imds/", "arm/", "keyvault/"],
  },
  {
    name: "composition",
    why: "starts the parts and wires them together: the emulator, its CLI, its admin endpoint, the package entry",
    paths: ["emulator.ts", "cli/", "admin/", "index.ts"],
  },
];

/** Imports forbidden inside a layer: `from` may import nothing matching `to` (and, with `only`, nothing else). */
export interface InnerRule {
  from: string[];
  why: string;
  forbidden?: string[];
  /** When set, the only paths `from` may import. */
  only?: string[];
}

export const INNER_RULES: InnerRule[] = [
  {
    from: ["tls/", "clients/", "files/", "cli/shell-environment.ts", "cli/cli-invocation.ts"],
    forbidden: ["state/"],
    why: "the proxy, the environment and the home folder work without the emulated world; shared file helpers live in files/",
  },
  {
    from: ["template-engine/"],
    only: ["template-engine/", "identifiers.ts", "shared-files.ts"],
    why: "the template engine evaluates ARM templates with no HTTP and no world: it stands alone",
  },
];

/** Units reached from outside only through their entry point (folder -> the one module others may import). */
export const ENTRY_POINTS: Record<string, string> = {
  "template-engine/": "template-engine/index.ts",
};

/** Whether `file` is one of `paths` (a file, or a folder ending in "/"). */
export function matches(file: string, paths: string[]): boolean {
  return paths.some((p) => (p.endsWith("/") ? file.startsWith(p) : file === p));
}

/** The index of `file`'s layer in EMULATOR_LAYERS, or -1 when no layer names it. */
export function layerOf(file: string): number {
  return EMULATOR_LAYERS.findIndex((layer) => matches(file, layer.paths));
}
