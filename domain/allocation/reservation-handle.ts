/**
 * What one lead holds at one endpoint from one routing round: the cap units,
 * the open-unclaimed unit and the order units its decision took. Callers pass
 * it back to release or settle; only the reservation store knows how those
 * units are stored.
 */
export interface ReservationHandle {
  leadId: string;
  round: number;
  endpointId: string;
}

/** A handle as the lead holds it: `untilOwned` while part of it (the open-unclaimed unit) lasts only until the lead has an owner. */
export interface HeldReservation extends ReservationHandle {
  untilOwned: boolean;
}

export const sameHandle = (a: ReservationHandle, b: ReservationHandle) => a.leadId === b.leadId && a.round === b.round && a.endpointId === b.endpointId;
