// Histories recorded from earlier versions of the lead workflow replay against
// the current code: a change that would break leads already running (a
// non-deterministic change without a patch) fails here, in CI.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import proto from '@temporalio/proto';

const { temporal } = proto;
import { Worker } from '@temporalio/worker';
import { describe, expect, inject, it } from 'vitest';
import { HISTORY_FIXTURES } from '../testing/histories.ts';
import { testDataConverter } from '../testing/temporal.ts';
import { replayOptions } from '../infra/worker-options.ts';

describe('replay of recorded lead histories', () => {
  const files = readdirSync(HISTORY_FIXTURES)
    .filter((f) => f.endsWith('.history.bin'))
    .sort();

  it('has recorded histories to replay', () => {
    expect(files.length).toBeGreaterThanOrEqual(5);
  });

  it('replays every recorded history against the current workflow code without a determinism error', async () => {
    const histories = files.map((f) => ({
      workflowId: f.replace(/\.history\.bin$/, ''),
      history: temporal.api.history.v1.History.decode(readFileSync(join(HISTORY_FIXTURES, f))),
    }));
    const failures: string[] = [];
    for await (const r of Worker.runReplayHistories(replayOptions(inject('workflowBundlePath'), testDataConverter), histories)) {
      if (r.error) failures.push(`${r.workflowId}: ${r.error.message}`);
    }
    expect(failures).toEqual([]);
  });
});
