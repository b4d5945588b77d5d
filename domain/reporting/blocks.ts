import { addDays, BLOCK_SPANS, blockStart } from './calendar.ts';
import { mergeEndpointRows, mergeSourceRows, type EndpointRollupRow, type RollupKind, type SourceRollupRow } from './rollups.ts';

/**
 * Rollup blocks: the rows of an aligned run of 1, 2, 4 … 32 days, pre-merged.
 * A block of span s is the merge of its two halves (span s/2), so a change to
 * one day rebuilds one block per span from two children each, and a report
 * over any range merges at most ~10 blocks (see dyadicBlocks).
 */
export type RowsOf<K extends RollupKind> = K extends 'source' ? SourceRollupRow[] : EndpointRollupRow[];

export interface Block<K extends RollupKind = RollupKind> {
  kind: K;
  span: number;
  start: string;
  rows: RowsOf<K>;
}

export function mergeRows<K extends RollupKind>(kind: K, parts: ReadonlyArray<RowsOf<K>>): RowsOf<K> {
  return (
    kind === 'source' ? mergeSourceRows(parts as unknown as SourceRollupRow[][]) : mergeEndpointRows(parts as unknown as EndpointRollupRow[][])
  ) as RowsOf<K>;
}

/** Every block (all spans) over a set of day rows: what a full rebuild writes. */
export function blocksFromDays<K extends RollupKind>(kind: K, days: ReadonlyMap<string, RowsOf<K>>): Block<K>[] {
  const out: Block<K>[] = [];
  let level = new Map<string, RowsOf<K>>([...days].filter(([, rows]) => rows.length > 0));
  for (const [start, rows] of level) out.push({ kind, span: 1, start, rows });
  for (const span of BLOCK_SPANS.slice(1)) {
    const parents = new Map<string, Array<RowsOf<K>>>();
    for (const [start, rows] of level) {
      const p = blockStart(start, span);
      parents.set(p, [...(parents.get(p) ?? []), rows]);
    }
    level = new Map([...parents].map(([start, parts]) => [start, mergeRows(kind, parts)]));
    for (const [start, rows] of level) out.push({ kind, span, start, rows });
  }
  return out;
}

/** The two halves of a block. */
export function childrenOf(span: number, start: string): [string, string] {
  return [start, addDays(start, span / 2)];
}
