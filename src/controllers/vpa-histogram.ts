/**
 * The VPA recommender's usage model, kubernetes/autoscaler vertical-pod-autoscaler v1.3.1
 * pkg/recommender/util/histogram.go, histogram_options.go, decaying_histogram.go and
 * model/aggregate_container_state.go, container.go, aggregations_config.go. Kept as plain JSON
 * (the controllers' memory, ObjectStore.remember) so each command continues the history.
 */

/** minSampleWeight: the least weight of a CPU sample (its request in cores, before decay) */
const MIN_SAMPLE_WEIGHT = 0.1;
/** epsilon: a bucket lighter than this is empty */
const EPSILON = 0.001 * MIN_SAMPLE_WEIGHT;
/** DefaultHistogramBucketSizeGrowth: each bucket 5% wider than the one before */
const BUCKET_GROWTH = 0.05;
/** DefaultCPUHistogramDecayHalfLife and DefaultMemoryHistogramDecayHalfLife */
export const HALF_LIFE_MS = 24 * 3600_000;
/** DefaultMemoryAggregationInterval: one memory peak per container per interval */
export const MEMORY_AGGREGATION_INTERVAL_MS = 24 * 3600_000;
/** maxDecayExponent: past 2^100 the reference time moves forward */
const MAX_DECAY_EXPONENT = 100;

export interface HistogramOptions {
  numBuckets: number;
  firstBucketSize: number;
  ratio: number;
}

function logBase(base: number, x: number): number {
  return Math.log(x) / Math.log(base);
}

/** NewExponentialHistogramOptions */
function exponentialOptions(maxValue: number, firstBucketSize: number, ratio: number): HistogramOptions {
  const numBuckets = Math.ceil(logBase(ratio, (maxValue * (ratio - 1)) / firstBucketSize + 1)) + 1;
  return { numBuckets, firstBucketSize, ratio };
}

/** CPU in cores: first bucket 0.01 core, up to 1000 cores */
export const CPU_OPTIONS = exponentialOptions(1000, 0.01, 1 + BUCKET_GROWTH);
/** memory in bytes: first bucket 10 MB, up to 1 TB */
export const MEMORY_OPTIONS = exponentialOptions(1e12, 1e7, 1 + BUCKET_GROWTH);

export function findBucket(o: HistogramOptions, value: number): number {
  if (value < o.firstBucketSize) return 0;
  const bucket = Math.trunc(logBase(o.ratio, (value * (o.ratio - 1)) / o.firstBucketSize + 1));
  return bucket >= o.numBuckets ? o.numBuckets - 1 : bucket;
}

export function bucketStart(o: HistogramOptions, bucket: number): number {
  return bucket === 0 ? 0 : (o.firstBucketSize * (Math.pow(o.ratio, bucket) - 1)) / (o.ratio - 1);
}

/** A decaying histogram as JSON: the weight of each non-empty bucket, and the reference time. */
export interface HistogramState {
  /** bucket index → weight */
  weights: Record<string, number>;
  total: number;
  /** referenceTimestamp (ms), always a multiple of the half-life; 0 is Go's zero time (no sample yet) */
  reference: number;
}

export function emptyHistogram(): HistogramState {
  return { weights: {}, total: 0, reference: 0 };
}

/**
 * decayingHistogram over histogram: a sample's weight is multiplied by
 * 2^((time − referenceTimestamp) / halfLife), so a day-old sample counts half as much as a new one.
 */
export class DecayingHistogram {
  readonly weights: number[];
  total: number;
  reference: number;
  constructor(
    readonly options: HistogramOptions,
    state: HistogramState = emptyHistogram(),
  ) {
    this.weights = new Array<number>(options.numBuckets).fill(0);
    for (const [bucket, weight] of Object.entries(state.weights)) this.weights[Number(bucket)] = weight;
    this.total = state.total;
    this.reference = state.reference;
  }

  state(): HistogramState {
    const weights: Record<string, number> = {};
    this.weights.forEach((w, i) => {
      if (w > 0) weights[i] = w;
    });
    return { weights, total: this.total, reference: this.reference };
  }

  private minBucket(): number {
    const i = this.weights.findIndex((w) => w >= EPSILON);
    return i < 0 ? this.options.numBuckets - 1 : i;
  }

  private maxBucket(): number {
    for (let i = this.weights.length - 1; i >= 0; i--) if (this.weights[i] >= EPSILON) return i;
    return 0;
  }

  isEmpty(): boolean {
    return this.weights[this.minBucket()] < EPSILON;
  }

  /** the end of the bucket where the cumulative weight reaches the percentile (0 when empty) */
  percentile(p: number): number {
    if (this.isEmpty()) return 0;
    const threshold = p * this.total;
    const max = this.maxBucket();
    let bucket = this.minBucket();
    let partial = 0;
    for (; bucket < max; bucket++) {
      partial += this.weights[bucket];
      if (partial >= threshold) break;
    }
    return bucket < this.options.numBuckets - 1 ? bucketStart(this.options, bucket + 1) : bucketStart(this.options, bucket);
  }

  addSample(value: number, weight: number, time: number): void {
    const w = weight * this.decayFactor(time);
    this.weights[findBucket(this.options, value)] += w;
    this.total += w;
  }

  subtractSample(value: number, weight: number, time: number): void {
    const w = weight * this.decayFactor(time);
    const bucket = findBucket(this.options, value);
    const safeSubtract = (v: number) => (v - w < EPSILON ? 0 : v - w);
    this.total = safeSubtract(this.total);
    this.weights[bucket] = safeSubtract(this.weights[bucket]);
  }

  /** Merge: the older reference moves to the younger one first. */
  merge(other: DecayingHistogram): void {
    if (this.reference < other.reference) this.shiftReference(other.reference);
    else if (other.reference < this.reference) other.shiftReference(this.reference);
    other.weights.forEach((w, i) => (this.weights[i] += w));
    this.total += other.total;
  }

  private shiftReference(to: number): void {
    const rounded = Math.round(to / HALF_LIFE_MS) * HALF_LIFE_MS;
    // from Go's zero time (no sample yet) every weight is scaled to nothing
    const exponent = this.reference === 0 ? -Infinity : Math.floor((this.reference - rounded) / HALF_LIFE_MS + 0.5);
    const factor = Math.pow(2, exponent);
    for (let i = 0; i < this.weights.length; i++) this.weights[i] *= factor;
    this.total *= factor;
    this.reference = rounded;
  }

  private decayFactor(time: number): number {
    if (this.reference === 0 || time > this.reference + HALF_LIFE_MS * MAX_DECAY_EXPONENT) this.shiftReference(time);
    return Math.pow(2, (time - this.reference) / HALF_LIFE_MS);
  }
}

/** AggregateContainerState: the samples of every container of one name under one VPA. */
export interface AggregateState {
  cpu: HistogramState;
  memory: HistogramState;
  firstSampleStart: number;
  lastSampleStart: number;
  totalSamplesCount: number;
}

export function emptyAggregate(): AggregateState {
  return { cpu: emptyHistogram(), memory: emptyHistogram(), firstSampleStart: 0, lastSampleStart: 0, totalSamplesCount: 0 };
}

/** ContainerState: one running container's place in its aggregation (deduplication, the memory window). */
export interface ContainerSampleState {
  lastCpuSampleStart: number;
  lastMemorySampleStart: number;
  /** end of the current memory aggregation interval (0 before the first sample) */
  windowEnd: number;
  memoryPeak: number;
}

export function emptyContainerState(): ContainerSampleState {
  return { lastCpuSampleStart: 0, lastMemorySampleStart: 0, windowEnd: 0, memoryPeak: 0 };
}

/** An aggregation being fed: its histograms live while samples are added, then are written back. */
export class Aggregate {
  readonly cpu: DecayingHistogram;
  readonly memory: DecayingHistogram;
  constructor(readonly state: AggregateState) {
    this.cpu = new DecayingHistogram(CPU_OPTIONS, state.cpu);
    this.memory = new DecayingHistogram(MEMORY_OPTIONS, state.memory);
  }

  save(): AggregateState {
    return { ...this.state, cpu: this.cpu.state(), memory: this.memory.state() };
  }

  /**
   * ContainerState.addCPUSample + AggregateContainerState.addCPUSample: weighted by the request
   * (at least 0.1 core), so raising the request makes the history before it count for less.
   */
  addCpuSample(container: ContainerSampleState, time: number, usageMilli: number, requestMilli: number): boolean {
    if (usageMilli < 0 || !(time > container.lastCpuSampleStart)) return false;
    this.cpu.addSample(usageMilli / 1000, Math.max(requestMilli / 1000, MIN_SAMPLE_WEIGHT), time);
    if (time > this.state.lastSampleStart) this.state.lastSampleStart = time;
    if (this.state.firstSampleStart === 0 || time < this.state.firstSampleStart) this.state.firstSampleStart = time;
    this.state.totalSamplesCount++;
    container.lastCpuSampleStart = time;
    return true;
  }

  /**
   * ContainerState.addMemorySample: one peak per container per 24 h interval, stamped with the
   * interval's end; a higher sample inside the interval replaces the peak.
   */
  addMemorySample(container: ContainerSampleState, time: number, usageBytes: number): boolean {
    if (usageBytes < 0 || time < container.lastMemorySampleStart) return false;
    container.lastMemorySampleStart = time;
    if (container.windowEnd === 0) container.windowEnd = time;
    let addNewPeak = false;
    if (time < container.windowEnd) {
      const oldPeak = container.memoryPeak;
      if (oldPeak !== 0 && usageBytes > oldPeak) {
        this.memory.subtractSample(oldPeak, 1, container.windowEnd);
        addNewPeak = true;
      }
    } else {
      const elapsed = time - container.windowEnd;
      container.windowEnd += elapsed - (elapsed % MEMORY_AGGREGATION_INTERVAL_MS) + MEMORY_AGGREGATION_INTERVAL_MS;
      container.memoryPeak = 0;
      addNewPeak = true;
    }
    if (addNewPeak) {
      this.memory.addSample(usageBytes, 1, container.windowEnd);
      container.memoryPeak = usageBytes;
    }
    return true;
  }
}
