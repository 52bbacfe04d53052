// Finds the files a sample opens relative to its own module (`new URL("../template/x.json", import.meta.url)`),
// so that both export forms can ship them where the code will look for them.
import { stat } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export interface AssetUrl {
  /** The whole expression as written, e.g. `new URL("../template/azuredeploy.json", import.meta.url)`. */
  expression: string;
  /** The file it points at, relative to the sample's folder, with forward slashes: `template/azuredeploy.json`. */
  sampleRelativePath: string;
}

const assetUrlPattern = /new\s+URL\(\s*(["'])([^"'`]+)\1\s*,\s*import\.meta\.url\s*\)/g;

/**
 * The asset URLs in one module of the sample. Every one must point at an existing file inside the sample's folder;
 * any other use of `import.meta` (dirname, filename, a computed URL) is refused, because the bundle cannot keep
 * its meaning.
 */
export async function findAssetUrls(
  source: string,
  modulePath: string,
  sampleRoot: string,
): Promise<AssetUrl[]> {
  const found: AssetUrl[] = [];
  for (const match of source.matchAll(assetUrlPattern)) {
    const [expression, , relative = ""] = match;
    const target = fileURLToPath(new URL(relative, pathToFileURL(modulePath)));
    const sampleRelativePath = path.relative(sampleRoot, target).split(path.sep).join("/");
    if (sampleRelativePath.startsWith("../") || path.isAbsolute(sampleRelativePath)) {
      throw new Error(`${modulePath}: ${expression} points outside the sample's folder.`);
    }
    const isFile = await stat(target).then(
      (info) => info.isFile(),
      () => false,
    );
    if (!isFile) throw new Error(`${modulePath}: ${expression} points at ${target}, which is not a file.`);
    found.push({ expression, sampleRelativePath });
  }
  const otherUses = source.replace(assetUrlPattern, "").match(/import\.meta\.(url|dirname|filename)/g);
  if (otherUses) {
    throw new Error(
      `${modulePath}: uses ${otherUses[0]} other than as new URL("<relative file>", import.meta.url); the exporter ` +
        "cannot tell which files that needs.",
    );
  }
  return found;
}
