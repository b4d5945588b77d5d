import { useEffect, useState } from 'preact/hooks';

/** Re-runs `refresh` every `ms` while the screen is open (lists change under other people's hands). */
export function usePoll(refresh: () => void, ms: number): void {
  useEffect(() => {
    const t = setInterval(refresh, ms);
    return () => clearInterval(t);
  }, [refresh, ms]);
}

/** The time now, ticking every second: for countdowns. */
export function useNow(): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  return now;
}
