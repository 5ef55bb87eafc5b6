// Where digests may go: the rule every webhook URL and SMTP host is checked against when a digest is
// sent. A digest goes to a public address over https (SMTP: over TLS, see email/smtp-url.ts); loopback,
// private, carrier-grade NAT, link-local, cloud metadata, unspecified, multicast and reserved addresses,
// and names that only mean something locally (localhost, *.localhost, metadata.google.internal, *.internal,
// *.local, *.home.arpa), are refused unless the ALLOW_PRIVATE_DIGEST_HOSTS setting is "true", which also
// allows plain http. That setting is for the local demo and the tests, whose receivers listen on loopback.
//
// A Worker cannot resolve DNS itself, so the rule judges the host as written in the URL: a public name
// that resolves to a private address is not caught here (Cloudflare's network does not route a deployed
// Worker's requests to private addresses in any case). Numbers are read the way URL parsing reads them,
// so 2130706433, 0x7f.1, 0177.0.0.1 and [::ffff:127.0.0.1] are all 127.0.0.1.

/** The setting that allows private hosts and plain http, as the Worker's bindings name it. */
const ALLOW_PRIVATE_HOSTS_SETTING = "ALLOW_PRIVATE_DIGEST_HOSTS";

export type AddressKind =
  | "loopback"
  | "private"
  | "carrier-grade NAT"
  | "link-local"
  | "cloud metadata"
  | "unspecified"
  | "multicast"
  | "reserved"
  | "local-only name"
  | "unparsable";

/** How a reason names each kind: "refused ... a loopback address". */
const ADDRESS_KIND_WORDS: Readonly<Record<AddressKind, string>> = {
  loopback: "a loopback address",
  private: "a private network address",
  "carrier-grade NAT": "a carrier-grade NAT (shared) address",
  "link-local": "a link-local address",
  "cloud metadata": "a cloud metadata address",
  unspecified: "an unspecified address",
  multicast: "a multicast address",
  reserved: "a reserved address",
  "local-only name": "a host name that only means something locally",
  unparsable: "a host that does not parse as a name or an address",
};

/** [first address, prefix length, kind], most specific first: the first match wins. */
const IPV4_RANGES: readonly (readonly [string, number, AddressKind])[] = [
  ["169.254.169.254", 32, "cloud metadata"],
  ["0.0.0.0", 8, "unspecified"],
  ["10.0.0.0", 8, "private"],
  ["100.64.0.0", 10, "carrier-grade NAT"],
  ["127.0.0.0", 8, "loopback"],
  ["169.254.0.0", 16, "link-local"],
  ["172.16.0.0", 12, "private"],
  ["192.0.0.0", 24, "reserved"],
  ["192.168.0.0", 16, "private"],
  ["198.18.0.0", 15, "reserved"],
  ["224.0.0.0", 4, "multicast"],
  ["240.0.0.0", 4, "reserved"],
];

const METADATA_NAMES: ReadonlySet<string> = new Set([
  "metadata",
  "metadata.google.internal",
  "metadata.goog",
  "instance-data",
]);
const LOCAL_SUFFIXES = [".internal", ".local", ".home.arpa", ".localdomain"];

function ipv4Number(dotted: string): number | null {
  const parts = dotted.split(".");
  if (parts.length !== 4) return null;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/u.test(part) || Number(part) > 255) return null;
    value = value * 256 + Number(part);
  }
  return value;
}

function ipv4Kind(value: number): AddressKind | null {
  for (const [first, prefix, kind] of IPV4_RANGES) {
    const start = ipv4Number(first) ?? 0;
    const size = 2 ** (32 - prefix);
    if (value >= start && value < start + size) return kind;
  }
  return null;
}

/**
 * The eight 16-bit groups of an IPv6 address as URL parsing serialises it (no brackets, hex groups, at
 * most one "::", never a dotted IPv4 tail), or null.
 */
function ipv6Groups(text: string): number[] | null {
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const parse = (half: string | undefined): number[] | null => {
    if (half === undefined || half === "") return [];
    const groups = half.split(":");
    if (!groups.every((group) => /^[0-9a-f]{1,4}$/u.test(group))) return null;
    return groups.map((group) => Number.parseInt(group, 16));
  };
  const head = parse(halves[0]);
  const rest = parse(halves[1]);
  if (head === null || rest === null) return null;
  const given = head.length + rest.length;
  if (halves.length === 1) return given === 8 ? head : null;
  if (given > 7) return null;
  return [...head, ...new Array<number>(8 - given).fill(0), ...rest];
}

function embeddedIpv4(high: number, low: number): number {
  return high * 65_536 + low;
}

function ipv6Kind(groups: readonly number[]): AddressKind | null {
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = groups;
  const zerosBefore = (count: number) => groups.slice(0, count).every((group) => group === 0);
  if (zerosBefore(8)) return "unspecified";
  if (zerosBefore(7) && g7 === 1) return "loopback";
  // IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) reach the
  // IPv4 address inside them, so they are judged by it.
  if (zerosBefore(5) && g5 === 0xffff) return ipv4Kind(embeddedIpv4(g6, g7));
  if (zerosBefore(6)) return ipv4Kind(embeddedIpv4(g6, g7)) ?? "reserved";
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) {
    return ipv4Kind(embeddedIpv4(g6, g7));
  }
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 1) return "private";
  // 6to4 (2002:aabb:ccdd::) carries the IPv4 address of its relay.
  if (g0 === 0x2002) return ipv4Kind(embeddedIpv4(g1, g2));
  // AWS's instance metadata over IPv6, fd00:ec2::254.
  if ([0xfd00, 0x0ec2, 0, 0, 0, 0, 0, 0x254].every((group, index) => groups[index] === group)) {
    return "cloud metadata";
  }
  if ((g0 & 0xfe00) === 0xfc00) return "private";
  if ((g0 & 0xffc0) === 0xfe80) return "link-local";
  if ((g0 & 0xffc0) === 0xfec0) return "private";
  if ((g0 & 0xff00) === 0xff00) return "multicast";
  if (g0 === 0x0100 && g1 === 0 && g2 === 0 && g3 === 0) return "reserved";
  if (g0 === 0x2001 && g1 === 0x0db8) return "reserved";
  return null;
}

/**
 * The host as URL parsing of an http URL reads it: lower case, percent-decoded, IPv4 numbers in any
 * spelling as dotted decimal, IPv6 compressed in brackets. Null when it is not a host at all.
 */
function canonicalHost(host: string): string | null {
  let text = host.trim().toLowerCase();
  if (text === "") return null;
  if (text.includes(":") && !text.startsWith("[")) text = `[${text}]`;
  try {
    return new URL(`http://${text}/`).hostname;
  } catch {
    return null;
  }
}

/**
 * What kind of non-public address `host` is (a URL's hostname, IPv6 with or without brackets), or null
 * when it may be public.
 */
export function nonPublicHostKind(host: string): AddressKind | null {
  const canonical = canonicalHost(host);
  if (canonical === null) return "unparsable";
  if (canonical.startsWith("[")) {
    const groups = ipv6Groups(canonical.slice(1, -1));
    return groups === null ? "unparsable" : ipv6Kind(groups);
  }
  const v4 = ipv4Number(canonical);
  if (v4 !== null) return ipv4Kind(v4);
  const name = canonical.replace(/\.+$/u, "");
  if (name === "") return "unparsable";
  if (name === "localhost" || name.endsWith(".localhost")) return "loopback";
  if (METADATA_NAMES.has(name)) return "cloud metadata";
  if (LOCAL_SUFFIXES.some((suffix) => name.endsWith(suffix))) return "local-only name";
  return null;
}

/** Whether a digest may go to `url`; `problem` finishes "secret X …" and never quotes the URL. */
export function checkDigestUrl(
  url: string,
  allowPrivateHosts: boolean,
): { ok: true } | { ok: false; problem: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, problem: "does not hold a URL" };
  }
  if (parsed.protocol !== "https:" && !(allowPrivateHosts && parsed.protocol === "http:")) {
    return {
      ok: false,
      problem:
        parsed.protocol === "http:"
          ? `holds an http:// URL: digests go over https:// only (${ALLOW_PRIVATE_HOSTS_SETTING}=true allows http for local testing)`
          : "does not hold an https:// URL",
    };
  }
  return checkDigestHost(parsed.hostname, allowPrivateHosts);
}

/** Whether a digest may go to `host` (a webhook's or an SMTP server's); see `checkDigestUrl`. */
export function checkDigestHost(
  host: string,
  allowPrivateHosts: boolean,
): { ok: true } | { ok: false; problem: string } {
  if (allowPrivateHosts) return { ok: true };
  const kind = nonPublicHostKind(host);
  if (kind === null) return { ok: true };
  return {
    ok: false,
    problem: `points at ${ADDRESS_KIND_WORDS[kind]}, where digests are not sent (${ALLOW_PRIVATE_HOSTS_SETTING}=true allows it for local testing)`,
  };
}
