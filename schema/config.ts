// One import for every configuration shape.
export * from './common.ts';
export * from './endpoint.ts';
export * from './rotation.ts';
export * from './routing-plan.ts';
export * from './source.ts';
export * from './tenant.ts';
export * from './tenant-config.ts';
export * from './territory.ts';
