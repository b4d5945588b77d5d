import { z } from 'zod';
import { CountSchema, DurationSecSchema, IdSchema, NameSchema } from './common.ts';

export const RotationSchema = z.strictObject({
  id: IdSchema,
  name: NameSchema,
  members: z.array(IdSchema).min(1, 'needs at least one member'),
  claimDeadlineSec: DurationSecSchema.default(300),
  /** Offers a lead may lapse before it escalates to a manager. */
  maxLapses: CountSchema.default(3),
  /** The claim clock stops while the member is outside business hours. */
  pauseDeadlineOutsideHours: z.boolean().default(false),
});
export type Rotation = z.output<typeof RotationSchema>;
