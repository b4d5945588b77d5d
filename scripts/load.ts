// npm run load -- --leads 600 --rate 20 [--fault worker-kill|temporal-restart|mongo-restart|receiver-flap]
//                 [--memory --source desk] [--bad-input 1000] [--no-ceiling] [--keep] [--profile]
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { runBadInput } from '../load/bad-input.ts';
import { runLoad } from '../load/run.ts';

const Args = z.object({
  leads: z.coerce.number().int().min(1).max(100_000).default(600),
  rate: z.coerce.number().positive().max(1000).default(20),
  fault: z.enum(['worker-kill', 'temporal-restart', 'mongo-restart', 'receiver-flap']).optional(),
  source: z.enum(['web', 'desk']).default('web'),
  memory: z.boolean().default(false),
  'bad-input': z.coerce.number().int().min(1).max(100_000).optional(),
  'no-ceiling': z.boolean().default(false),
  keep: z.boolean().default(false),
  profile: z.boolean().default(false),
});

const { values } = parseArgs({
  options: {
    leads: { type: 'string' },
    rate: { type: 'string' },
    fault: { type: 'string' },
    source: { type: 'string' },
    memory: { type: 'boolean' },
    'bad-input': { type: 'string' },
    'no-ceiling': { type: 'boolean' },
    keep: { type: 'boolean' },
    profile: { type: 'boolean' },
  },
  strict: true,
});
const parsed = Args.safeParse(values);
if (!parsed.success) {
  console.error(`load: ${parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; ')}`);
  process.exit(2);
}
const a = parsed.data;
if (a['bad-input'] !== undefined) {
  const r = await runBadInput({ count: a['bad-input'], keep: a.keep });
  process.exit(r.clean ? 0 : 1);
}
const r = await runLoad({
  leads: a.leads,
  rate: a.rate,
  source: a.memory ? 'desk' : a.source,
  memory: a.memory,
  ceiling: !a['no-ceiling'],
  keep: a.keep || a.profile,
  profile: a.profile,
  ...(a.fault ? { fault: a.fault } : {}),
});
process.exit(r.lost === 0 && r.duplicates === 0 && r.capsExceeded.length === 0 ? 0 : 1);
