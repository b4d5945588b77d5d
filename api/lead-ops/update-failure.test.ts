import { ApplicationFailure } from '@temporalio/common';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { updateFailureToUserError } from './update-failure.ts';

describe('workflow update refusals as typed errors', () => {
  it('passes the rule’s code and message through', () => {
    const err = new WorkflowUpdateFailedError('Workflow Update failed', ApplicationFailure.create({ type: 'already_claimed', message: 'This lead has already been claimed.', nonRetryable: true }));
    expect(updateFailureToUserError(err)).toEqual({ code: 'ALREADY_CLAIMED', message: 'This lead has already been claimed.' });
  });
  it('reports a finished workflow as a closed lead', () => {
    expect(updateFailureToUserError(new WorkflowNotFoundError('not found', 'lead:t1:x', undefined)).code).toBe('LEAD_CLOSED');
  });
  it('rethrows anything that is not a business refusal', () => {
    const boom = new Error('connection refused');
    expect(() => updateFailureToUserError(boom)).toThrow(boom);
    expect(() => updateFailureToUserError(new WorkflowUpdateFailedError('x', new Error('no type')))).toThrow();
  });
});
