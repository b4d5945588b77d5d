import { pct, type AlgorithmInput, type Ranking } from './types.ts';

/** A draw proportional to weight, using the caller's random number. */
export function weighted({ contenders, random }: AlgorithmInput): Ranking {
  const total = contenders.reduce((a, c) => a + c.ep.weight, 0);
  const weightOf = (w: number) => (total > 0 ? w : 1);
  const sum = total > 0 ? total : contenders.length;
  let r = random() * sum;
  let pick = contenders.length - 1;
  for (let i = 0; i < contenders.length; i++) {
    r -= weightOf(contenders[i]!.ep.weight);
    if (r < 0) {
      pick = i;
      break;
    }
  }
  const chosen = contenders[pick]!;
  const rest = contenders.filter((_, i) => i !== pick).sort((a, b) => b.ep.weight - a.ep.weight || a.ep.index - b.ep.index);
  const note = (w: number) => `weight ${w} of ${sum} (${pct(weightOf(w) / sum)} chance)`;
  return {
    ranked: [chosen, ...rest].map((c) => ({ contender: c, note: note(c.ep.weight) })),
    take: 1,
    summary: `weighted draw, ${note(chosen.ep.weight)}`,
  };
}
