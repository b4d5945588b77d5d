// Pure helpers of the growth benchmark (services/growth.bench.ts): sampling
// policy, per-query summaries, the growth ratio and the table it prints.

export const DEFAULT_SIZES = [1000, 10_000, 100_000] as const;

/** `1000,10000,100k` → [1000, 10000, 100000]; throws on anything else. */
export function parseSizes(arg: string): number[] {
  const sizes = arg
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean)
    .map((s) => {
      const m = /^(\d+(?:\.\d+)?)(k|m)?$/.exec(s.replace(/_/g, ''));
      if (!m) throw new Error(`--sizes: "${s}" is not a number of leads`);
      const n = Number(m[1]) * (m[2] === 'k' ? 1000 : m[2] === 'm' ? 1_000_000 : 1);
      if (!Number.isInteger(n) || n < 1) throw new Error(`--sizes: "${s}" is not a whole number of leads`);
      return n;
    });
  if (sizes.length === 0) throw new Error('--sizes: name at least one size');
  return [...new Set(sizes)].sort((a, b) => a - b);
}

/**
 * How many timed samples a query gets: `runs`; `slowRuns` once a sample took
 * longer than `slowMs`; one once a sample took longer than `verySlowMs` (a
 * scan of a large collection, whose time hardly varies, would otherwise take
 * minutes per query).
 */
export interface SamplingPolicy {
  runs: number;
  slowMs: number;
  slowRuns: number;
  verySlowMs: number;
}

export const DEFAULT_SAMPLING: SamplingPolicy = { runs: 30, slowMs: 2000, slowRuns: 3, verySlowMs: 20_000 };

/** Whether to stop sampling, given the samples taken so far (ms). */
export function enoughSamples(samples: readonly number[], policy: SamplingPolicy = DEFAULT_SAMPLING): boolean {
  if (samples.length >= policy.runs) return true;
  if (samples.some((s) => s > policy.verySlowMs)) return true;
  return samples.length >= policy.slowRuns && samples.some((s) => s > policy.slowMs);
}

/** Nearest-rank percentile of a sample; NaN for an empty one. */
export function quantile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

export interface QuerySummary {
  n: number;
  median: number;
  p99: number;
}

export function summarize(samples: readonly number[]): QuerySummary {
  return { n: samples.length, median: quantile(samples, 0.5), p99: quantile(samples, 0.99) };
}

/** One query measured at one size. */
export interface GrowthResult extends QuerySummary {
  query: string;
  size: number;
  /** What the query returned (rows, entries...), to show it did the same work at every size. */
  rows?: number;
}

export interface GrowthRow {
  query: string;
  /** Per size, in the order of `sizes`; undefined where it was not measured. */
  cells: Array<QuerySummary | undefined>;
  /** Median at the last size over the median at the first, where both were measured. */
  ratio: number | undefined;
}

/**
 * One row per query (in first-seen order), one cell per size, and the ratio of
 * the median at the last size to the median at the first. A query not
 * measured at both (or with a first median of 0) has no ratio.
 */
export function growthRows(results: readonly GrowthResult[], sizes: readonly number[]): GrowthRow[] {
  const order: string[] = [];
  const by = new Map<string, Map<number, GrowthResult>>();
  for (const r of results) {
    if (!by.has(r.query)) {
      by.set(r.query, new Map());
      order.push(r.query);
    }
    by.get(r.query)!.set(r.size, r);
  }
  return order.map((query) => {
    const m = by.get(query)!;
    const cells = sizes.map((s) => m.get(s));
    const [a, b] = [cells[0], cells[cells.length - 1]];
    const ratio = a && b && sizes.length > 1 && Number.isFinite(a.median) && Number.isFinite(b.median) && a.median > 0 ? b.median / a.median : undefined;
    return { query, cells, ratio };
  });
}

/** 1000 → "1k", 100000 → "100k", 1500 → "1.5k". */
export function sizeLabel(n: number): string {
  if (n >= 1_000_000 && n % 100_000 === 0) return `${n / 1_000_000}M`;
  if (n >= 1000 && n % 100 === 0) return `${n / 1000}k`;
  return String(n);
}

/** Milliseconds with three significant figures or so: 0.412, 4.12, 41.2, 412, 4120. */
export function ms(x: number | undefined): string {
  if (x === undefined || !Number.isFinite(x)) return 'n/a';
  if (x >= 100) return x.toFixed(0);
  if (x >= 10) return x.toFixed(1);
  if (x >= 1) return x.toFixed(2);
  return x.toFixed(3);
}

/** Whether a row grows past the goal: more than `limit` times slower at the largest size than at the smallest. */
export const grows = (row: GrowthRow, limit = 2): boolean => row.ratio !== undefined && row.ratio > limit;

/**
 * The growth table as Markdown: query | median (p99) per size | ratio, a ratio
 * over `limit` in bold.
 */
export function formatGrowthTable(rows: readonly GrowthRow[], sizes: readonly number[], limit = 2): string {
  const first = sizes[0];
  const last = sizes[sizes.length - 1];
  const ratioHead = first !== undefined && last !== undefined && first !== last ? `${sizeLabel(last)}/${sizeLabel(first)}` : 'ratio';
  const head = ['query', ...sizes.map((s) => `${sizeLabel(s)} median (p99) ms`), ratioHead];
  const lines = [`| ${head.join(' | ')} |`, `| ${head.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`];
  for (const r of rows) {
    const cells = r.cells.map((c) => (c ? `${ms(c.median)} (${ms(c.p99)})` : '—'));
    const ratio = r.ratio === undefined ? '—' : `${r.ratio.toFixed(1)}×`;
    lines.push(`| ${r.query} | ${cells.join(' | ')} | ${grows(r, limit) ? `**${ratio}**` : ratio} |`);
  }
  return lines.join('\n');
}
