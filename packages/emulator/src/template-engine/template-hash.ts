// properties.templateHash of a deployment.
//
// A public analysis of Microsoft's engine (gist maskati/23f329e7db43c00184143f04498e537c) says ARM
// hashes an upper-cased minified JSON of the template with the uniqueString() hash and prints the
// 64-bit value as an unsigned decimal. JSON.stringify may minify differently from JSON.NET, so the
// value is stable and of the right form but not guaranteed to equal Azure's for the same template.

import { murmurHash64 } from "./unique-string.ts";

export function templateHash(template: unknown): string {
  return murmurHash64(new TextEncoder().encode(JSON.stringify(template).toUpperCase())).toString();
}
