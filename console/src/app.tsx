import { Provider } from '@urql/preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { graphqlClient, restoreSession, signOut, type Role, type Session } from './session.ts';
import { Board } from './views/board.tsx';
import { Reports } from './views/reports.tsx';
import { Simulate } from './views/simulate.tsx';
import { ConfigView } from './views/config.tsx';
import { LeadPage } from './views/lead-page.tsx';
import { Notifications } from './views/notifications.tsx';
import { Offers } from './views/offers.tsx';
import { BuyerPortal, VendorPortal } from './views/portals.tsx';
import { SignIn } from './views/sign-in.tsx';

interface Screen {
  path: string;
  label: string;
  roles: readonly Role[];
}

const STAFF: Role[] = ['admin', 'ops', 'manager'];
/** Each role sees only the screens whose operations the API allows it: no dead links. */
export const SCREENS: Screen[] = [
  { path: 'offers', label: 'My offers', roles: ['agent'] },
  { path: 'board', label: 'Leads', roles: STAFF },
  { path: 'simulate', label: 'Simulate', roles: STAFF },
  { path: 'reports', label: 'Reports', roles: STAFF },
  { path: 'config', label: 'Configuration', roles: ['admin', 'ops'] },
  { path: 'submissions', label: 'My submissions', roles: ['vendor'] },
  { path: 'deliveries', label: 'My deliveries', roles: ['buyer'] },
  { path: 'notifications', label: 'Notifications', roles: ['admin', 'ops', 'manager', 'agent', 'vendor', 'buyer'] },
];

function useHashPath(): string {
  const [path, setPath] = useState(() => location.hash.replace(/^#\/?/, ''));
  useEffect(() => {
    const on = () => setPath(location.hash.replace(/^#\/?/, ''));
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return path;
}

export function App() {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  useEffect(() => {
    void restoreSession().then((s) => setSession(s ?? null));
  }, []);
  if (session === undefined) return <p class="loading">Loading…</p>;
  if (session === null) return <SignIn onSignedIn={setSession} />;
  return (
    <SignedIn
      session={session}
      onSignOut={() => {
        void signOut(session).then(() => setSession(null));
      }}
    />
  );
}

function SignedIn({ session, onSignOut }: { session: Session; onSignOut: () => void }) {
  const client = useMemo(() => graphqlClient(session), [session]);
  const path = useHashPath();
  const mine = SCREENS.filter((s) => s.roles.includes(session.me.role));
  const [first, ...rest] = path.split('/');
  const screen = mine.find((s) => s.path === first) ? first : mine[0]!.path;
  return (
    <Provider value={client}>
      <header class="top">
        <strong>switchyard</strong>
        <nav aria-label="Main">
          {mine.map((s) => (
            <a key={s.path} href={`#/${s.path}`} aria-current={screen === s.path ? 'page' : undefined}>
              {s.label}
            </a>
          ))}
        </nav>
        <span class="who">
          {session.me.userId.split(':')[1]} ({session.me.role})
        </span>
        <button type="button" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <main>
        {first === 'lead' && rest[0] && STAFF.includes(session.me.role) ? (
          <LeadPage leadId={decodeURIComponent(rest[0])} />
        ) : screen === 'offers' ? (
          <Offers tenantId={session.me.tenantId} />
        ) : screen === 'board' ? (
          <Board />
        ) : screen === 'simulate' ? (
          <Simulate />
        ) : screen === 'reports' ? (
          <Reports session={session} />
        ) : screen === 'config' ? (
          <ConfigView canImport={session.me.role === 'admin'} />
        ) : screen === 'submissions' ? (
          <VendorPortal session={session} />
        ) : screen === 'deliveries' ? (
          <BuyerPortal session={session} />
        ) : (
          <Notifications />
        )}
      </main>
    </Provider>
  );
}
