import { z } from 'zod';
import { IdSchema } from './common.ts';

/**
 * An HTTP verification provider (`domain/validation/provider-contract.ts` is
 * its contract). `secretRef` names the bearer token the worker reads from its
 * secrets (`SWITCHYARD_SECRET_<REF>`); the token never sits in configuration.
 */
export const HttpProviderSchema = z.strictObject({
  kind: z.literal('http'),
  name: z.string().trim().min(1).max(64).default('http'),
  url: z
    .string()
    .url('must be an http(s) URL')
    .refine((u) => /^https?:\/\//.test(u), { error: 'must be an http(s) URL' }),
  secretRef: IdSchema.optional(),
  /** Per attempt. */
  timeoutMs: z.number().int().min(100).max(30_000).default(2000),
  /** Attempts after the first, on a timeout, a network error or a 5xx. */
  retries: z.number().int().min(0).max(5).default(2),
  /** Consecutive failed calls after which the provider is not called for `cooldownSec` (the circuit opens). */
  failureThreshold: z.number().int().min(1).max(100).default(5),
  cooldownSec: z.number().int().min(1).max(3600).default(30),
});
export type HttpProvider = z.output<typeof HttpProviderSchema>;

const ProviderChoice = z.union([z.strictObject({ kind: z.literal('offline') }), HttpProviderSchema]);

/** Which verification each check uses, per tenant: the offline defaults unless an HTTP provider is named. */
export const VerificationSchema = z.strictObject({
  /** Line type, carrier, whether the number is in service. */
  phone: ProviderChoice.default({ kind: 'offline' }),
  /** Name-to-phone and name-to-address match confidence, a verified address. Offline there is none. */
  identity: ProviderChoice.default({ kind: 'offline' }),
  /** A fraud score (0–100) in place of the offline score. */
  risk: ProviderChoice.default({ kind: 'offline' }),
});
export type Verification = z.output<typeof VerificationSchema>;
