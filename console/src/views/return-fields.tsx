/** A return's reason (from the source's allowed list) and evidence: the buyer's and the agent's return forms alike. */
export function ReturnFields({ reasons, reasonLabel = 'Reason' }: { reasons: readonly string[]; reasonLabel?: string }) {
  return (
    <>
      <label>
        {reasonLabel}
        <select name="reason">
          {reasons.map((r) => (
            <option key={r} value={r}>
              {r.replace(/_/g, ' ')}
            </option>
          ))}
        </select>
      </label>
      <label>
        Evidence
        <input name="evidence" maxLength={1000} />
      </label>
    </>
  );
}
