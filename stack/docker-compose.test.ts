import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadEnv } from '../infra/env.ts';
import { taskQueuesFromEnv } from '../infra/task-queues.ts';
import { SEARCH_ATTRIBUTES } from './search-attributes.ts';
import { projectRoot } from './tools.ts';

interface Service {
  image?: string;
  build?: unknown;
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: unknown };
  command?: unknown;
  deploy?: { replicas?: string | number };
  ports?: string[];
  expose?: string[];
  volumes?: string[];
  profiles?: string[];
  stop_grace_period?: string;
}

/** Compose's `${NAME:-default}` and `${NAME:?message}` as `docker compose config` resolves them with `vars` set. */
function interpolate(value: string, vars: Record<string, string> = {}): string {
  return value.replace(/\$\{([A-Z_][A-Z0-9_]*)(?::([-?])([^}]*))?\}/g, (_m, name: string, op?: string, arg?: string) => {
    const v = vars[name];
    if (v !== undefined && v !== '') return v;
    if (op === '?') throw new Error(`\${${name}} is required: ${arg}`);
    return op === '-' ? (arg ?? '') : '';
  });
}
const secrets = { PII_KEY: 'x'.repeat(44), JWT_SECRET: 'y'.repeat(40), LINK_SECRET: 'z'.repeat(40) };
const envOf = (name: string, vars: Record<string, string> = {}) =>
  Object.fromEntries(Object.entries(services[name]?.environment ?? {}).map(([k, v]) => [k, interpolate(String(v), { ...secrets, ...vars })]));
const seconds = (d: string | undefined) => Number(/^(\d+)s$/.exec(d ?? '')?.[1] ?? NaN);

// No Docker engine runs on the build machines, so the file is checked here
// against the code it must agree with (and by `npm run check:compose` where a
// compose client exists).
const compose = parse(readFileSync(join(projectRoot, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, Service> };
const services = compose.services;

describe('docker-compose.yml', () => {
  it('runs every part of the production-like stack', () => {
    expect(Object.keys(services).sort()).toEqual(
      [
        'api',
        'lb',
        'mailpit',
        'mongo',
        'postgresql',
        'prometheus',
        'temporal',
        'temporal-search-attributes',
        'temporal-ui',
        'worker',
        'worker-partitioned',
      ].sort(),
    );
    expect(services.mongo?.image).toBe('mongo:7');
    expect(services.mongo?.command).toEqual(['--replSet', 'rs0', '--bind_ip_all']);
    expect(services.temporal?.environment?.DB).toBe('postgres12');
  });

  it('gives the workers and API an environment that loadEnv accepts', () => {
    for (const name of ['worker', 'worker-partitioned', 'api']) {
      expect(services[name]?.environment, name).toBeDefined();
      const parsed = loadEnv(envOf(name));
      expect(parsed.MONGODB_URI).toContain('replicaSet=rs0');
      expect(parsed.TEMPORAL_ADDRESS).toBe('temporal:7233');
      expect(parsed.LOG_FORMAT).toBe('json');
    }
  });

  it('signs claim links with one secret in the API and every worker, and sends mail to mailpit until SMTP_URL says otherwise', () => {
    for (const name of ['worker', 'worker-partitioned', 'api']) {
      expect(() => envOf(name, { LINK_SECRET: '' }), name).toThrow(/LINK_SECRET/);
      const env = loadEnv(envOf(name));
      expect(env.LINK_SECRET).toBe(secrets.LINK_SECRET);
      expect(env.SMTP_URL).toBe('smtp://mailpit:1025');
      expect(env.PUBLIC_URL).toBe('http://localhost:4000');
      // SMS stays off until the Twilio account is given; given, both parts are needed.
      expect(env.TWILIO_ACCOUNT_SID).toBeUndefined();
      expect(() => loadEnv(envOf(name, { TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}` }))).toThrow(/SMS_AUTH_TOKEN/);
      expect(loadEnv(envOf(name, { SMTP_URL: 'smtps://u:p@mail.example.com:465' })).SMTP_URL).toBe('smtps://u:p@mail.example.com:465');
    }
    expect(services.mailpit?.ports).toEqual(['8025:8025']);
  });

  it('runs several workers and API replicas, the API behind the load balancer only', () => {
    for (const name of ['worker', 'api']) expect(Number(interpolate(String(services[name]?.deploy?.replicas ?? '')))).toBeGreaterThanOrEqual(2);
    expect(Number(interpolate(String(services.worker?.deploy?.replicas), { WORKER_REPLICAS: '6' }))).toBe(6);
    // Replicas cannot share a published port: only the balancer publishes one.
    expect(services.api?.ports).toBeUndefined();
    expect(services.lb?.ports).toEqual(['4000:80']);
    expect(services.lb?.depends_on?.api?.condition).toBe('service_healthy');
    expect(loadEnv(envOf('api')).TRUST_PROXY_HOPS).toBe(1);
    const nginx = readFileSync(join(projectRoot, 'deploy/nginx.conf'), 'utf8');
    expect(services.lb?.volumes).toContain('./deploy/nginx.conf:/etc/nginx/nginx.conf:ro');
    expect(nginx).toContain(`http://api:${loadEnv(envOf('api')).PORT}`);
    expect(nginx).toMatch(/location = \/metrics \{ return 404; \}/);
    expect(nginx).toContain('X-Request-Id');
  });

  it('partitions tenants the same way in the API and the partitioned workers', () => {
    const vars = { TENANT_TASK_QUEUES: 'acme,globex=big', PARTITIONED_TENANTS: 'acme' };
    const api = taskQueuesFromEnv(loadEnv(envOf('api', vars)));
    const worker = loadEnv(envOf('worker-partitioned', vars));
    expect(worker.WORKER_TENANTS).toBe('acme');
    expect(taskQueuesFromEnv(worker).forWorker(['acme'])).toEqual([api.forTenant('acme')]);
    expect(api.forTenant('acme')).toBe('switchyard-acme');
    expect(loadEnv(envOf('worker', vars)).WORKER_TENANTS).toBe('');
    expect(services['worker-partitioned']?.profiles).toEqual(['partitioned']);
  });

  it('gives every process time to drain before Docker kills it, and the workers a health check on their metrics port', () => {
    for (const name of ['worker', 'worker-partitioned']) {
      const env = loadEnv(envOf(name));
      // The SDK gives up 10 s after the grace time; Docker's SIGKILL must come later still.
      expect(seconds(services[name]?.stop_grace_period) * 1000, name).toBeGreaterThan(env.SHUTDOWN_GRACE_MS + 10_000);
      expect(JSON.stringify(services[name]?.healthcheck?.test)).toContain(`127.0.0.1:${env.WORKER_METRICS_PORT}/health`);
    }
    expect(seconds(services.api?.stop_grace_period) * 1000).toBeGreaterThan(loadEnv(envOf('api')).SHUTDOWN_GRACE_MS);
  });

  it('lets Prometheus scrape every API and worker replica on their metrics ports', () => {
    const prom = readFileSync(join(projectRoot, 'deploy/prometheus.yml'), 'utf8');
    expect(prom).toContain(`port: ${loadEnv(envOf('api')).PORT}`);
    expect(prom).toContain(`port: ${loadEnv(envOf('worker')).WORKER_METRICS_PORT}`);
    expect(prom).toMatch(/names: \[worker, worker-partitioned\]/);
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
