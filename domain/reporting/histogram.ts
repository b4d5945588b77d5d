/**
 * Mergeable duration histograms. Percentiles cannot be added across days or
 * groups, counts in fixed buckets can: rollups keep these and reports merge
 * them, then read the median and p90 off the merged counts.
 *
 * Buckets are log-spaced, 8 per doubling: bucket k ≥ 1 holds durations in
 * [2^((k-1)/8), 2^(k/8)) ms and bucket 0 holds anything under 1 ms. A value
 * read back is the bucket's geometric midpoint, so it is within ±4.4 % of
 * every duration in the bucket (2^(1/16) − 1). 30 days sit in bucket 253.
 */
export type Histogram = Record<string, number>;

export const BUCKETS_PER_DOUBLING = 8;
/** Largest relative error of a value read back from a bucket. */
export const HISTOGRAM_RELATIVE_ERROR = 2 ** (1 / (2 * BUCKETS_PER_DOUBLING)) - 1;

export function bucketOf(ms: number): number {
  if (!(ms >= 1)) return 0; // also NaN and negatives (clock skew between writers)
  return 1 + Math.floor(Math.log2(ms) * BUCKETS_PER_DOUBLING);
}

/** The value a bucket stands for: the geometric midpoint of its bounds. */
export function bucketValue(k: number): number {
  if (k <= 0) return 0;
  return 2 ** ((k - 0.5) / BUCKETS_PER_DOUBLING);
}

export function record(h: Histogram, ms: number, count = 1): void {
  const k = String(bucketOf(ms));
  h[k] = (h[k] ?? 0) + count;
}

export function mergeInto(target: Histogram, add: Histogram | undefined): Histogram {
  if (!add) return target;
  for (const [k, n] of Object.entries(add)) target[k] = (target[k] ?? 0) + n;
  return target;
}

export function histogramCount(h: Histogram): number {
  let n = 0;
  for (const v of Object.values(h)) n += v;
  return n;
}

/**
 * Nearest-rank percentile (p in 0..1): the value at rank ⌈p·n⌉ of the sorted
 * durations, read from its bucket and rounded to whole milliseconds.
 * Undefined when the histogram is empty.
 */
export function percentile(h: Histogram, p: number): number | undefined {
  const entries = Object.entries(h)
    .map(([k, n]) => [Number(k), n] as const)
    .filter(([, n]) => n > 0)
    .sort((a, b) => a[0] - b[0]);
  let total = 0;
  for (const [, n] of entries) total += n;
  if (total === 0) return undefined;
  const rank = Math.max(1, Math.ceil(p * total));
  let seen = 0;
  for (const [k, n] of entries) {
    seen += n;
    if (seen >= rank) return Math.round(bucketValue(k));
  }
  return Math.round(bucketValue(entries[entries.length - 1]![0]));
}
