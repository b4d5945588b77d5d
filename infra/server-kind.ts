import type { Connection } from 'mongoose';

/** FerretDB answers buildInfo with a `ferretdbVersion` field; MongoDB does not. */
export async function isFerretDb(conn: Connection): Promise<boolean> {
  const info = await conn.db!.admin().command({ buildInfo: 1 });
  return 'ferretdbVersion' in info;
}
