/**
 * Runs `tick` now and every `ms`, never two at once (a slow tick skips the
 * timer's turns rather than piling up). A failed tick is tried again on the
 * next turn: a stream that polls stays open through a blip of the database.
 * Resolves once the first tick has run; call the returned function to stop.
 */
export async function pollEvery(ms: number, tick: () => Promise<void>): Promise<() => void> {
  let running = false;
  const run = async () => {
    if (running) return;
    running = true;
    try {
      await tick();
    } catch {
      // Retried on the next turn.
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void run(), ms);
  await run();
  return () => clearInterval(timer);
}
