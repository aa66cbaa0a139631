/**
 * Plain-data helpers for forms, shared by the server-rendered pages and the browser script
 * (no DOM, no Node): the shape of a field problem and the element ids of controls.
 */

/** A problem with one submitted field, as the server reports it (`path` as in "sources.0.date"). */
export interface FieldError {
  readonly path: string;
  readonly message: string;
}

/** A form submission as parsed by the server: one text per name, or the texts of a repeated name. */
export type SubmittedForm = Readonly<Record<string, string | readonly string[]>>;

/** The element id of the control for a field name (`sources[0][date]` → `f-sources-0-date`). */
export function fieldId(name: string): string {
  return `f-${name.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/-+$/, '')}`;
}

/** The id of the element holding a control's error message. */
export function fieldErrorId(name: string): string {
  return `${fieldId(name)}-error`;
}
