import { useMutation, useQuery } from '@urql/preact';
import { useCallback } from 'preact/hooks';
import { when } from '../format.ts';
import { usePoll } from './use-poll.ts';
import { INBOX, MARK_ALL_READ } from '../operations.ts';

interface Data {
  myNotifications: {
    unreadCount: number;
    nodes: Array<{ id: string; leadId: string; kind: string; message: string; at: string; link: string | null; read: boolean }>;
  };
}

/** Everyone: their own alerts, newest first. */
export function Notifications() {
  const [{ data }, refetch] = useQuery<Data>({ query: INBOX });
  const refresh = useCallback(() => refetch({ requestPolicy: 'network-only' }), [refetch]);
  usePoll(refresh, 5000);
  const [, mark] = useMutation(MARK_ALL_READ);
  const inbox = data?.myNotifications;
  return (
    <section>
      <h1>Notifications {inbox ? <small>{inbox.unreadCount} unread</small> : null}</h1>
      <button type="button" onClick={() => void mark({}).then(refresh)}>
        Mark all read
      </button>
      <ul class="inbox">
        {inbox?.nodes.map((n) => (
          <li key={n.id} class={n.read ? 'read' : 'unread'}>
            <time>{when(n.at)}</time> <span class="kind">{n.kind}</span> {n.message} {n.link ? <a href={n.link}>Open</a> : null}
          </li>
        ))}
      </ul>
      {inbox && inbox.nodes.length === 0 ? <p>No notifications.</p> : null}
    </section>
  );
}
