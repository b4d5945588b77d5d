/** "4:59" until a deadline, "deadline passed" after it. */
export function countdown(deadline: number, now: number): string {
  const left = Math.max(0, Math.floor((deadline - now) / 1000));
  if (left === 0) return 'deadline passed';
  const h = Math.floor(left / 3600);
  const m = Math.floor((left % 3600) / 60);
  const s = String(left % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

export const when = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString() : '');

export const money = (cents: number | null | undefined) => (cents == null ? '' : `$${(cents / 100).toFixed(2)}`);
