import { describe, expect, it } from 'vitest';
import { leadDayDocs, take } from './lead-days.ts';

describe('lead days', () => {
  it('files a day under its month and its year', () => {
    expect(leadDayDocs('t1', '2026-11-02')).toEqual([
      { _id: 't1|2026', tenantId: 't1', parent: 'year', key: '2026' },
      { _id: 't1|2026-11', tenantId: 't1', parent: '2026', key: '2026-11' },
      { _id: 't1|2026-11-02', tenantId: 't1', parent: '2026-11', key: '2026-11-02' },
    ]);
  });

  it('takes at most n items of a sequence and stops reading it there', async () => {
    let read = 0;
    async function* count() {
      for (let i = 0; i < 100; i++) {
        read++;
        yield i;
      }
    }
    expect(await take(count(), 3)).toEqual([0, 1, 2]);
    expect(read).toBe(3);
    expect(await take(count())).toHaveLength(100);
    expect(await take(count(), 0)).toEqual([]);
  });
});
