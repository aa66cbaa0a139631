/**
 * Which URLs may be registered as webhooks: the server POSTs alerts to them, so a URL is
 * also a way to make the server send requests into the network it runs in.
 *
 * Contracts:
 * - Only absolute `http:` and `https:` URLs written as `http(s)://host…`, at most
 *   `LIMITS.url` characters, without whitespace or control characters (the URL parser
 *   would silently drop a tab or newline, or mend `https:/host`, so the URL stored would
 *   not be the one shown).
 * - Unless the server was started with `--allow-private-webhooks`, a host that is
 *   `localhost` (or a name under `.localhost`) or an IP address in a loopback, private,
 *   link-local, shared (CGNAT), unspecified, multicast or reserved range is refused; IPv4
 *   written as IPv6 (`::ffff:127.0.0.1`, NAT64 `64:ff9b::/96`) is judged as the IPv4
 *   address. The URL parser first normalises other spellings (`http://2130706433/`,
 *   `http://0x7f.1/`) to the dotted address.
 * - Host names are not resolved here: a public name that resolves to a private address,
 *   now or later (DNS rebinding), is not refused. The delivery adapter resolves names when
 *   it sends; see docs/server.md.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { LIMITS } from './input-limits.ts';

/** Why `url` may not be registered, or `undefined`. */
export function webhookUrlProblem(url: string, allowPrivate: boolean): string | undefined {
  if (url.length > LIMITS.url) return `at most ${LIMITS.url} characters (got ${url.length})`;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  const bad = /[\s\x00-\x1f\x7f-\x9f]/u.exec(url);
  if (bad !== null)
    return `the URL holds ${describeChar(bad[0])} at character ${bad.index + 1}: write it without whitespace or control characters (percent-encode them)`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'expected an absolute http(s) URL with a host, such as https://hooks.example.org/proviso';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    return `expected an http(s) URL, not ${parsed.protocol.slice(0, -1)}`;
  // The parser forgives `https:/host` and `https:\\host`; what is stored is what was sent.
  if (!/^https?:\/\/[^/?#\\]/i.test(url) || parsed.hostname === '')
    return 'expected an absolute http(s) URL written as http(s)://host/…';
  if (allowPrivate) return undefined;
  const reason = privateHostReason(parsed.hostname);
  return reason === undefined
    ? undefined
    : `${parsed.hostname} is ${reason}: webhooks to it are refused unless the server is started with --allow-private-webhooks`;
}

function describeChar(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** What kind of non-public host `hostname` (as `URL` gives it) names, or `undefined` for a public one. */
export function privateHostReason(hostname: string): string | undefined {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return 'a loopback name';
  if (isIPv4(host)) return ipv4Reason(ipv4Number(host));
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (isIPv6(bare)) return ipv6Reason(bare);
  return undefined;
}

function ipv4Number(address: string): number {
  return address.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

const IPV4_RANGES: readonly (readonly [string, number, string])[] = [
  ['0.0.0.0', 8, 'an unspecified ("this network") address'],
  ['10.0.0.0', 8, 'a private address'],
  ['100.64.0.0', 10, 'a shared (carrier-grade NAT) address'],
  ['127.0.0.0', 8, 'a loopback address'],
  ['169.254.0.0', 16, 'a link-local address'],
  ['172.16.0.0', 12, 'a private address'],
  ['192.0.0.0', 24, 'a reserved (IETF protocol) address'],
  ['192.168.0.0', 16, 'a private address'],
  ['198.18.0.0', 15, 'a reserved (benchmarking) address'],
  ['224.0.0.0', 4, 'a multicast address'],
  ['240.0.0.0', 4, 'a reserved address'],
];

function ipv4Reason(address: number): string | undefined {
  for (const [base, bits, reason] of IPV4_RANGES) {
    const size = 2 ** (32 - bits);
    const start = ipv4Number(base);
    if (address >= start && address < start + size) return reason;
  }
  return undefined;
}

/** The eight 16-bit groups of an IPv6 address (valid, per `isIPv6`; an embedded IPv4 tail allowed). */
function ipv6Groups(address: string): number[] {
  let text = address.split('%')[0] as string;
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (tail !== null) {
    const v4 = ipv4Number(tail[1] as string);
    text = `${text.slice(0, -(tail[1] as string).length)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const [head, rest] = text.includes('::') ? (text.split('::') as [string, string]) : [text, undefined];
  const parse = (s: string) => (s === '' ? [] : s.split(':').map((g) => Number.parseInt(g, 16)));
  const front = parse(head);
  if (rest === undefined) return front;
  const back = parse(rest);
  return [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back];
}

function ipv6Reason(address: string): string | undefined {
  const g = ipv6Groups(address);
  const first = g[0] as number;
  const zeros = (n: number) => g.slice(0, n).every((x) => x === 0);
  const embeddedV4 = () => (g[6] as number) * 65536 + (g[7] as number);
  if (zeros(8)) return 'an unspecified address';
  if (zeros(7) && g[7] === 1) return 'a loopback address';
  if (zeros(5) && g[5] === 0xffff) return ipv4Reason(embeddedV4());
  if (first === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return ipv4Reason(embeddedV4());
  if ((first & 0xfe00) === 0xfc00) return 'a unique local (private) address';
  if ((first & 0xffc0) === 0xfe80) return 'a link-local address';
  if ((first & 0xffc0) === 0xfec0) return 'a site-local (private) address';
  if ((first & 0xff00) === 0xff00) return 'a multicast address';
  return undefined;
}
