import { useState } from 'preact/hooks';
import { field } from '../form.ts';
import { signIn, type Session, type UserError } from '../session.ts';

export function SignIn({ onSignedIn }: { onSignedIn: (s: Session) => void }) {
  const [errors, setErrors] = useState<UserError[]>([]);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const form = e.currentTarget;
    setBusy(true);
    const res = await signIn(field(form, 'tenantId'), field(form, 'email'), field(form, 'password'));
    setBusy(false);
    if (res.session) onSignedIn(res.session);
    else setErrors(res.errors);
  };
  return (
    <main class="narrow">
      <h1>Sign in to switchyard</h1>
      <form onSubmit={(e) => void submit(e)}>
        <label>
          Tenant
          <input name="tenantId" autoComplete="organization" required defaultValue="demo" />
        </label>
        <label>
          Email
          <input name="email" type="email" autoComplete="username" required />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        {errors.length > 0 && (
          <ul class="errors" role="alert">
            {errors.map((er) => (
              <li key={er.message}>{er.field ? `${er.field}: ${er.message}` : er.message}</li>
            ))}
          </ul>
        )}
        <button type="submit" class="primary" disabled={busy}>
          Sign in
        </button>
      </form>
    </main>
  );
}
