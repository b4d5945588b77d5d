import { startMailCapture, type MailCapture, type MailCaptureOptions } from '../stack/mail-capture.ts';

export type { ReceivedMail } from '../stack/mail-capture.ts';
export type SmtpTestServer = MailCapture;

/** A real SMTP server on 127.0.0.1 and a random port (plain text, no STARTTLS) that records every message: the capture `npm start` runs, without its viewer. */
export const startSmtpServer = (opts: Pick<MailCaptureOptions, 'auth'> = {}): Promise<SmtpTestServer> => startMailCapture(opts);
