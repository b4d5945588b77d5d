import type { UserError } from '../session.ts';

/** A refusal as the API gave it: its message, at its field when it names one. */
export function Errors({ errors }: { errors: readonly UserError[] | undefined }) {
  if (!errors?.length) return null;
  return (
    <ul class="errors" role="alert">
      {errors.map((e, i) => (
        <li key={i}>
          {e.field ? <code>{e.field}</code> : null} {e.message}
        </li>
      ))}
    </ul>
  );
}
