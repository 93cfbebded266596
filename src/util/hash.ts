export const FNV_OFFSET = 0x811c9dc5;
export const FNV_PRIME = 0x01000193;

/** FNV-1a over a string's UTF-16 units, continuing from `h` (an int32; `>>> 0` for the unsigned value). */
export function fnv1a(text: string, h: number = FNV_OFFSET): number {
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  return h;
}

/**
 * Deterministic hex of any length from a seed string (FNV-1a rounds): stands in for IDs a
 * real system would draw at random (machine IDs, image digests, container IDs) so that
 * output repeats byte for byte.
 */
export function stableHex(seed: string, length: number): string {
  const n = seed.length;
  // the seed's units read once, not once a round (a container ID is 8 rounds over ~50 units:
  // 300,000 of them in a 150k-pod advance), and the digits made as one string at the end
  if (n > seedUnits.length || length > hexUnits.length) return stableHexPlain(seed, length);
  for (let i = 0; i < n; i++) seedUnits[i] = seed.charCodeAt(i);
  let h = FNV_OFFSET;
  let out = 0;
  for (let round = 0; out < length; round++) {
    for (let i = 0; i < n; i++) h = Math.imul(h ^ seedUnits[i], FNV_PRIME);
    h = Math.imul(h ^ round, FNV_PRIME) >>> 0;
    for (let shift = 28; shift >= 0 && out < length; shift -= 4) hexUnits[out++] = HEX_DIGITS[(h >>> shift) & 15];
  }
  return String.fromCharCode.apply(null, out === hexUnits.length ? hexUnits : hexUnits.slice(0, out));
}

const seedUnits = new Uint16Array(256);
const hexUnits: number[] = new Array<number>(64).fill(0);
const HEX_DIGITS = Array.from('0123456789abcdef', (d) => d.charCodeAt(0));

/** stableHex as first written (a seed or a length beyond the scratch arrays; the unit test compares the two) */
export function stableHexPlain(seed: string, length: number): string {
  let h = FNV_OFFSET;
  let out = '';
  for (let round = 0; out.length < length; round++) {
    h = fnv1a(seed, h);
    h = Math.imul(h ^ round, FNV_PRIME) >>> 0;
    out += hex32(h);
  }
  return out.slice(0, length);
}

const HEX_BYTE = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/** An unsigned 32-bit value as 8 hex digits, zero-padded (a table: 150k container IDs need 8 each). */
export function hex32(x: number): string {
  return HEX_BYTE[x >>> 24] + HEX_BYTE[(x >>> 16) & 255] + HEX_BYTE[(x >>> 8) & 255] + HEX_BYTE[x & 255];
}
