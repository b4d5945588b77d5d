const MINUTE = 60_000;
const HORIZON = 60 * 24 * 3600_000;

/**
 * When an offer made at `start` lapses if the clock only runs while the
 * receiver is open. Walks minute by minute (business hours are set in
 * minutes), so a 15-minute deadline given at 16:55 on a Friday for a 9–17
 * schedule lapses at 09:10 on Monday. Without a schedule, or if the receiver
 * never opens within 60 days, it is plain wall-clock time.
 */
export function claimDeadlineAt(start: number, deadlineSec: number, isOpenAt?: (t: number) => boolean): number {
  let remaining = deadlineSec * 1000;
  if (!isOpenAt || remaining <= 0) return start + remaining;
  // Align to the next minute boundary first: schedules change state on minutes.
  let t = start;
  const toBoundary = MINUTE - (start % MINUTE);
  if (isOpenAt(t)) {
    if (remaining <= toBoundary) return t + remaining;
    remaining -= toBoundary;
  }
  t += toBoundary;
  while (t - start < HORIZON) {
    if (isOpenAt(t)) {
      if (remaining <= MINUTE) return t + remaining;
      remaining -= MINUTE;
    }
    t += MINUTE;
  }
  return start + deadlineSec * 1000;
}
