/**
 * Reservation keys as the store writes them: `take|<tenant>/<scope>#<n>`.
 * An open-unclaimed unit is held only until the lead has an owner.
 */
export const isOpenUnclaimedKey = (key: string) => /^take\|[^/]+\/open:[^#]*#\d+$/.test(key);
