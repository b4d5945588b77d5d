import nodemailer from 'nodemailer';
import type { SMTPPoolOptions } from 'nodemailer/lib/smtp-pool';
import type { EmailMessage } from '../../domain/delivery/messages.ts';
import type { DeliveryOutcome } from '../../domain/delivery/outcome.ts';
import { classifySmtpError, smtpReplyCode, type SmtpErrorInfo } from '../../domain/delivery/smtp-outcome.ts';

export interface SmtpConfig {
  host: string;
  port: number;
  /** TLS from the first byte (port 465); otherwise STARTTLS is used when offered. */
  secure?: boolean;
  auth?: { user: string; pass: string };
  from: string;
  /** Domain of the Message-IDs we derive from idempotency keys. */
  messageIdDomain: string;
  timeoutMs?: number;
  /** Local test servers present self-signed certificates. */
  allowSelfSigned?: boolean;
}

export interface Mailer {
  readonly messageIdDomain: string;
  send(msg: EmailMessage): Promise<DeliveryOutcome>;
  close(): void;
}

/** One pooled SMTP connection set per configuration, reused across activities. */
export function createSmtpMailer(config: SmtpConfig): Mailer {
  const timeout = config.timeoutMs ?? 15_000;
  // Typed apart from the call: with the conditional spreads inline, overload
  // resolution falls through to createTransport's untyped catch-all.
  const options: SMTPPoolOptions = {
    host: config.host,
    port: config.port,
    secure: config.secure ?? false,
    ...(config.auth ? { auth: config.auth } : {}),
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    ...(config.allowSelfSigned ? { tls: { rejectUnauthorized: false } } : {}),
  };
  const transport = nodemailer.createTransport({ ...options, pool: true });
  return {
    messageIdDomain: config.messageIdDomain,
    async send(msg) {
      try {
        const info = await transport.sendMail({
          from: config.from,
          to: msg.to,
          ...(msg.cc ? { cc: msg.cc } : {}),
          subject: msg.subject,
          text: msg.text,
          messageId: msg.messageId,
          headers: msg.headers,
        });
        return { ok: true, status: smtpReplyCode(info.response) ?? 250, receiverRef: info.messageId };
      } catch (err) {
        return classifySmtpError(err as SmtpErrorInfo);
      }
    },
    close() {
      transport.close();
    },
  };
}
