import { createHash } from 'node:crypto';

/**
 * A Message-ID derived from the idempotency key, so every retry of the same
 * lead × endpoint carries the same id and mail systems can drop the repeat.
 */
export function messageIdFor(idempotencyKey: string, domain: string): string {
  const digest = createHash('sha256').update(idempotencyKey, 'utf8').digest('hex').slice(0, 40);
  return `<${digest}@${domain}>`;
}
