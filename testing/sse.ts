/**
 * Reads GraphQL-over-SSE `next` events from a subscription response until
 * `count` have arrived or `waitMs` has passed (a wait bound, never an
 * assertion: the caller asserts what arrived), then closes the stream.
 */
export async function readSseEvents<T = unknown>(res: Response, field: string, count: number, waitMs: number): Promise<T[]> {
  const reader = res.body!.getReader();
  const out: T[] = [];
  let buf = '';
  const deadline = Date.now() + waitMs;
  while (out.length < count && Date.now() < deadline) {
    const chunk = await Promise.race([
      reader.read(),
      new Promise<{ done: true; value: undefined }>((r) => setTimeout(() => r({ done: true, value: undefined }), deadline - Date.now())),
    ]);
    if (chunk.done) break;
    buf += new TextDecoder().decode(chunk.value);
    let i: number;
    while ((i = buf.indexOf('\n\n')) >= 0) {
      const frame = buf.slice(0, i);
      buf = buf.slice(i + 2);
      const data = frame
        .split('\n')
        .filter((l) => l.startsWith('data:'))
        .map((l) => l.slice(5).trim())
        .join('');
      if (data && /^event: ?next/m.test(frame)) out.push((JSON.parse(data) as { data: Record<string, T> }).data[field]!);
    }
  }
  await reader.cancel();
  return out;
}
