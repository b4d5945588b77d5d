// `npm run tenant -- create --id acme --name "Acme Pest" --admin-email ops@acme.example [--admin-name "Ada Ops"]`
// Creates a brand and its first admin in the database at MONGODB_URI, and
// prints the admin's one-time set-password token (valid 24 hours).
import { parseArgs } from 'node:util';
import { loadEnv } from '../infra/env.ts';
import { connectMongo } from '../infra/mongo.ts';
import { tenantService } from '../services/tenants.ts';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { id: { type: 'string' }, name: { type: 'string' }, 'admin-email': { type: 'string' }, 'admin-name': { type: 'string' } },
});
if (positionals[0] !== 'create') {
  console.error('usage: npm run tenant -- create --id <tenant id> --name "<brand name>" --admin-email <email> [--admin-name "<name>"]');
  process.exit(2);
}
const env = loadEnv();
const conn = await connectMongo(env.MONGODB_URI);
try {
  const r = await tenantService(conn).create({
    id: values.id ?? '',
    name: values.name ?? '',
    adminEmail: values['admin-email'] ?? '',
    ...(values['admin-name'] ? { adminName: values['admin-name'] } : {}),
  });
  if (!r.ok) {
    for (const p of r.problems) console.error(`[tenant] ${p.code}: ${p.message}`);
    process.exitCode = 1;
  } else {
    console.log(`[tenant] created ${r.tenantId}; admin ${r.adminUserId}`);
    console.log(`[tenant] one-time set-password token (valid until ${new Date(r.expiresAt).toISOString()}): ${r.setPasswordToken}`);
    console.log(
      `[tenant] set the password with: mutation { setPassword(tenantId: "${r.tenantId}", email: "${values['admin-email']}", token: "${r.setPasswordToken}", password: "<at least 12 characters>") { ok errors { code message } } }`,
    );
  }
} finally {
  await conn.close();
}
