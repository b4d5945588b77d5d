import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { escapeHtml as esc } from '../infra/escape-html.ts';

export interface ReceivedMail {
  /** 1, 2, 3, … in arrival order. */
  id: number;
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

export interface MailCapture {
  host: string;
  port: number;
  /** The viewer (list, message, JSON API), when one was asked for. */
  webUrl?: string;
  messages: ReceivedMail[];
  /** Answer the next `count` messages with this SMTP reply code (4xx temporary, 5xx permanent). */
  rejectNext(count: number, responseCode: number, message?: string): void;
  /** Resolves once `count` messages have arrived (or rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  reset(): void;
  close(): Promise<void>;
}

export interface MailCaptureOptions {
  /** SMTP port; 0 (the default) picks a free one. */
  smtpPort?: number;
  /** Also serve a viewer on this port (0 picks one); none when absent. */
  webPort?: number;
  host?: string;
  /** When set, clients must log in with these. */
  auth?: { user: string; pass: string };
  /** Oldest messages are dropped past this many. */
  maxKept?: number;
}

const linksOf = (text: string | undefined) => [...(text ?? '').matchAll(/https?:\/\/[^\s<>"')]+/g)].map((m) => m[0]);

const json = (m: ReceivedMail) => ({
  id: m.id,
  from: m.envelopeFrom ?? null,
  to: m.envelopeTo,
  subject: m.subject ?? '',
  text: m.text ?? '',
  links: linksOf(m.text),
  receivedAt: new Date(m.receivedAt).toISOString(),
});

const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
  `<title>${esc(title)} · switchyard mail</title><style>body{font:15px/1.45 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}` +
  `table{border-collapse:collapse;width:100%}td,th{padding:.35rem .5rem;border-bottom:1px solid #ddd;text-align:left}pre{white-space:pre-wrap;background:#f6f6f6;padding:1rem}</style>` +
  `</head><body>${body}</body></html>`;

const listPage = (messages: readonly ReceivedMail[]) =>
  page(
    'Captured mail',
    `<h1>Captured mail</h1><p>Everything the worker sends while <code>npm start</code> runs lands here instead of anyone's inbox. ` +
      `JSON: <a href="/api/messages">/api/messages</a> (<code>?to=</code> filters by recipient).</p>` +
      (messages.length === 0
        ? '<p>Nothing yet.</p>'
        : `<table><tr><th>Received</th><th>To</th><th>Subject</th></tr>${[...messages]
            .reverse()
            .map(
              (m) =>
                `<tr><td>${esc(new Date(m.receivedAt).toLocaleString())}</td><td>${esc(m.envelopeTo.join(', '))}</td>` +
                `<td><a href="/messages/${m.id}">${esc(m.subject ?? '(no subject)')}</a></td></tr>`,
            )
            .join('')}</table>`),
  );

const messagePage = (m: ReceivedMail) =>
  page(
    m.subject ?? 'Message',
    `<p><a href="/">← all mail</a></p><h1>${esc(m.subject ?? '(no subject)')}</h1>` +
      `<p>To ${esc(m.envelopeTo.join(', '))}${m.envelopeFrom ? `, from ${esc(m.envelopeFrom)}` : ''}</p>` +
      // Links become clickable: a claim link opens its page from here, as from a mail client.
      `<pre>${esc(m.text ?? '').replace(/https?:\/\/[^\s<>&"')]+/g, (u) => `<a href="${u}">${u}</a>`)}</pre>`,
  );

/**
 * A real SMTP server that keeps what it receives, and, when asked, a small
 * web viewer of it: `npm start` points the worker's mail here so a developer
 * sees every alert and delivery without a mail account, and the tests read
 * the same captured messages.
 */
export async function startMailCapture(opts: MailCaptureOptions = {}): Promise<MailCapture> {
  const host = opts.host ?? '127.0.0.1';
  const maxKept = opts.maxKept ?? 1000;
  const messages: ReceivedMail[] = [];
  let nextId = 1;
  let rejectCount = 0;
  let rejectWith: { code: number; message: string } | undefined;
  const waiters: Array<() => void> = [];

  const smtp = new SMTPServer({
    logger: false,
    disabledCommands: opts.auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !opts.auth,
    // Plain-text login is fine on loopback.
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
              id: nextId++,
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
            if (messages.length > maxKept) messages.shift();
            for (const w of waiters.splice(0)) w();
            callback(null, 'Queued');
          },
          (err: Error) => callback(Object.assign(new Error(`Could not parse message: ${err.message}`), { responseCode: 554 })),
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    smtp.once('error', reject);
    smtp.listen(opts.smtpPort ?? 0, host, () => resolve());
  });
  const port = (smtp.server.address() as AddressInfo).port;

  let web: Server | undefined;
  let webUrl: string | undefined;
  if (opts.webPort !== undefined) {
    web = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://capture');
      const send = (status: number, type: string, body: string) => {
        res.writeHead(status, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store' });
        res.end(body);
      };
      if (req.method === 'DELETE' && url.pathname === '/api/messages') {
        messages.length = 0;
        return send(200, 'application/json', '{"ok":true}');
      }
      if (req.method !== 'GET') return send(405, 'text/plain', 'GET or DELETE /api/messages');
      if (url.pathname === '/api/messages') {
        const to = url.searchParams.get('to')?.toLowerCase();
        const list = [...messages].reverse().filter((m) => !to || m.envelopeTo.some((a) => a.toLowerCase() === to));
        return send(200, 'application/json', JSON.stringify(list.map(json)));
      }
      if (url.pathname === '/') return send(200, 'text/html', listPage(messages));
      const one = /^\/messages\/(\d+)$/.exec(url.pathname);
      const found = one ? messages.find((m) => m.id === Number(one[1])) : undefined;
      if (found) return send(200, 'text/html', messagePage(found));
      return send(404, 'text/plain', 'No such message (the capture keeps mail only while it runs).');
    });
    await new Promise<void>((resolve, reject) => {
      web!.once('error', reject);
      web!.listen(opts.webPort, host, () => resolve());
    });
    webUrl = `http://${host === '127.0.0.1' ? 'localhost' : host}:${(web.address() as AddressInfo).port}`;
  }

  return {
    host,
    port,
    ...(webUrl ? { webUrl } : {}),
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
    close: async () => {
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
      if (web) await new Promise<void>((resolve) => web.close(() => resolve()));
    },
  };
}
