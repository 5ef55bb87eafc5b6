// The address rule for digests: the host as written (and as URL parsing reads its numbers) must be a
// public one, and the URL https, unless ALLOW_PRIVATE_DIGEST_HOSTS allows loopback and the like.
import { describe, expect, it } from "vitest";
import {
  type AddressKind,
  checkDigestHost,
  checkDigestUrl,
  nonPublicHostKind,
} from "../../src/notify/address-rule";

/** [host as written in a URL, the kind it is refused as]. */
const REFUSED: readonly [string, AddressKind][] = [
  ["127.0.0.1", "loopback"],
  ["127.1.2.3", "loopback"],
  ["2130706433", "loopback"], // decimal
  ["0x7f000001", "loopback"], // hex
  ["0x7f.1", "loopback"],
  ["0177.0.0.1", "loopback"], // octal
  ["017700000001", "loopback"],
  ["127.0.0.1.", "loopback"],
  ["localhost", "loopback"],
  ["LOCALHOST.", "loopback"],
  ["hooks.localhost", "loopback"],
  ["%6c%6fcalhost", "loopback"],
  ["[::1]", "loopback"],
  ["[0:0:0:0:0:0:0:1]", "loopback"],
  ["[::ffff:127.0.0.1]", "loopback"], // IPv4-mapped
  ["[::ffff:7f00:1]", "loopback"],
  ["[::127.0.0.1]", "loopback"], // IPv4-compatible
  ["[64:ff9b::7f00:1]", "loopback"], // NAT64
  ["10.0.0.1", "private"],
  ["10.255.255.255", "private"],
  ["172.16.0.1", "private"],
  ["172.31.255.254", "private"],
  ["192.168.1.10", "private"],
  ["[::ffff:192.168.1.10]", "private"],
  ["3232235786", "private"], // 192.168.1.10
  ["[fc00::1]", "private"],
  ["[fd12:3456:789a::1]", "private"],
  ["100.64.0.1", "carrier-grade NAT"],
  ["100.127.255.254", "carrier-grade NAT"],
  ["169.254.0.1", "link-local"],
  ["[fe80::1]", "link-local"],
  ["[febf::1]", "link-local"],
  ["169.254.169.254", "cloud metadata"],
  ["0xa9fea9fe", "cloud metadata"],
  ["[::ffff:169.254.169.254]", "cloud metadata"],
  ["metadata.google.internal", "cloud metadata"],
  ["metadata.google.internal.", "cloud metadata"],
  ["[fd00:ec2::254]", "cloud metadata"],
  ["0.0.0.0", "unspecified"],
  ["0", "unspecified"],
  ["[::]", "unspecified"],
  ["224.0.0.1", "multicast"],
  ["[ff02::1]", "multicast"],
  ["240.0.0.1", "reserved"],
  ["255.255.255.255", "reserved"],
  ["printer.local", "local-only name"],
  ["db.corp.internal", "local-only name"],
  ["nas.home.arpa", "local-only name"],
];

const PUBLIC = [
  "hooks.slack.com",
  "discord.com",
  "chat.googleapis.com",
  "example.com",
  "8.8.8.8",
  "1.1.1.1",
  "172.32.0.1", // just past 172.16/12
  "100.128.0.1", // just past 100.64/10
  "169.253.255.255",
  "[2606:4700:4700::1111]",
  "[::ffff:8.8.8.8]",
  "localhost.example.com",
];

describe("address rule (security)", () => {
  for (const [host, kind] of REFUSED) {
    it(`refuses ${host} as ${kind}`, () => {
      expect(nonPublicHostKind(host)).toBe(kind);
      const checked = checkDigestUrl(`https://${host}/services/T1/B2/secret-token`, false);
      expect(checked.ok).toBe(false);
      // The problem names the kind of address and the setting, never the host or the URL.
      const problem = checked.ok ? "" : checked.problem;
      expect(problem).toContain("ALLOW_PRIVATE_DIGEST_HOSTS");
      expect(problem).not.toContain("secret-token");
      expect(problem).not.toContain(host.replace(/^\[|\]$/gu, ""));
    });
  }

  for (const host of PUBLIC) {
    it(`allows the public host ${host}`, () => {
      expect(nonPublicHostKind(host)).toBeNull();
      expect(checkDigestUrl(`https://${host}/hook`, false)).toEqual({ ok: true });
    });
  }

  it("allows loopback and http only when the setting says so", () => {
    expect(checkDigestUrl("http://127.0.0.1:8787/slack/demo", true)).toEqual({ ok: true });
    expect(checkDigestHost("localhost", true)).toEqual({ ok: true });
    expect(checkDigestHost("localhost", false).ok).toBe(false);
  });

  it("refuses http:// to a public host unless the setting allows it, and other schemes always", () => {
    const http = checkDigestUrl("http://hooks.slack.com/services/T1/B2/secret-token", false);
    expect(http).toEqual({ ok: false, problem: expect.stringMatching(/^holds an http:\/\/ URL/u) });
    expect(JSON.stringify(http)).not.toContain("secret-token");
    expect(checkDigestUrl("ftp://example.com/x", true)).toEqual({
      ok: false,
      problem: "does not hold an https:// URL",
    });
  });

  it("takes an SMTP host with or without IPv6 brackets", () => {
    expect(nonPublicHostKind("::1")).toBe("loopback");
    expect(nonPublicHostKind("fe80::1")).toBe("link-local");
    expect(nonPublicHostKind("smtp.example.net")).toBeNull();
  });
});
