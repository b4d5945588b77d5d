import type { Env } from './env.ts';

/** Development only: claim links from `npm start` and the tests verify against this. */
export const DEV_LINK_SECRET = 'switchyard-development-link-secret-not-for-production';

export interface LinkConfig {
  /** Where the claim page is served: `${baseUrl}/claim/<token>`. */
  baseUrl: string;
  secret: string;
}

export const linkConfigFromEnv = (env: Pick<Env, 'LINK_SECRET' | 'PUBLIC_URL'>): LinkConfig => ({
  baseUrl: env.PUBLIC_URL.replace(/\/+$/, ''),
  secret: env.LINK_SECRET ?? DEV_LINK_SECRET,
});
