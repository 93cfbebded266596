import { hex32 } from './hash';
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
  /** kube's utilrand.String alphabet: no vowels, no confusable digits */
  string(length: number): string {
    const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[this.int(alphabet.length)];
    return out;
  }
  uuid(): string {
    // the first n hex digits of the next 32 bits, zero-padded (a table: 150k pods ask for one each)
    const hex = (n: number) => {
      const text = hex32(this.nextUint32());
      return n === 8 ? text : text.slice(0, n);
    };
    const variant = ((this.nextUint32() & 0x3) | 0x8).toString(16);
    return `${hex(8)}-${hex(4)}-4${hex(3)}-${variant}${hex(3)}-${hex(8)}${hex(4)}`;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
