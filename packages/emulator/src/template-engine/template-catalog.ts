// Resolves templateLink URIs from the local catalog in shared/templates, never from the network.

import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { sharedPath } from "../shared-files.ts";
import { invalidContentLink, templateParseFailed } from "./errors.ts";
import { isTemplateObject, type TemplateObject, toTemplateValue } from "./template-values.ts";

/** shared/templates (in this repository, or in the installed package). */
export const DEFAULT_CATALOG_DIRECTORY = `${sharedPath("templates")}/`;

export interface CatalogEntry {
  /** Path of the template, relative to the catalog directory. */
  file: string;
  description?: string;
  uris: string[];
}

export interface ResolvedTemplateLink {
  /** The template, parsed. */
  template: TemplateObject;
  /** Absolute path of the local file it came from. */
  path: string;
  entry: CatalogEntry;
}

/**
 * Scheme and host compare case-insensitively, the path exactly; a query (a SAS token) and a
 * fragment are ignored, as they select access, not content.
 */
function normalizeUri(uri: string): string | undefined {
  try {
    const url = new URL(uri);
    return `${url.protocol}//${url.host}${url.pathname}`;
  } catch {
    return undefined;
  }
}

export function readCatalog(catalogDirectory: string = DEFAULT_CATALOG_DIRECTORY): CatalogEntry[] {
  const parsed: unknown = JSON.parse(readFileSync(`${catalogDirectory}/catalog.json`, "utf8"));
  const templates = isTemplateObject(parsed) ? parsed.templates : undefined;
  if (!Array.isArray(templates)) throw new Error(`${catalogDirectory}/catalog.json has no 'templates' array`);
  return templates as unknown as CatalogEntry[];
}

/**
 * The local template for a templateLink URI. A URI the catalog does not list fails with ARM's
 * InvalidContentLink error (what ARM answers when it cannot download a link) without any request.
 */
export function resolveTemplateLink(
  uri: string,
  options: { catalogDirectory?: string } = {},
): ResolvedTemplateLink {
  const directory = options.catalogDirectory ?? DEFAULT_CATALOG_DIRECTORY;
  const wanted = normalizeUri(uri);
  const entry =
    wanted === undefined
      ? undefined
      : readCatalog(directory).find((candidate) =>
          candidate.uris.some((known) => normalizeUri(known) === wanted),
        );
  if (entry === undefined) throw invalidContentLink(uri, randomUUID());
  const path = `${directory}/${entry.file}`;
  const template = toTemplateValue(JSON.parse(readFileSync(path, "utf8")));
  if (!isTemplateObject(template))
    throw templateParseFailed(`The catalog template '${entry.file}' is not a JSON object.`);
  return { template, path, entry };
}
