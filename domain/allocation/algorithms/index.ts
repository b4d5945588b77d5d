import type { Algorithm } from '../../../schema/routing-plan.ts';
import { broadcast, highestBid, orderPriority, performance, priority } from './ordered.ts';
import { percentage } from './percentage.ts';
import { roundRobin } from './round-robin.ts';
import type { AlgorithmInput, Ranking } from './types.ts';
import { weighted } from './weighted.ts';

export const ALGORITHM_IMPL: Record<Algorithm, (input: AlgorithmInput) => Ranking> = {
  round_robin: roundRobin,
  weighted,
  percentage,
  priority,
  performance,
  highest_bid: highestBid,
  order_priority: orderPriority,
  broadcast,
};

export const ALGORITHM_LABEL: Record<Algorithm | 'preassigned', string> = {
  round_robin: 'round robin',
  weighted: 'weighted',
  percentage: 'percentage split',
  priority: 'priority',
  performance: 'performance',
  highest_bid: 'highest bid',
  order_priority: 'order priority',
  broadcast: 'first-to-claim broadcast',
  preassigned: 'named by the source',
};
