import { describe, expect, it } from 'vitest';
import { commandsBetween, dbCommandsOf, sumOf } from './commands.ts';

const page = (finds: number, inserts: number) => `# HELP switchyard_db_commands_total Database commands
# TYPE switchyard_db_commands_total counter
switchyard_db_commands_total{command="find",collection="config_versions"} ${finds}
switchyard_db_commands_total{command="insert",collection="lead_events"} ${inserts}
switchyard_http_requests_total{route="/intake",method="POST",status="202"} 99
`;

describe('database commands from a metrics page', () => {
  it('reads the counter per command and collection and ignores other metrics', () => {
    const m = dbCommandsOf(page(4, 2));
    expect(Object.fromEntries(m)).toEqual({ 'find config_versions': 4, 'insert lead_events': 2 });
    expect(sumOf(m)).toBe(6);
  });

  it('takes the difference between two scrapes, leaving out what did not move', () => {
    const d = commandsBetween(dbCommandsOf(page(4, 2)), dbCommandsOf(page(4, 7)));
    expect(Object.fromEntries(d)).toEqual({ 'insert lead_events': 5 });
  });

  it('counts a key first seen in the second scrape in full', () => {
    const d = commandsBetween(new Map(), dbCommandsOf(page(1, 3)));
    expect(sumOf(d)).toBe(4);
  });
});
