import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { z } from 'zod';

export type SuppressionEntry = { kind: 'phone' | 'email'; value: string };
export type EntryResult = { ok: true; entry: SuppressionEntry } | { ok: false; message: string };

const EmailSyntax = z.email();
const PHONE_HEADERS = new Set(['phone', 'phone_number', 'phonenumber', 'number', 'telephone', 'tel', 'mobile', 'e164']);
const EMAIL_HEADERS = new Set(['email', 'e-mail', 'email_address', 'emailaddress', 'mail']);

/** One list value → its stored form: E.164 for phones, lower case for emails. */
export function normaliseSuppressionValue(raw: string, defaultCountry: CountryCode = 'US'): EntryResult {
  const value = raw.trim();
  if (!value) return { ok: false, message: 'empty value' };
  if (value.includes('@')) {
    const email = value.toLowerCase();
    return EmailSyntax.safeParse(email).success
      ? { ok: true, entry: { kind: 'email', value: email } }
      : { ok: false, message: `"${value}" is not a valid email address` };
  }
  const phone = parsePhoneNumberFromString(value, defaultCountry);
  if (!phone?.isValid()) return { ok: false, message: `"${value}" is not a valid phone number` };
  return { ok: true, entry: { kind: 'phone', value: phone.number } };
}

export type CsvLayout = { header: true; phoneColumn?: number; emailColumn?: number } | { header: false };

/** A first row naming a phone or email column is a header; anything else is already data. */
export function detectCsvLayout(firstRow: readonly string[]): CsvLayout {
  const names = firstRow.map((c) => c.trim().toLowerCase().replace(/\s+/g, '_'));
  const phone = names.findIndex((n) => PHONE_HEADERS.has(n));
  const email = names.findIndex((n) => EMAIL_HEADERS.has(n));
  if (phone < 0 && email < 0) return { header: false };
  const layout: CsvLayout = { header: true };
  if (phone >= 0) layout.phoneColumn = phone;
  if (email >= 0) layout.emailColumn = email;
  return layout;
}

/**
 * The values of one data row. Without a header a row is one value, possibly
 * split over cells (registry downloads come as `areacode,number`).
 */
export function rowValues(row: readonly string[], layout: CsvLayout): string[] {
  if (!layout.header) {
    const cells = row.map((c) => c.trim()).filter(Boolean);
    return cells.some((c) => c.includes('@')) ? cells : [cells.join('')];
  }
  const out: string[] = [];
  for (const col of [layout.phoneColumn, layout.emailColumn]) {
    const cell = col === undefined ? undefined : row[col]?.trim();
    if (cell) out.push(cell);
  }
  return out;
}
