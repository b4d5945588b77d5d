/** A horizontal bar per row, scaled to the largest: enough chart for a count per market or endpoint. */
export function Bars({ rows, label }: { rows: Array<{ name: string; value: number; note?: string }>; label: string }) {
  const max = Math.max(1, ...rows.map((r) => r.value));
  const height = 22;
  return (
    <svg class="bars" role="img" aria-label={label} viewBox={`0 0 600 ${rows.length * height + 4}`} width="100%">
      {rows.map((r, i) => (
        <g key={r.name} transform={`translate(0 ${i * height + 2})`}>
          <text x="0" y="15" font-size="12">
            {r.name}
          </text>
          <rect x="180" y="3" height="14" width={Math.max(1, (r.value / max) * 330)} fill="#1f6feb" rx="2" />
          <text x={186 + (r.value / max) * 330} y="15" font-size="12">
            {r.note ?? r.value}
          </text>
        </g>
      ))}
    </svg>
  );
}
