import ipaddr from 'ipaddr.js';

/**
 * Which network addresses Vitrine may fetch from on a user's behalf (product images, logos, batch
 * rows, webhooks): public unicast only. Classification is ipaddr.js's (maintained range tables),
 * not string matching, and every IPv6 form that carries an IPv4 address inside — mapped
 * (::ffff:a.b.c.d), RFC 6145, NAT64 (64:ff9b::/96), 6to4 (2002::/16), Teredo — is judged by the
 * IPv4 address it carries. The deprecated IPv4-compatible form (::a.b.c.d) is never routed, so it
 * is refused whatever it carries.
 */

const GLOBAL_UNICAST_V6 = ipaddr.IPv6.parse('2000::');
const NAT64_WELL_KNOWN = ipaddr.IPv6.parse('64:ff9b::');

/** Null when `address` (an IPv4 or IPv6 literal) is public; otherwise why not, in a sentence. */
export function addressProblem(address: string): string | null {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(withHexTail(address.replace(/^\[|\]$/g, '')));
  } catch {
    return `${address} is not an IP address`;
  }
  const range = nonPublicRange(parsed);
  return range ? `${address} is not a public address (${range})` : null;
}

/**
 * `::a.b.c.d` as `::xxxx:yyyy`: ipaddr.js reads any dotted tail as IPv4-mapped, which would make the
 * compatible form `::8.8.8.8` (as getaddrinfo prints it) look like `::ffff:8.8.8.8`.
 */
function withHexTail(address: string): string {
  const match = /^(.*:)(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(address);
  if (!match) return address;
  const [a, b, c, d] = match.slice(2).map(Number) as [number, number, number, number];
  if ([a, b, c, d].some((octet) => octet > 255)) return address;
  return `${match[1]}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
}

/** The name of the non-public range `address` falls in, or null when it is public. */
function nonPublicRange(address: ipaddr.IPv4 | ipaddr.IPv6): string | null {
  if (address.kind() === 'ipv4') {
    const range = address.range();
    return range === 'unicast' ? null : range;
  }
  const v6 = address as ipaddr.IPv6;
  const range = v6.range();
  const parts = v6.parts;
  switch (range) {
    case 'ipv4Mapped':
    case 'rfc6145':
      return embedded(range, parts[6]!, parts[7]!);
    case 'rfc6052':
      // Only the well-known NAT64 prefix translates to the public IPv4 Internet; 64:ff9b:1::/48 is
      // for local use.
      return v6.match(NAT64_WELL_KNOWN, 96) ? embedded('nat64', parts[6]!, parts[7]!) : 'nat64 local-use';
    case '6to4':
      return embedded('6to4', parts[1]!, parts[2]!);
    case 'teredo':
      // The Teredo server sits in bits 32–63, the client (inverted) in the last 32.
      return (
        embedded('teredo server', parts[2]!, parts[3]!) ??
        embedded('teredo client', ~parts[6]! & 0xffff, ~parts[7]! & 0xffff)
      );
    case 'unicast':
      // Outside 2000::/3 nothing is globally routed (this holds the IPv4-compatible ::/96 too).
      return v6.match(GLOBAL_UNICAST_V6, 3) ? null : 'not global unicast';
    default:
      return range;
  }
}

function embedded(form: string, high: number, low: number): string | null {
  const v4 = new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
  const range = v4.range();
  return range === 'unicast' ? null : `${form} of ${v4.toString()}, ${range}`;
}

/**
 * What is wrong with fetching `url` that can be told without a DNS lookup: not http(s), or a host
 * that is a non-public address literal (as the WHATWG parser normalizes it: `0x7f.1` is 127.0.0.1,
 * `[::ffff:127.0.0.1]` is `[::ffff:7f00:1]`), or `localhost`. Names are judged at connect time.
 */
export function literalHostProblem(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'is not a valid URL';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'must be an http(s) URL';
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  if (ipaddr.isValid(host)) return addressProblem(host);
  // RFC 6761: localhost and its subdomains are loopback, whatever a resolver says.
  if (/(^|\.)localhost\.?$/i.test(host)) return `${host} is not a public address (loopback)`;
  return null;
}

/** True for an IP literal (either family), bracketed or not. */
export function isAddressLiteral(host: string): boolean {
  return ipaddr.isValid(host.replace(/^\[|\]$/g, ''));
}
