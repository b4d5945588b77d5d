import { Counter, type Registry } from 'prom-client';

/**
 * Commands the driver sends on its own (handshakes, heartbeats, index builds
 * at startup): not work a lead causes, so they are not counted as its cost.
 */
const HOUSEKEEPING = new Set([
  'hello',
  'isMaster',
  'ismaster',
  'ping',
  'buildInfo',
  'buildinfo',
  'endSessions',
  'createIndexes',
  'listIndexes',
  'listCollections',
  'saslStart',
  'saslContinue',
]);

/** A command the application asked for, as opposed to the driver's housekeeping. */
export function isApplicationCommand(commandName: string): boolean {
  return !HOUSEKEEPING.has(commandName);
}

/** The collection a command works on: the value of its first key (`{ find: 'leads', ... }`), when that is a name. */
export function commandCollection(commandName: string, command: Record<string, unknown>): string {
  const target = command[commandName];
  return typeof target === 'string' ? target : '';
}

/** What a command monitor hands on: the command's name and the collection it addresses. */
export type CommandSink = (commandName: string, collection: string) => void;

/** `switchyard_db_commands_total{command,collection}`: every application command this process sent, for the per-lead budget. */
export function dbCommandCounter(registry: Registry): CommandSink {
  const counter = new Counter({
    name: 'switchyard_db_commands_total',
    help: 'Database commands sent by this process (driver housekeeping excluded), by command and collection',
    labelNames: ['command', 'collection'],
    registers: [registry],
  });
  return (command, collection) => counter.inc({ command, collection });
}
