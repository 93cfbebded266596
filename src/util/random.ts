/**
 * The cluster's seeded PRNG (xoshiro128**). Its state is persisted in the state file so
 * that names, tie-breaks and simulated latencies repeat exactly for the same inputs and seed.
 */
export class Random {
  private s: Uint32Array;
  constructor(state: number[]) {
    this.s = Uint32Array.from(state);
  }
  static fromSeed(seed: number): Random {
    // splitmix32 to spread a small seed over 128 bits of state
    let x = seed >>> 0;
    const next = () => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    return new Random([next(), next(), next(), next() || 1]);
  }
  state(): number[] {
    return Array.from(this.s);
  }
  /** numbers drawn so far (by this object) */
  draws = 0;
  /** Puts the generator back where a snapshot() found it (a refused write takes its draws back). */
  restore(snapshot: { state: number[]; draws: number }): void {
    this.s = Uint32Array.from(snapshot.state);
    this.draws = snapshot.draws;
  }
  snapshot(): { state: number[]; draws: number } {
    return { state: this.state(), draws: this.draws };
  }
  nextUint32(): number {
    this.draws++;
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1] << 9) >>> 0;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }
  /** uniform float in [0, 1) */
  next(): number {
    return this.nextUint32() / 4294967296;
  }
  /** uniform integer in [0, n) */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  /** Makes n draws and drops them (the same state and count after as n calls of nextUint32). */
  skip(n: number): void {
    for (let i = 0; i < n; i++) this.nextUint32();
  }
  /**
   * Reservoir sampling among `count` equal candidates, as selectHost breaks ties: for the k-th
   * candidate from the 2nd on, int(k) is drawn, and the last whose draw was 0 wins. Its place
   * (0-based; 0 when none drew 0).
   */
  reservoir(count: number): number {
    let chosen = 0;
    for (let k = 2; k <= count; k++) if (this.int(k) === 0) chosen = k - 1;
    return chosen;
  }
  /** kube's utilrand.String alphabet: no vowels, no confusable digits */
  string(length: number): string {
    const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[this.int(alphabet.length)];
    return out;
  }
  /**
   * A version 4 UUID: the variant drawn first, then each group's leading hex digits of the next
   * 32 bits. Written as bytes and made a string once (150k pods ask for one each: the string
   * joined from eleven parts was a tree of pieces that the store's uid index then flattened,
   * ~3x the CPU).
   */
  uuid(): string {
    const variant = (this.nextUint32() & 0x3) | 0x8;
    const out = UUID_BYTES;
    let at = hexDigits(out, 0, this.nextUint32(), 8);
    out[at++] = DASH;
    at = hexDigits(out, at, this.nextUint32(), 4);
    out[at++] = DASH;
    out[at++] = HEX_CODES[4];
    at = hexDigits(out, at, this.nextUint32(), 3);
    out[at++] = DASH;
    out[at++] = HEX_CODES[variant];
    at = hexDigits(out, at, this.nextUint32(), 3);
    out[at++] = DASH;
    at = hexDigits(out, at, this.nextUint32(), 8);
    at = hexDigits(out, at, this.nextUint32(), 4);
    return out.toString('latin1', 0, at);
  }
}

const HEX_CODES = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
const DASH = '-'.charCodeAt(0);
const UUID_BYTES = Buffer.alloc(36);

/** The first n hex digits of x (32 bits, zero-padded) written at `at`; returns the index after them. */
function hexDigits(out: Buffer, at: number, x: number, n: number): number {
  for (let shift = 28; n > 0; shift -= 4, n--) out[at++] = HEX_CODES[(x >>> shift) & 15];
  return at;
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
