/** What roles that must not see personal data see instead. Pure. */
export function maskPhone(e164: string): string {
  const digits = e164.replace(/\D/g, '');
  return digits.length <= 4 ? '•'.repeat(digits.length) : `•••-•••-${digits.slice(-4)}`;
}

export function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  return `${local.slice(0, 1)}•••@${domain}`;
}

export function maskStreet(street: string): string {
  return street.replace(/^\s*\d+[A-Za-z]?\b/, '•••').replace(/[A-Za-z]{4,}/g, (w) => `${w.slice(0, 1)}•••`);
}

export function maskIp(ip: string): string {
  if (ip.includes(':')) return `${ip.split(':').slice(0, 2).join(':')}:•••`;
  const parts = ip.split('.');
  return `${parts[0]}.${parts[1]}.•.•`;
}
