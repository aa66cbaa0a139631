/**
 * Error pages: the status in words, the server's message (escaped: it may echo input), and
 * what to do next.
 */
import { html, link, paths, urlOf } from './html.ts';
import { keep, type PageContext, renderDocument } from './layout.ts';

const TITLES: Readonly<Record<number, string>> = {
  400: 'The request could not be used',
  401: 'Please sign in',
  403: 'Not allowed',
  404: 'Not found',
  405: 'Not allowed here',
  409: 'Conflict',
  413: 'Too large',
  429: 'Too many requests',
  500: 'Something went wrong',
  503: 'Unavailable',
};

export function errorTitle(status: number): string {
  return TITLES[status] ?? (status >= 500 ? 'Something went wrong' : 'The request could not be used');
}

export function renderErrorPage(ctx: PageContext, status: number, message: string): string {
  const next =
    status === 401 || ctx.user === undefined
      ? html`<p>${link(paths.login(), 'Sign in')}</p>`
      : html`<p>${link(urlOf(paths.home(), keep(ctx)), 'Back to the cases')}</p>`;
  const body = html`<h1>${errorTitle(status)}</h1><p class="status-code">Error ${String(status)}</p><p>${message}</p>${next}`;
  return renderDocument(ctx, { title: errorTitle(status), body });
}
