/**
 * Cross-site write refusal: a browser sends the session cookie with a form or fetch that
 * another site starts, so every write that does not carry a bearer token must come from
 * this server's own pages. This is a second wall behind the CSRF token (session.ts), which
 * a stolen page or a subdomain takeover could leak.
 *
 * Contracts:
 * - `Sec-Fetch-Site`, when present, decides: `same-origin` and `none` (the user typed or
 *   bookmarked it) pass; `same-site` and `cross-site` are refused. Browsers set it and
 *   scripts cannot, and it survives a reverse proxy that rewrites `Host`.
 * - Without it, `Origin` decides: absent passes (a client that is not a browser, or an old
 *   one; the CSRF token still guards it); `null` or another host than the request's is
 *   refused. The scheme is not compared, so a proxy terminating HTTPS in front of plain
 *   HTTP does not make every write cross-site. With `trustProxy`, the host the proxy
 *   received (`X-Forwarded-Host`, its last entry) counts as well.
 */

export interface OriginHeaders {
  get(name: string): string | null;
}

/** Why a write is refused as cross-site, or `undefined` when it may proceed. */
export function crossSiteRefusal(headers: OriginHeaders, requestUrl: URL, trustProxy: boolean): string | undefined {
  const site = headers.get('sec-fetch-site')?.trim().toLowerCase();
  if (site !== undefined && site !== '') {
    if (site === 'same-origin' || site === 'none') return undefined;
    return `a write from another site (Sec-Fetch-Site: ${site}) is refused: submit the form from this server's own pages`;
  }
  const origin = headers.get('origin');
  if (origin === null) return undefined;
  const hosts = new Set([requestUrl.host.toLowerCase()]);
  const forwarded = trustProxy ? headers.get('x-forwarded-host')?.split(',').at(-1)?.trim().toLowerCase() : undefined;
  if (forwarded !== undefined && forwarded !== '') hosts.add(forwarded);
  const host = originHost(origin);
  if (host !== undefined && hosts.has(host)) return undefined;
  return `a write from another origin (Origin: ${origin.slice(0, 200)}) is refused: submit the form from this server's own pages`;
}

function originHost(origin: string): string | undefined {
  if (origin === 'null') return undefined;
  try {
    return new URL(origin).host.toLowerCase();
  } catch {
    return undefined;
  }
}
