/**
 * Deterministic hex of any length from a seed string (FNV-1a rounds): stands in for IDs a
 * real system would draw at random (machine IDs, image digests, container IDs) so that
 * output repeats byte for byte.
 */
export function stableHex(seed: string, length: number): string {
  let h = 0x811c9dc5;
  let out = '';
  for (let round = 0; out.length < length; round++) {
    for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 0x01000193) >>> 0;
    h = Math.imul(h ^ round, 0x01000193) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return out.slice(0, length);
}
