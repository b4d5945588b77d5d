import { createHmac, timingSafeEqual } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import type { Connection } from 'mongoose';
import { can } from '../../domain/access/policy.ts';
import { SUPPRESSION_LISTS, type SuppressionList } from '../../domain/validation/suppression.ts';
import { suppressionStore } from '../../db/suppression-store.ts';
import type { AuthResult } from '../authenticate.ts';
import { userError, type UserError } from '../core/payload.ts';

export interface SuppressionRouterDeps {
  mongo: Connection;
  /** Who is asking: a tenant user (internal lists) or the platform operator (the shared registries). */
  resolve: (req: Request) => Promise<AuthResult>;
  /** The SMS provider's auth token (Twilio's): inbound messages are accepted only with its signature. */
  smsAuthToken?: string | undefined;
}

/** Twilio's standard opt-out keywords. */
const STOP_WORDS = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT']);

const refuse = (res: Response, status: number, error: UserError) => res.status(status).json({ ok: false, errors: [error] });
/** The HTTP routes' own refusals (who may call): the codes the GraphQL API gives as errors. */
const denied = (code: 'UNAUTHENTICATED' | 'FORBIDDEN' | 'UNAVAILABLE', message: string): UserError => ({ code, message });

/** Twilio's request signature: HMAC-SHA1 over the URL it called and the POST parameters sorted by name. */
export function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  const data =
    url +
    Object.keys(params)
      .sort()
      .map((k) => k + params[k])
      .join('');
  return createHmac('sha1', authToken).update(data).digest('base64');
}

const sameSignature = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * `POST /suppression-lists/:list?state=TX&mode=add|replace` with a CSV body
 * (a `phone` and/or `email` column, or one value a line), streamed into the
 * list as it arrives: a tenant's admin or ops for its `internal` list, the
 * platform operator for the shared `federal` and `state` registries. The
 * answer counts the rows and reports every rejected one by line. With
 * `mode=replace` the list switches to the new upload only once it is whole.
 *
 * `POST /webhooks/sms/:tenantId`: the SMS provider's inbound-message webhook
 * (Twilio's form fields, signed with its auth token). A consumer's "STOP"
 * adds the number to the tenant's internal list, where no later upload
 * removes it.
 */
export function createSuppressionRouter(deps: SuppressionRouterDeps): Router {
  const router = express.Router();
  const store = suppressionStore(deps.mongo);

  router.post('/suppression-lists/:list', async (req, res) => {
    const list = req.params.list as SuppressionList;
    if (!SUPPRESSION_LISTS.includes(list))
      return refuse(res, 404, userError('NOT_FOUND', `No list "${req.params.list}"; lists: ${SUPPRESSION_LISTS.join(', ')}.`, 'list'));
    const mode = req.query.mode ?? 'add';
    if (mode !== 'add' && mode !== 'replace') return refuse(res, 400, userError('INVALID_INPUT', 'mode must be add or replace', 'mode'));
    const state = typeof req.query.state === 'string' ? req.query.state.toUpperCase() : undefined;
    const type = req.headers['content-type']?.split(';')[0]?.trim();
    if (type !== 'text/csv' && type !== 'text/plain') return refuse(res, 415, userError('INVALID_INPUT', 'send the list as text/csv', 'content-type'));
    const auth = await deps.resolve(req).catch((): AuthResult => ({}));
    let tenantId: string | undefined;
    let by: string;
    if (list === 'internal') {
      if (!auth.principal) return refuse(res, 401, denied('UNAUTHENTICATED', 'Sign in to upload a suppression list.'));
      const d = can(auth.principal, 'suppression.manage');
      if (!d.allow) return refuse(res, 403, denied('FORBIDDEN', `Not allowed: ${d.reason}.`));
      tenantId = auth.principal.actor.tenantId;
      by = auth.principal.actor.userId;
    } else {
      // The shared registries serve every tenant: only the platform operator loads them.
      if (!auth.platform)
        return refuse(
          res,
          403,
          denied('FORBIDDEN', `The ${list} registry is shared by every tenant: it takes the platform operator credential (X-Platform-Token).`),
        );
      by = 'platform';
    }
    const r = await store.loadCsv(req, { list, ...(state ? { state } : {}), ...(tenantId ? { tenantId } : {}), source: `upload by ${by}` }, { mode, by });
    if (!r.ok) return refuse(res, 400, userError('INVALID_INPUT', r.error, list === 'state' ? 'state' : 'list'));
    const { ok: _ok, ...report } = r;
    return res.json({ ok: true, list, ...(state ? { state } : {}), ...report });
  });

  router.post('/webhooks/sms/:tenantId', express.urlencoded({ extended: false, limit: '16kb' }), async (req, res) => {
    if (!deps.smsAuthToken) return refuse(res, 503, denied('UNAVAILABLE', 'Inbound SMS is not configured: set SMS_AUTH_TOKEN.'));
    const params = Object.fromEntries(Object.entries(req.body as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'));
    const url = `${req.protocol}://${req.get('host')}${req.originalUrl}`;
    const signature = req.headers['x-twilio-signature'];
    if (typeof signature !== 'string' || !sameSignature(signature, twilioSignature(deps.smsAuthToken, url, params)))
      return refuse(res, 403, denied('FORBIDDEN', 'The request is not signed by the SMS provider.'));
    const word = (params.Body ?? '').trim().toUpperCase();
    if (STOP_WORDS.has(word) && params.From) await store.add([params.From], { list: 'internal', tenantId: req.params.tenantId, source: `SMS ${word}` });
    // An empty reply: the provider sends its own opt-out confirmation.
    return res.type('text/xml').send('<Response></Response>');
  });

  return router;
}
