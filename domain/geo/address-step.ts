import { stepResult, type StepResult } from '../validation/step.ts';
import type { LeadGeography, ResolvedFrom } from './lead-geography.ts';
import type { GeographyResult } from './resolve-geography.ts';

export type AddressData = Partial<Pick<LeadGeography, 'zip' | 'state' | 'countyFips' | 'timeZone'>> & { resolvedFrom?: ResolvedFrom };

export type AddressStep = StepResult<'address', AddressData>;

/**
 * The address step of the validation chain: a matched ZIP passes, a ZIP put
 * right from city and state is flagged (routing still has a market, and the
 * explanation says how it was found), an address that places the lead nowhere
 * fails as invalid, since no territory can be judged for it.
 */
export function addressStep(geo: GeographyResult): AddressStep {
  if (!geo.ok) return stepResult('address', 'fail', {}, { code: 'unresolvable', reason: `Address cannot be placed: ${geo.message}` });
  const g = geo.value;
  const data: AddressData = { zip: g.zip, state: g.state, resolvedFrom: g.resolution.from };
  if (g.countyFips) data.countyFips = g.countyFips;
  if (g.timeZone) data.timeZone = g.timeZone;
  if (g.resolution.reason === 'zip_matched') return stepResult('address', 'pass', data);
  const code = g.resolution.from === 'city_state' ? 'zip_resolved' : 'state_mismatch';
  return stepResult('address', 'flag', data, { code, reason: g.resolution.note });
}
