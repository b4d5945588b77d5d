import express, { type Request, type Response, type Router } from 'express';
import type { Connection } from 'mongoose';
import { userModel } from '../../db/models/user.ts';
import { localTime } from '../../domain/alerts/alert-text.ts';
import { verifyClaimLink, type ClaimLinkClaims } from '../../domain/alerts/claim-link.ts';
import type { Actor } from '../../domain/lifecycle/actor.ts';
import type { LeadState } from '../../domain/lifecycle/lead-state.ts';
import type { ApiServices } from '../context.ts';
import { declinedPage, offerPage, refusalPage } from './claim-page.ts';

export interface ClaimLinkRouterDeps {
  mongo: Connection;
  services: Pick<ApiServices, 'leads' | 'contacts' | 'commands'>;
  secret: string;
  now?: () => number;
}

type Checked =
  | { ok: true; claims: ClaimLinkClaims; actor: Actor; lead: LeadState; owner: boolean; zone: string }
  | { ok: false; status: number; title: string; text: string };

/**
 * The page behind the link in an offer alert: the token is the credential
 * (bound to tenant, lead, offer round and person, until the claim deadline).
 * Opening it records a view and never claims; Claim and Decline call the
 * same lead commands as the GraphQL API, so the workflow's own answer
 * ("already claimed", "deadline passed") is what the person reads.
 */
export function createClaimLinkRouter(deps: ClaimLinkRouterDeps): Router {
  const router = express.Router();
  const Users = userModel(deps.mongo);
  const now = deps.now ?? Date.now;

  async function check(token: string): Promise<Checked> {
    const v = verifyClaimLink(deps.secret, token, now());
    // An expired link of the lead's owner still opens their lead; everyone else is told the deadline passed.
    if (!v.ok && v.code !== 'expired') return { ok: false, status: v.code === 'malformed' ? 400 : 403, title: 'This link does not work', text: v.message };
    const claims = v.claims!;
    const user = await Users.findById(claims.userId).lean();
    if (!user || user.tenantId !== claims.tenantId || user.disabled)
      return { ok: false, status: 403, title: 'This link does not work', text: 'The person this link was sent to can no longer sign in; ask your manager.' };
    const lead = (await deps.services.leads.byIds(claims.tenantId, [claims.leadId])).get(claims.leadId);
    if (!lead) return { ok: false, status: 404, title: 'Lead not found', text: `There is no lead ${claims.leadId}.` };
    const actor: Actor = { userId: user._id, role: user.role, tenantId: user.tenantId, ...(user.endpointId ? { endpointId: user.endpointId } : {}) };
    const owner = !!user.endpointId && lead.ownerEndpointId === user.endpointId;
    const zone = user.alerts?.timeZone ?? lead.market?.timeZone ?? 'UTC';
    if (owner) return { ok: true, claims, actor, lead, owner, zone };
    if (!v.ok) return { ok: false, status: 410, title: 'The claim deadline passed', text: v.message };
    if (lead.ownerEndpointId) return { ok: false, status: 409, title: 'Already claimed', text: 'This lead was claimed by someone else; nothing more to do.' };
    if (lead.offerRound !== claims.round)
      return {
        ok: false,
        status: 409,
        title: 'This offer has moved on',
        text: `This link was for offer ${claims.round} of the lead; it is now on offer ${lead.offerRound} and no longer yours to claim.`,
      };
    if (!user.endpointId || !lead.offeredTo.includes(user.endpointId))
      return { ok: false, status: 403, title: 'Not offered to you', text: 'This lead is not offered to you; this link was for someone else.' };
    return { ok: true, claims, actor, lead, owner, zone };
  }

  const send = (res: Response, status: number, html: string) => {
    // The token in the address is a credential: never cached, never sent on as a referrer.
    res.status(status).setHeader('Cache-Control', 'no-store').setHeader('Referrer-Policy', 'no-referrer').type('html').send(html);
  };
  const refuse = (res: Response, c: Extract<Checked, { ok: false }>) => send(res, c.status, refusalPage(c.title, c.text));

  async function show(req: Request, res: Response, c: Extract<Checked, { ok: true }>, message?: { kind: 'done' | 'refused'; text: string }, status = 200) {
    const contact = await deps.services.contacts.get(c.claims.tenantId, c.claims.leadId);
    const deadline = c.lead.offerDeadlineAt ?? c.claims.expiresAt;
    send(
      res,
      status,
      offerPage({
        lead: c.lead,
        ...(contact ? { contact } : {}),
        owner: c.owner,
        action: `${req.baseUrl}/${encodeURIComponent(String(req.params.token))}`,
        deadline: localTime(deadline, c.zone),
        ...(message ? { message } : {}),
      }),
    );
  }

  const handle = (fn: (req: Request, res: Response) => Promise<void>) => (req: Request, res: Response) => {
    fn(req, res).catch(() => send(res, 500, refusalPage('Something went wrong', 'Please try the link again in a moment.')));
  };

  router.get(
    '/:token',
    handle(async (req, res) => {
      const c = await check(String(req.params.token));
      if (!c.ok) return refuse(res, c);
      if (!c.owner) await deps.services.commands.view(c.actor, c.claims.leadId);
      await show(req, res, c);
    }),
  );

  router.post(
    '/:token/claim',
    handle(async (req, res) => {
      const c = await check(String(req.params.token));
      if (!c.ok) return refuse(res, c);
      if (c.owner) return show(req, res, c);
      const r = await deps.services.commands.claim(c.actor, c.claims.leadId);
      if (!r.ok) return send(res, 409, refusalPage('Not claimed', r.error.message));
      const after = (await deps.services.leads.byIds(c.claims.tenantId, [c.claims.leadId])).get(c.claims.leadId) ?? c.lead;
      await show(req, res, { ...c, lead: after, owner: true }, { kind: 'done', text: 'Claimed: the lead is yours.' });
    }),
  );

  router.post(
    '/:token/decline',
    handle(async (req, res) => {
      const c = await check(String(req.params.token));
      if (!c.ok) return refuse(res, c);
      if (c.owner) return show(req, res, c);
      await deps.services.commands.decline(c.actor, c.claims.leadId);
      send(res, 200, declinedPage());
    }),
  );

  return router;
}
