import type { Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTestDb, dropTestDb } from '../testing/mongo.ts';
import { notificationStore } from './notification-store.ts';

describe('notification store', () => {
  let mongo: Connection;
  beforeAll(async () => {
    mongo = await connectTestDb('notes');
  });
  afterAll(async () => {
    if (mongo) await dropTestDb(mongo);
  });

  it('keeps offers of different leads in the same round apart, and a retried send once', async () => {
    const notes = notificationStore(mongo);
    const offer = (leadId: string, at: number) => ({ leadId, kind: 'offered' as const, message: `offer of ${leadId}`, at });
    expect(await notes.send('t1', ['agent-a'], offer('L1', 1), 'offered:1')).toBe(1);
    expect(await notes.send('t1', ['agent-a'], offer('L2', 2), 'offered:1')).toBe(1);
    // The activity retried: same lead, same key.
    expect(await notes.send('t1', ['agent-a'], offer('L2', 2), 'offered:1')).toBe(0);
    // Another process's store sees what this one wrote.
    const inbox = await notificationStore(mongo).latest('t1', 'agent-a');
    expect(inbox.map((n) => n.leadId)).toEqual(['L2', 'L1']);
    expect(await notificationStore(mongo).latest('t1', 'agent-b')).toEqual([]);
  });
});
