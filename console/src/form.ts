/** A text field of a submitted form ('' when absent: files are not text). */
export function field(form: EventTarget | null, name: string): string {
  const v = new FormData(form as HTMLFormElement).get(name);
  return typeof v === 'string' ? v : '';
}
