import type { Session } from '../session.ts';

/** A CSV export with the session's CSRF header (a plain link would send the cookie without it), saved as a file. */
export async function download(session: Session, report: string, params: Record<string, string>): Promise<void> {
  const res = await fetch(`/reports/${report}.csv?${new URLSearchParams(params)}`, {
    credentials: 'same-origin',
    headers: { 'x-csrf-token': session.csrfToken },
  });
  if (!res.ok) {
    alert(((await res.json()) as { errors?: Array<{ message: string }> }).errors?.[0]?.message ?? `Export failed (${res.status})`);
    return;
  }
  const url = URL.createObjectURL(await res.blob());
  const name = `${report}_${Object.values(params)
    .join('_')
    .replace(/[^\w-]/g, '')}.csv`;
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  a.click();
  URL.revokeObjectURL(url);
}
