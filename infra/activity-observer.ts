import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { activityLogFields } from './log-fields.ts';
import type { Logger } from './logger.ts';
import type { WorkerMetrics } from './metrics.ts';

/**
 * Times every activity execution (local and remote) into the metrics and
 * logs its end with the lead, tenant and workflow it served: completions at
 * debug, failures at warn (the SDK retries them; the error is scrubbed by the
 * logger's serializer).
 */
export function activityObserver(log: Logger | undefined, metrics: WorkerMetrics | undefined): ActivityInterceptorsFactory {
  return (ctx) => ({
    inbound: {
      async execute(input, next) {
        const t0 = performance.now();
        const info = ctx.info;
        const done = (outcome: 'ok' | 'failed') => {
          const seconds = (performance.now() - t0) / 1000;
          metrics?.activities.observe({ activity: info.activityType, local: String(info.isLocal), outcome }, seconds);
          return Math.round(seconds * 1000);
        };
        try {
          const result = await next(input);
          const ms = done('ok');
          log?.debug({ ...activityLogFields(info), durationMs: ms }, 'activity completed');
          return result;
        } catch (err) {
          const ms = done('failed');
          log?.warn({ ...activityLogFields(info), durationMs: ms, err }, 'activity failed');
          throw err;
        }
      },
    },
  });
}
