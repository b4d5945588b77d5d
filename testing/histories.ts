import type { WorkflowHandle } from '@temporalio/client';
import proto from '@temporalio/proto';

const { temporal } = proto;
import { Worker } from '@temporalio/worker';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import { testDataConverter } from './temporal.ts';
import { replayOptions } from '../infra/worker-options.ts';

/** Committed histories: replayed on every run, so a change that breaks a running lead fails CI. */
export const HISTORY_FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'workflows', 'histories');

/**
 * Fetches a finished test's workflow history and replays it against the
 * current workflow bundle at once (a non-deterministic handler fails here).
 * With RECORD_HISTORIES=1 it is also saved as a fixture for future runs.
 */
export async function recordHistory(handle: WorkflowHandle, name?: string): Promise<void> {
  const history = await handle.fetchHistory();
  try {
    await Worker.runReplayHistory(replayOptions(inject('workflowBundlePath'), testDataConverter), history, handle.workflowId);
  } catch (err) {
    if (process.env.DEBUG_REPLAY === '1') {
      for (const e of history.events ?? []) {
        const kind = Object.keys(e).find((k) => k.endsWith('Attributes'));
        console.log(
          `#${e.eventId?.toString()} ${kind} ${e.markerRecordedEventAttributes?.markerName ?? e.activityTaskScheduledEventAttributes?.activityType?.name ?? ''}`,
        );
      }
    }
    throw err;
  }
  if (process.env.RECORD_HISTORIES === '1') {
    mkdirSync(HISTORY_FIXTURES, { recursive: true });
    // Binary protobuf: exact, compact, and read back without any JSON mapping.
    const file = `${name ?? handle.workflowId.replace(/[^a-zA-Z0-9-]+/g, '_')}.history.bin`;
    writeFileSync(join(HISTORY_FIXTURES, file), temporal.api.history.v1.History.encode(history).finish());
  }
}
