import type { Connection } from 'mongoose';

export interface ActivityDeps {
  mongo: Connection;
}

/** Activities are built from their dependencies so tests and the worker wire them the same way. */
export function createActivities(deps: ActivityDeps) {
  return {
    async checkStores(): Promise<{ mongo: boolean }> {
      const res = await deps.mongo.db?.admin().command({ ping: 1 });
      return { mongo: res?.ok === 1 };
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
