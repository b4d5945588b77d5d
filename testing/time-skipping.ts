import { TestWorkflowEnvironment } from '@temporalio/testing';
import { inject } from 'vitest';
import { testDataConverter } from './temporal.ts';

// The test server occasionally misses the SDK's 5-second connect window on a
// loaded 2-core machine; that start error, and only that one, is retried.
const START_FLAKE = /fail(ed)? (to )?connect(ing)?.*(5 ?s|5 seconds)|connect.*timed? ?out/i;

export async function createTimeSkippingEnv(attempts = 3): Promise<TestWorkflowEnvironment> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await TestWorkflowEnvironment.createTimeSkipping({
        server: { executable: { type: 'existing-path', path: inject('testServerPath') } },
        client: { dataConverter: testDataConverter },
      });
    } catch (err) {
      if (attempt >= attempts || !START_FLAKE.test(String((err as Error)?.message ?? err))) throw err;
    }
  }
}
