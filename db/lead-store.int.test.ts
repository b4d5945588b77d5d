import type { Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventStream } from '../domain/lifecycle/test-events.ts';
import { connectTestDb, dropTestDb } from '../testing/mongo.ts';
import { leadStore, type LeadStore } from './lead-store.ts';
import { leadModel } from './models/lead.ts';
import { leadEventModel } from './models/lead-event.ts';

describe('lead events and read model', () => {
  let conn: Connection;
  let store: LeadStore;
  beforeAll(async () => {
    conn = await connectTestDb('leads');
    await Promise.all([leadModel(conn).createIndexes(), leadEventModel(conn).createIndexes()]);
    store = leadStore(conn);
  });
  afterAll(async () => {
    if (conn) await dropTestDb(conn);
  });

  const ev = eventStream('lead-a', 't1');
  const events = [
    ev({ type: 'received', data: { sourceId: 's1', serviceLine: 'plumbing', costCents: 2500 } }),
    ev({ type: 'validated', data: { outcome: 'accepted', steps: [], flags: [] } }),
    ev({ type: 'routed', data: { configVersion: 1, outcome: 'assigned', endpointIds: ['e1'], summary: 's' } }),
    ev({ type: 'delivered', data: { endpointId: 'e1', method: 'http_post', idempotencyKey: 'k' } }),
    ev({ type: 'assigned', data: { endpointId: 'e1', by: 'delivery' } }),
  ];

  it('projects events into the lead document, and a replay changes nothing', async () => {
    await store.append(events.slice(0, 3));
    await store.append(events.slice(3));
    const first = await store.get('lead-a');
    await store.append(events); // replayed whole
    expect(await store.get('lead-a')).toEqual(first);
    expect(first).toMatchObject({ status: 'assigned', ownerEndpointId: 'e1', lastEventSeq: 5 });
    expect(await store.events('lead-a')).toHaveLength(5);
  });

  it('waits for a missing event instead of skipping it', async () => {
    const b = eventStream('lead-b', 't1');
    const [r, v, routed] = [
      b({ type: 'received', data: { sourceId: 's1', serviceLine: 'hvac', costCents: 100 } }),
      b({ type: 'validated', data: { outcome: 'accepted', steps: [], flags: ['voip'] } }),
      b({ type: 'routed', data: { configVersion: 1, outcome: 'assigned', endpointIds: ['e1'], summary: 's' } }),
    ];
    await store.append([r, routed]); // event 2 not yet stored
    expect((await store.get('lead-b'))?.lastEventSeq).toBe(1);
    await store.append([v]);
    expect(await store.get('lead-b')).toMatchObject({ lastEventSeq: 3, flags: ['voip'], status: 'delivering' });
  });

  it('counts a source’s deliveries and returns for the return-rate limit', async () => {
    const now = events[4]!.at;
    expect(await store.returnStats('t1', 's1', now)).toEqual({ delivered: 1, returned: 0 });
    await store.append([ev({ type: 'return_accepted', data: { reason: 'duplicate', creditCents: 2500 } })]);
    expect(await store.returnStats('t1', 's1', now)).toEqual({ delivered: 1, returned: 1 });
    expect(await store.returnStats('t2', 's1', now)).toEqual({ delivered: 0, returned: 0 });
  });
});
