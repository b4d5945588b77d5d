import { createLeadActivities, type LeadActivityDeps } from './lead-activities.ts';

export type ActivityDeps = LeadActivityDeps;

/** Activities are built from their dependencies so tests and the worker wire them the same way. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createLeadActivities(deps),
    async checkStores(): Promise<{ mongo: boolean }> {
      const res = await deps.mongo.db?.admin().command({ ping: 1 });
      return { mongo: res?.ok === 1 };
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
