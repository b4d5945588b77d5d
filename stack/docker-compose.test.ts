import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadEnv } from '../infra/env.ts';
import { SEARCH_ATTRIBUTES } from './search-attributes.ts';
import { projectRoot } from './tools.ts';

interface Service {
  image?: string;
  build?: unknown;
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: unknown };
  command?: unknown;
}

// No Docker engine runs on the build machines, so the file is checked here
// against the code it must agree with (and by `npm run check:compose` where a
// compose client exists).
const compose = parse(readFileSync(join(projectRoot, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, Service> };
const services = compose.services;

describe('docker-compose.yml', () => {
  it('runs every part of the production-like stack', () => {
    expect(Object.keys(services).sort()).toEqual(
      ['api', 'mongo', 'postgresql', 'temporal', 'temporal-search-attributes', 'temporal-ui', 'worker'].sort(),
    );
    expect(services.mongo?.image).toBe('mongo:7');
    expect(services.mongo?.command).toEqual(['--replSet', 'rs0', '--bind_ip_all']);
    expect(services.temporal?.environment?.DB).toBe('postgres12');
  });

  it('gives the worker and API an environment that loadEnv accepts', () => {
    for (const name of ['worker', 'api']) {
      const env = services[name]?.environment;
      expect(env, name).toBeDefined();
      const parsed = loadEnv(env!);
      expect(parsed.MONGODB_URI).toContain('replicaSet=rs0');
      expect(parsed.TEMPORAL_ADDRESS).toBe('temporal:7233');
    }
  });

  it('only waits on services that have a health check or complete', () => {
    for (const [name, svc] of Object.entries(services)) {
      for (const [dep, { condition }] of Object.entries(svc.depends_on ?? {})) {
        expect(services[dep], `${name} depends on missing ${dep}`).toBeDefined();
        if (condition === 'service_healthy') expect(services[dep]?.healthcheck, `${dep} has no healthcheck`).toBeDefined();
      }
    }
  });

  it('registers exactly the search attributes the dev server registers', () => {
    const cmd = JSON.stringify(services['temporal-search-attributes']?.command);
    for (const name of Object.keys(SEARCH_ATTRIBUTES)) expect(cmd).toContain(name);
    expect(Object.values(SEARCH_ATTRIBUTES).every((t) => t === 'Keyword')).toBe(true);
  });
});
