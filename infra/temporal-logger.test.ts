import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';
import { temporalLogger } from './temporal-logger.ts';

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      for (const l of String(chunk).split('\n')) if (l.trim()) lines.push(JSON.parse(l) as Record<string, unknown>);
      cb();
    },
  });
  return { lines, log: createLogger('worker', 'trace', { destination }) };
}

describe('the Temporal SDK logger adapter', () => {
  it('writes SDK lines as pino JSON at the same level, naming the lead of a lead workflow', () => {
    const { lines, log } = capture();
    const t = temporalLogger(log);
    t.info('Workflow started', { sdkComponent: 'worker', workflowId: 'lead:acme:Labc', runId: 'r1', workflowType: 'leadWorkflow' });
    t.log('WARN', 'Activity failed', { sdkComponent: 'worker', workflowId: 'lead:a:b:Lxyz', error: new Error('receiver said 214-867-5309 is wrong') });
    t.debug('Poll', { sdkComponent: 'core' });
    expect(lines[0]).toMatchObject({ level: 30, msg: 'Workflow started', sdkComponent: 'worker', tenantId: 'acme', leadId: 'Labc', service: 'worker' });
    expect(lines[1]).toMatchObject({ level: 40, tenantId: 'a:b', leadId: 'Lxyz', err: { message: 'receiver said [number] is wrong' } });
    expect(lines[2]).toMatchObject({ level: 20, sdkComponent: 'core' });
    expect(lines[2]).not.toHaveProperty('leadId');
  });

  it('scrubs messages and redacts personal fields whatever the SDK passes', () => {
    const { lines, log } = capture();
    temporalLogger(log).error('Failed for jenny@example.com at +12148675309', { lead: { phone: '+12148675309' }, input: { email: 'jenny@example.com' } });
    expect(JSON.stringify(lines)).not.toMatch(/jenny|8675309/);
    expect(lines[0]).toMatchObject({ msg: 'Failed for [email] at [number]', lead: '[redacted]', input: { email: '[redacted]' } });
  });
});
