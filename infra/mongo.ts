import mongoose, { type Connection } from 'mongoose';
import { commandCollection, isApplicationCommand, type CommandSink } from './db-commands.ts';

/**
 * One mongoose connection per process. Settings stay within what both MongoDB 7
 * and the FerretDB test server support (no retryable writes: FerretDB v1 has no sessions).
 * With `onCommand`, every application command is reported as it starts (the
 * driver's command monitor), so the per-lead database budget can be measured.
 */
export async function connectMongo(uri: string, opts: { dbName?: string; onCommand?: CommandSink } = {}): Promise<Connection> {
  const conn = mongoose.createConnection(uri, {
    dbName: opts.dbName,
    serverSelectionTimeoutMS: 10_000,
    retryWrites: false,
    autoIndex: true,
    monitorCommands: opts.onCommand !== undefined,
  });
  await conn.asPromise();
  const onCommand = opts.onCommand;
  if (onCommand)
    conn.getClient().on('commandStarted', (e) => {
      if (isApplicationCommand(e.commandName)) onCommand(e.commandName, commandCollection(e.commandName, e.command));
    });
  return conn;
}
