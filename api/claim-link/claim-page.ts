import { maskEmail, maskPhone, maskStreet } from '../../domain/masking.ts';
import type { LeadState } from '../../domain/lifecycle/lead-state.ts';
import type { LeadContact } from '../../db/lead-contact-store.ts';
import { escapeHtml } from '../../infra/escape-html.ts';

const esc = escapeHtml;

const page = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><title>${esc(title)} · switchyard</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;color:#1d2330}
h1{font-size:1.3rem}dl{display:grid;grid-template-columns:auto 1fr;gap:.25rem 1rem}dt{color:#5b6475}
.note{color:#5b6475;font-size:.9rem}.refused{border-left:4px solid #c0392b;padding-left:.75rem}.done{border-left:4px solid #1e8449;padding-left:.75rem}
form{display:inline}button{font:inherit;padding:.5rem 1.25rem;margin:.75rem .5rem 0 0;border-radius:.4rem;border:1px solid #1d2330;background:#fff;cursor:pointer}
button.primary{background:#1d4ed8;border-color:#1d4ed8;color:#fff}</style></head>
<body>${body}</body></html>`;

export interface OfferView {
  lead: LeadState;
  contact?: LeadContact;
  /** The reader owns the lead: the contact is theirs to see. */
  owner: boolean;
  /** Where the page's buttons post. */
  action: string;
  deadline: string;
  message?: { kind: 'done' | 'refused'; text: string };
}

const row = (k: string, v: string | undefined) => (v ? `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>` : '');

/** The lead as the link's reader may see it: contact masked until they own it. */
export function offerPage(v: OfferView): string {
  const c = v.contact;
  const m = v.lead.market;
  const show = (value: string | undefined, mask: (s: string) => string) => (value ? (v.owner ? value : mask(value)) : undefined);
  const name = [c?.firstName, v.owner ? c?.lastName : c?.lastName?.slice(0, 1)].filter(Boolean).join(' ');
  const details =
    `<dl>${row('Service', v.lead.serviceLine)}${row('Area', [m?.city ?? c?.city, [m?.state ?? c?.state, m?.zip ?? c?.zip].filter(Boolean).join(' ')].filter(Boolean).join(', '))}` +
    `${row('Name', name || undefined)}${row('Phone', show(c?.phoneE164 ?? c?.phone, maskPhone))}${row('Email', show(c?.email, maskEmail))}` +
    `${row('Street', show(c?.street, maskStreet))}${row('Lead', v.lead.leadId)}</dl>`;
  const message = v.message ? `<p class="${v.message.kind}">${esc(v.message.text)}</p>` : '';
  const actions = v.owner
    ? '<p class="note">This lead is yours: call them now.</p>'
    : `<p>Claim it before <strong>${esc(v.deadline)}</strong>, or it goes to the next in line.</p>` +
      `<form method="post" action="${esc(v.action)}/claim"><button class="primary" type="submit">Claim</button></form>` +
      `<form method="post" action="${esc(v.action)}/decline"><button type="submit">Decline</button></form>` +
      '<p class="note">Opening this page does not claim the lead; the contact details show once you claim it.</p>';
  return page(
    v.owner ? 'Your lead' : 'A lead is offered to you',
    `<h1>${v.owner ? 'Your lead' : 'A lead is offered to you'}</h1>${message}${details}${actions}`,
  );
}

/** A refusal in words, with nothing of the lead on it. */
export function refusalPage(title: string, text: string): string {
  return page(title, `<h1>${esc(title)}</h1><p class="refused">${esc(text)}</p>`);
}

/** After a decline: nothing of the lead stays on screen. */
export function declinedPage(): string {
  return page('Declined', '<h1>Declined</h1><p class="done">Thanks: the lead goes to the next in line.</p>');
}
