/** How validation settled a lead's ZIP, so the explanation can say so. */
export type ResolvedFrom = 'zip' | 'city_state';
export type ResolutionReason = 'zip_matched' | 'zip_missing' | 'zip_malformed' | 'zip_unknown' | 'zip_state_mismatch';

export interface GeographyResolution {
  from: ResolvedFrom;
  reason: ResolutionReason;
  /** One plain-English sentence for the lead's history and the routing explanation. */
  note: string;
}

/**
 * Where a lead is: the one shape validation produces, routing judges
 * territories on and reports group by. It never holds a street.
 */
export interface LeadGeography {
  zip: string;
  state: string;
  city?: string | undefined;
  /** 5 digits: state FIPS + county code. */
  countyFips?: string | undefined;
  countyName?: string | undefined;
  lat?: number | undefined;
  lon?: number | undefined;
  timeZone?: string | undefined;
  /** Absent where the geography was given rather than resolved (a test, a bare ZIP). */
  resolution?: GeographyResolution | undefined;
}

/** A lead's market for reporting and the read model: the coarse part of its geography. */
export type LeadMarket = Partial<Pick<LeadGeography, 'zip' | 'state' | 'city' | 'countyFips' | 'timeZone'>>;

export function marketOf(g: LeadGeography): LeadMarket {
  return {
    zip: g.zip,
    state: g.state,
    ...(g.city ? { city: g.city } : {}),
    ...(g.countyFips ? { countyFips: g.countyFips } : {}),
    ...(g.timeZone ? { timeZone: g.timeZone } : {}),
  };
}

/** Where a lead says it is, before verification: reporting's market when validation never resolved one. */
export function postedMarket(address: { zip?: string | undefined; state?: string | undefined; city?: string | undefined } | undefined): LeadMarket | undefined {
  const m: LeadMarket = {
    ...(address?.state ? { state: address.state.toUpperCase() } : {}),
    ...(address?.zip ? { zip: address.zip.slice(0, 5) } : {}),
    ...(address?.city ? { city: address.city } : {}),
  };
  return Object.keys(m).length > 0 ? m : undefined;
}

/** The sentence the explanation adds when the ZIP was not simply the lead's own. */
export function resolutionNote(g: LeadGeography): string | undefined {
  return g.resolution && g.resolution.reason !== 'zip_matched' ? g.resolution.note : undefined;
}
