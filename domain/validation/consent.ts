import { BlockList } from 'node:net';
import { z } from 'zod';
import { stepResult, type StepResult } from './step.ts';

export const CONTACT_CHANNELS = ['sms', 'email', 'phone'] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];

export const ConsentRecordSchema = z.object({
  text: z.string().trim().min(1, 'consent text is empty').max(10_000),
  timestamp: z.iso.datetime({ offset: true, message: 'consent timestamp must be an ISO 8601 date-time' }),
  ip: z.string().trim().optional(),
  pageUrl: z.url({ protocol: /^https?$/, message: 'consent page URL must be an http(s) URL' }).optional(),
  geolocation: z.object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) }).optional(),
  /** Channels the consumer ticked; when absent they are read from the consent text. */
  channels: z.array(z.enum(CONTACT_CHANNELS)).optional(),
});
export type ConsentRecordInput = z.input<typeof ConsentRecordSchema>;

export type ConsentData = {
  present: boolean;
  /** The record can be relied on: present, well-formed, in date. */
  usable: boolean;
  channels: ContactChannel[];
  channelsFrom: 'record' | 'text' | 'none';
  allowsSms: boolean;
  allowsEmail: boolean;
  ageDays?: number;
  ipPublic?: boolean;
  /** Why the record cannot be used. */
  problems: string[];
  /** Gaps that do not void the record but weaken it (no IP, no page URL). */
  warnings: string[];
};

export interface ConsentCheckOptions {
  now: number;
  /** Consent older than this no longer covers a first contact. */
  maxAgeDays?: number;
  /** Missing or unusable consent rejects the lead instead of flagging it. */
  required?: boolean;
  /** Tolerated clock difference between the capture page and us. */
  futureSkewSec?: number;
}

export type ConsentStep = StepResult<'consent', ConsentData>;

const IpSyntax = z.union([z.ipv4(), z.ipv6()]);

// A consent captured on a public web page cannot come from these.
const NON_PUBLIC = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 3],
] as const) {
  NON_PUBLIC.addSubnet(net, bits, 'ipv4');
}
for (const [net, bits] of [
  ['::', 127],
  ['fc00::', 7],
  ['fe80::', 10],
  ['2001:db8::', 32],
  ['ff00::', 8],
] as const)
  NON_PUBLIC.addSubnet(net, bits, 'ipv6');

export function isPublicIp(ip: string): boolean {
  return !NON_PUBLIC.check(ip, ip.includes(':') ? 'ipv6' : 'ipv4');
}

/** Reads which channels a consent text covers when the form did not say. */
export function channelsFromText(text: string): ContactChannel[] {
  const out: ContactChannel[] = [];
  if (/\b(sms|mms|text(s|ed)?( messages?)?|text messaging)\b/i.test(text)) out.push('sms');
  if (/\be-?mails?\b/i.test(text)) out.push('email');
  if (/\b(call|calls|calling|phone|telephone|autodial(ed|er)?|pre-?recorded)\b/i.test(text)) out.push('phone');
  return out;
}

export function checkConsent(record: unknown, opts: ConsentCheckOptions): ConsentStep {
  const maxAgeDays = opts.maxAgeDays ?? 90;
  const none: ConsentData = {
    present: false,
    usable: false,
    channels: [],
    channelsFrom: 'none',
    allowsSms: false,
    allowsEmail: false,
    problems: ['no consent record'],
    warnings: [],
  };
  if (record === undefined || record === null) return unusable(none, opts, 'missing', 'No consent record was given: no automatic SMS or email');

  const parsed = ConsentRecordSchema.safeParse(record);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message));
    return unusable({ ...none, present: true, problems }, opts, 'malformed', `Consent record is malformed (${problems.join('; ')})`);
  }
  const c = parsed.data;
  const problems: string[] = [];
  const warnings: string[] = [];
  const at = Date.parse(c.timestamp);
  const ageDays = (opts.now - at) / 86_400_000;
  if (at - opts.now > (opts.futureSkewSec ?? 300) * 1000) problems.push(`consent timestamp ${c.timestamp} is in the future`);
  else if (ageDays > maxAgeDays) problems.push(`consent is ${Math.floor(ageDays)} days old; at most ${maxAgeDays} allowed`);

  let ipPublic: boolean | undefined;
  if (!c.ip) warnings.push('no IP address recorded');
  else if (!IpSyntax.safeParse(c.ip).success) problems.push(`consent IP "${c.ip}" is not an IP address`);
  else {
    ipPublic = isPublicIp(c.ip);
    if (!ipPublic) warnings.push(`consent IP ${c.ip} is not a public address`);
  }
  if (!c.pageUrl) warnings.push('no page URL recorded');

  const channels = c.channels ? [...new Set(c.channels)] : channelsFromText(c.text);
  const data: ConsentData = {
    present: true,
    usable: problems.length === 0,
    channels: problems.length === 0 ? channels : [],
    channelsFrom: c.channels ? 'record' : channels.length ? 'text' : 'none',
    allowsSms: false,
    allowsEmail: false,
    ageDays: Math.max(0, Math.round(ageDays * 10) / 10),
    problems,
    warnings,
  };
  if (ipPublic !== undefined) data.ipPublic = ipPublic;
  if (problems.length) return unusable(data, opts, 'unusable', `Consent cannot be relied on: ${problems.join('; ')}`);
  data.allowsSms = channels.includes('sms');
  data.allowsEmail = channels.includes('email');
  return stepResult('consent', 'pass', data);
}

function unusable(data: ConsentData, opts: ConsentCheckOptions, code: string, reason: string): ConsentStep {
  return stepResult(
    'consent',
    opts.required ? 'fail' : 'flag',
    { ...data, usable: false, channels: [], allowsSms: false, allowsEmail: false },
    { code, reason },
  );
}
