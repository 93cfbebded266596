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
  let h = FNV_OFFSET;
  let out = '';
  for (let round = 0; out.length < length; round++) {
    h = fnv1a(seed, h);
    h = Math.imul(h ^ round, FNV_PRIME) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return out.slice(0, length);
}
