/**
 * Signing secrets named by configuration (`secretRef`), resolved on the worker
 * so configuration files and exports never carry them: SWITCHYARD_SECRET_<REF>
 * with the name upper-cased and anything but letters and digits as `_`.
 */
export type SecretLookup = (ref: string) => string | undefined;

export const secretEnvName = (ref: string) => `SWITCHYARD_SECRET_${ref.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;

export function envSecrets(env: NodeJS.ProcessEnv = process.env, extra: Record<string, string> = {}): SecretLookup {
  return (ref) => extra[ref] ?? env[secretEnvName(ref)];
}
