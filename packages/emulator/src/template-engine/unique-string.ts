// Azure's uniqueString(): the same 13 characters ARM computes, so generated resource names match.
//
// How ARM computes it is not documented by Microsoft; it is described by several independent
// reimplementations that agree with values Azure produced (see the tests for the pairs and sources):
// the values are joined with '-', encoded as UTF-8, hashed to 64 bits with a MurmurHash3 variant
// that keeps two 32-bit lanes of MurmurHash3_x86_128 (seed 0), and the hash is written as 13
// base32 digits, most significant first, with the alphabet a-z2-7.

const C1 = 0x239b961b;
const C2 = 0xab0e9789;
const FINAL1 = 0x85ebca6b;
const FINAL2 = 0xc2b2ae35;
const BASE32_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";
const UINT64_MASK = (1n << 64n) - 1n;

function rotateLeft(value: number, bits: number): number {
  return ((value << bits) | (value >>> (32 - bits))) >>> 0;
}

/** Multiply, rotate, multiply: how each 32-bit block is scrambled before it enters a lane. */
function scramble(block: number, first: number, bits: number, second: number): number {
  return Math.imul(rotateLeft(Math.imul(block, first) >>> 0, bits), second) >>> 0;
}

function finalMix(value: number): number {
  let h = value;
  h ^= h >>> 16;
  h = Math.imul(h, FINAL1);
  h ^= h >>> 13;
  h = Math.imul(h, FINAL2);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Little-endian read of `count` (1 to 4) bytes. */
function readBlock(bytes: Uint8Array, at: number, count: number): number {
  let value = 0;
  for (let i = count - 1; i >= 0; i--) value = (value << 8) | (bytes[at + i] as number);
  return value >>> 0;
}

/** The 64-bit hash behind uniqueString() (and ARM's templateHash). */
export function murmurHash64(bytes: Uint8Array): bigint {
  const length = bytes.length;
  let h1 = 0;
  let h2 = 0;
  let at = 0;
  for (; at + 8 <= length; at += 8) {
    h1 = (h1 ^ scramble(readBlock(bytes, at, 4), C1, 15, C2)) >>> 0;
    h1 = rotateLeft(h1, 19);
    h1 = (h1 + h2) >>> 0;
    h1 = (Math.imul(h1, 5) + 0x561ccd1b) >>> 0;
    h2 = (h2 ^ scramble(readBlock(bytes, at + 4, 4), C2, 17, C1)) >>> 0;
    h2 = rotateLeft(h2, 13);
    h2 = (h2 + h1) >>> 0;
    h2 = (Math.imul(h2, 5) + 0x0bcaa747) >>> 0;
  }
  const tail = length - at;
  if (tail > 0) {
    h1 = (h1 ^ scramble(readBlock(bytes, at, Math.min(tail, 4)), C1, 15, C2)) >>> 0;
    if (tail > 4) h2 = (h2 ^ scramble(readBlock(bytes, at + 4, tail - 4), C2, 17, C1)) >>> 0;
  }
  h1 = (h1 ^ length) >>> 0;
  h2 = (h2 ^ length) >>> 0;
  h1 = (h1 + h2) >>> 0;
  h2 = (h2 + h1) >>> 0;
  h1 = finalMix(h1);
  h2 = finalMix(h2);
  h1 = (h1 + h2) >>> 0;
  h2 = (h2 + h1) >>> 0;
  return (BigInt(h2) << 32n) | BigInt(h1);
}

export function uniqueString(...values: string[]): string {
  let hash = murmurHash64(new TextEncoder().encode(values.join("-")));
  let result = "";
  for (let i = 0; i < 13; i++) {
    result += BASE32_ALPHABET[Number(hash >> 59n)];
    hash = (hash << 5n) & UINT64_MASK;
  }
  return result;
}
