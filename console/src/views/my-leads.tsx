import { useMutation } from '@urql/preact';
import { useState } from 'preact/hooks';
import { field } from '../form.ts';
import type { UserError } from '../session.ts';
import { WORK_STATUSES } from '../../../domain/lifecycle/lead-status.ts';
import { Errors } from './errors.tsx';
import { ReturnFields } from './return-fields.tsx';
import { AGENT_RETURN, SHARE, WORK_STATUS } from '../operations.ts';

export interface MyLead {
  id: string;
  serviceLine: string;
  workStatus: string | null;
  contact: { visibility: string; firstName?: string; lastName?: string; phone?: string; email?: string } | null;
  returnWindow: { open: boolean; allowedReasons: string[] } | null;
}

type Answer = { ok: boolean; errors: UserError[] };

/** One owned lead: the contact in clear, its status with a note, sharing with a colleague, a return inside the window. */
export function MyLeadRow({ lead, tenantId, onChanged }: { lead: MyLead; tenantId: string; onChanged: () => void }) {
  const [, status] = useMutation<{ r: Answer }>(WORK_STATUS);
  const [, share] = useMutation<{ r: Answer }>(SHARE);
  const [, ret] = useMutation<{ r: Answer }>(AGENT_RETURN);
  const [answer, setAnswer] = useState<{ text: string; errors: UserError[] }>();
  const done = (text: string) => (r: { data?: { r: Answer } }) => {
    setAnswer({ text: r.data?.r.ok ? text : '', errors: r.data?.r.errors ?? [] });
    onChanged();
  };
  const c = lead.contact;
  return (
    <li class="card" data-lead={lead.id}>
      <h3>
        {lead.serviceLine} · {[c?.firstName, c?.lastName].filter(Boolean).join(' ')} <small>{lead.workStatus ?? 'new'}</small>
      </h3>
      <p>
        {c?.phone ? <a href={`tel:${c.phone}`}>{c.phone}</a> : null} {c?.email ? <a href={`mailto:${c.email}`}>{c.email}</a> : null}
      </p>
      <details>
        <summary>Update, share or return</summary>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            const f = e.currentTarget;
            void status({ id: lead.id, s: field(f, 'status'), n: field(f, 'note') || null }).then(done('Status saved.'));
          }}
        >
          <label>
            Status
            <select name="status" defaultValue={lead.workStatus ?? 'contacted'}>
              {WORK_STATUSES.map((w) => (
                <option key={w}>{w}</option>
              ))}
            </select>
          </label>
          <label>
            Note
            <input name="note" maxLength={500} />
          </label>
          <button type="submit">Save status</button>
        </form>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            const f = e.currentTarget;
            void share({ id: lead.id, u: `${tenantId}:${field(f, 'email').trim().toLowerCase()}`, p: field(f, 'permission') }).then(done('Shared.'));
          }}
        >
          <label>
            Share with (colleague's email)
            <input name="email" type="email" required />
          </label>
          <label>
            Permission
            <select name="permission">
              <option value="view">view (contact masked)</option>
              <option value="act">act (works it like you)</option>
            </select>
          </label>
          <button type="submit">Share</button>
        </form>
        {lead.returnWindow?.open ? (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              const f = e.currentTarget;
              void ret({ id: lead.id, reason: field(f, 'reason'), e: field(f, 'evidence') || null }).then(done('Returned: the source is credited.'));
            }}
          >
            <ReturnFields reasons={lead.returnWindow.allowedReasons} reasonLabel="Return reason" />
            <button type="submit">Return</button>
          </form>
        ) : null}
      </details>
      {answer?.text ? <p class="done">{answer.text}</p> : null}
      <Errors errors={answer?.errors} />
    </li>
  );
}
