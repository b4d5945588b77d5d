import type { RecordedRequest, Responder } from './http-receiver.ts';

export const TEST_TWILIO_SID = 'AC0123456789abcdef0123456789abcdef';
export const TEST_TWILIO_TOKEN = 'twilio-test-auth-token-0123';

/**
 * Answers as Twilio's Messages API does: the account's path and Basic auth
 * are checked, a bad number is 400 with code 21211 (its message quoting the
 * number, as Twilio's does), a good one 201 with a message sid.
 */
export function twilioResponder(sid = TEST_TWILIO_SID, token = TEST_TWILIO_TOKEN): Responder {
  return (r: RecordedRequest) => {
    const auth = String(r.headers.authorization ?? '');
    if (r.path !== `/2010-04-01/Accounts/${sid}/Messages.json`)
      return { status: 404, body: { code: 20404, message: 'The requested resource was not found', status: 404 } };
    if (auth !== `Basic ${Buffer.from(`${sid}:${token}`).toString('base64')}`)
      return { status: 401, body: { code: 20003, message: 'Authenticate', status: 401 } };
    const form = new URLSearchParams(r.body);
    if (!/^\+[1-9]\d{7,14}$/.test(form.get('To') ?? ''))
      return { status: 400, body: { code: 21211, message: `The 'To' number ${form.get('To')} is not a valid phone number.`, status: 400 } };
    return { status: 201, body: { sid: `SM${String(r.seq).padStart(32, '0')}`, status: 'queued', to: form.get('To'), body: form.get('Body') } };
  };
}

/** The To and Body of a request to the Messages API. */
export const twilioMessage = (r: RecordedRequest) => {
  const form = new URLSearchParams(r.body);
  return { to: form.get('To') ?? '', body: form.get('Body') ?? '' };
};
