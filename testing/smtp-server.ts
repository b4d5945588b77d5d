import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  envelopeFrom?: string;
  envelopeTo: string[];
  messageId?: string;
  subject?: string;
  text?: string;
  /** Header name (lower case) → value, as parsed. */
  headers: Map<string, unknown>;
  raw: string;
  receivedAt: number;
}

export interface SmtpTestServer {
  host: string;
  port: number;
  messages: ReceivedMail[];
  /** Answer the next `count` messages with this SMTP reply code (4xx temporary, 5xx permanent). */
  rejectNext(count: number, responseCode: number, message?: string): void;
  /** Resolves once `count` messages have arrived (or rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  reset(): void;
  close(): Promise<void>;
}

export interface SmtpTestServerOptions {
  /** When set, clients must log in with these. */
  auth?: { user: string; pass: string };
}

/** A real SMTP server on 127.0.0.1 and a random port (plain text, no STARTTLS) that records every message. */
export async function startSmtpServer(opts: SmtpTestServerOptions = {}): Promise<SmtpTestServer> {
  const messages: ReceivedMail[] = [];
  let rejectCount = 0;
  let rejectWith: { code: number; message: string } | undefined;
  const waiters: Array<() => void> = [];

  const server = new SMTPServer({
    logger: false,
    disabledCommands: opts.auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !opts.auth,
    // Plain-text login is fine on loopback in tests.
    allowInsecureAuth: true,
    onAuth(auth, _session, callback) {
      if (opts.auth && auth.username === opts.auth.user && auth.password === opts.auth.pass) return callback(null, { user: auth.username });
      callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (rejectCount > 0 && rejectWith) {
          rejectCount--;
          return callback(Object.assign(new Error(rejectWith.message), { responseCode: rejectWith.code }));
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        simpleParser(raw).then(
          (parsed) => {
            const mail: ReceivedMail = {
              envelopeTo: session.envelope.rcptTo.map((r) => r.address),
              headers: parsed.headers,
              raw,
              receivedAt: Date.now(),
            };
            if (session.envelope.mailFrom) mail.envelopeFrom = session.envelope.mailFrom.address;
            if (parsed.messageId) mail.messageId = parsed.messageId;
            if (parsed.subject) mail.subject = parsed.subject;
            if (parsed.text) mail.text = parsed.text;
            messages.push(mail);
            for (const w of waiters.splice(0)) w();
            callback(null, 'Queued');
          },
          (err: Error) => callback(Object.assign(new Error(`Could not parse message: ${err.message}`), { responseCode: 554 })),
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;

  return {
    host: '127.0.0.1',
    port,
    messages,
    rejectNext(count, responseCode, message = responseCode >= 500 ? 'Mailbox unavailable' : 'Try again later') {
      rejectCount = count;
      rejectWith = { code: responseCode, message };
    },
    async waitFor(count, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (messages.length < count) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`expected ${count} messages, got ${messages.length} within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(t);
            resolve();
          });
        });
      }
      return messages.slice(0, count);
    },
    reset() {
      messages.length = 0;
      rejectCount = 0;
      rejectWith = undefined;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
