// A unique index refusing a write (code 11000 on MongoDB and FerretDB) is how
// the stores learn that another writer got there first: a first insert raced,
// a key already taken. Recognised by shape, not by class, because mongoose and
// the application can hold different copies of the driver.

const DUPLICATE_KEY = 11000;

export interface WriteErrorInfo {
  index?: number;
  code?: number;
  err?: { code?: number };
}

/** A single write refused by a unique index. */
export function isDuplicateKey(err: unknown): boolean {
  return (err as { code?: number } | null | undefined)?.code === DUPLICATE_KEY;
}

/** The write errors of a failed bulk write, always as an array: the driver may hand a lone one over as an object. */
export function writeErrorsOf(err: unknown): WriteErrorInfo[] | undefined {
  const w = (err as { writeErrors?: WriteErrorInfo[] | WriteErrorInfo } | null | undefined)?.writeErrors;
  if (w === undefined) return undefined;
  return Array.isArray(w) ? w : [w];
}

/** A failed write, single or unordered bulk, whose every refusal was a key already present: everything else was written. */
export function onlyDuplicateKeys(err: unknown): boolean {
  const writes = writeErrorsOf(err);
  if (!writes) return isDuplicateKey(err);
  return writes.length > 0 && writes.every((w) => (w.code ?? w.err?.code) === DUPLICATE_KEY);
}
