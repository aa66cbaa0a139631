/**
 * Markup that escapes by default: the one way the HTML brief and the web pages build HTML.
 *
 * Contracts:
 * - `html` is Hono's tagged template (hono/html), kept synchronous. A value in a hole is
 *   escaped (`& < > " '` become entities) unless it is `Markup`, which goes in as it is;
 *   an array gives its items with nothing between; `false`, `null` and `undefined` give
 *   nothing; a number gives its digits. A Promise is refused: by the types, and at run
 *   time with an error (a renderer never returns half a page).
 * - `Markup` comes only from `html` or from `trustedMarkup(markup, reason)`, the one door
 *   for raw markup; its reason says why the markup is safe (a test requires a string
 *   literal there, and finds no other raw-markup call in the page and brief sources).
 * - Attribute values are always quoted with `"` in the templates (escaping `"` keeps a
 *   value inside its attribute). Links to URLs from the data use `safeUrl` (http and https
 *   only), never the URL as given.
 * - `Markup` is a `String` object: test emptiness on the data, not on the markup (an empty
 *   `Markup` is truthy), and call `String(...)` (or `.toString()`) where a plain string is due.
 */
import { html as honoHtml, raw } from 'hono/html';

/** Escaped or trusted markup (Hono's `HtmlEscapedString`). */
export type Markup = ReturnType<typeof raw>;

/** What a hole of `html` takes: text (escaped), numbers, markup, nothing, or arrays of these. */
export type Hole = string | number | Markup | false | null | undefined | readonly Hole[];

/** Builds markup; every string in a hole is escaped, every `Markup` kept (see the module contract). */
export function html(strings: TemplateStringsArray, ...values: readonly Hole[]): Markup {
  const out = honoHtml(strings, ...values);
  if (out instanceof Promise) throw new TypeError('html: a hole held a Promise; the pages and the brief render synchronously');
  return out;
}

/**
 * Markup taken as it is, without escaping. `reason` says what makes it safe (who produced
 * it, what was escaped there); it is not rendered.
 */
export function trustedMarkup(markup: string, reason: string): Markup {
  void reason;
  return raw(markup);
}

/** The items with `separator` between them (both escaped unless markup). */
export function joinMarkup(items: readonly Hole[], separator: Hole): Markup {
  return html`${items.flatMap((item, i) => (i === 0 ? [item] : [separator, item]))}`;
}
