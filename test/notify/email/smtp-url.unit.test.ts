// The SMTP URL in a Worker secret: what it accepts (STARTTLS by default, implicit TLS with smtps://, a
// local relay only with an explicit tls=none), what it refuses, and that no reason ever shows the URL,
// the password, the user or the host.
import { describe, expect, it } from "vitest";
import { parseSmtpUrl } from "../../../src/notify/email/smtp-url";

const USER = "digest@agendas.example";
const PASSWORD = "S3cr3t/pä:ss@%#?";
const enc = encodeURIComponent;

function settings(url: string) {
  const parsed = parseSmtpUrl(url, "SMTP_URL");
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.settings;
}

function reason(url: string): string {
  const parsed = parseSmtpUrl(url, "SMTP_URL");
  if (parsed.ok) throw new Error(`expected ${url} to be refused`);
  return parsed.reason;
}

describe("parseSmtpUrl (happy)", () => {
  it("reads smtp:// as STARTTLS on 587 and smtps:// as implicit TLS on 465, percent-decoding credentials", () => {
    expect(settings(`smtp://${enc(USER)}:${enc(PASSWORD)}@smtp.example.com`)).toEqual({
      security: "starttls",
      hostname: "smtp.example.com",
      port: 587,
      credentials: { username: USER, password: PASSWORD },
    });
    expect(settings(`smtps://${enc(USER)}:${enc(PASSWORD)}@smtp.example.com`)).toMatchObject({
      security: "implicit",
      port: 465,
    });
    expect(settings(`smtp://u:p@smtp.example.com:2525/`)).toMatchObject({ port: 2525 });
  });

  it("allows a TLS connection without credentials, for relays that take mail from anyone over TLS", () => {
    expect(settings("smtps://relay.example.com")).toMatchObject({ security: "implicit", credentials: null });
  });

  it("allows tls=none only for a relay on this machine, and only without credentials", () => {
    expect(settings("smtp://localhost:1025?tls=none")).toEqual({
      security: "none",
      hostname: "localhost",
      port: 1025,
      credentials: null,
    });
    expect(settings("smtp://127.0.0.1:1025?tls=none")).toMatchObject({ security: "none" });
    expect(settings("smtp://[::1]:1025?tls=none")).toMatchObject({ security: "none", hostname: "::1" });
  });
});

describe("parseSmtpUrl (error)", () => {
  it("refuses tls=none anywhere it could expose mail or a password", () => {
    expect(reason("smtp://smtp.example.com:587?tls=none")).toBe(
      "secret SMTP_URL is not a usable SMTP URL: tls=none is only allowed for a relay on localhost",
    );
    expect(reason(`smtp://${enc(USER)}:${enc(PASSWORD)}@localhost:1025?tls=none`)).toBe(
      "secret SMTP_URL is not a usable SMTP URL: tls=none must not carry a user and password: credentials are only ever sent under TLS",
    );
    expect(reason("smtps://localhost:1025?tls=none")).toBe(
      "secret SMTP_URL is not a usable SMTP URL: tls=none contradicts smtps://",
    );
  });

  it("says what is wrong with a malformed URL", () => {
    expect(reason("smtp.example.com:587")).toMatch(
      /^secret SMTP_URL is not a usable SMTP URL: scheme must be/u,
    );
    expect(reason("not a url at all")).toBe(
      "secret SMTP_URL does not hold a URL (expected smtp://user:password@host:587 or smtps://user:password@host:465)",
    );
    expect(reason("https://u:p@smtp.example.com")).toMatch(/scheme must be smtp:\/\/ or smtps:\/\//u);
    expect(reason("smtp://u@smtp.example.com")).toBe(
      "secret SMTP_URL is not a usable SMTP URL: user and password must be given together",
    );
    expect(reason("smtp://u:p@smtp.example.com/inbox")).toBe(
      "secret SMTP_URL is not a usable SMTP URL: must have no path",
    );
    expect(reason("smtp://u:p@smtp.example.com#x")).toBe(
      "secret SMTP_URL is not a usable SMTP URL: must have no #fragment",
    );
    expect(reason("smtp://u:p@smtp.example.com?verify=false")).toBe(
      "secret SMTP_URL is not a usable SMTP URL: the only parameter allowed is tls=none",
    );
    expect(reason("smtp://u:p%ZZ@smtp.example.com")).toBe(
      "secret SMTP_URL is not a usable SMTP URL: password is not percent-encoded correctly",
    );
    expect(reason("smtp://u:p@smtp.example.com:25")).toMatch(/port 25 is blocked for Workers/u);
    expect(reason("smtp://u:p@smtp_example!.com")).toMatch(/host must be a host name or an IP address/u);
  });

  it("never shows the URL, the password, the user or the host in a reason", () => {
    const host = "mail-7f3a9.internal-relay.example";
    const bad = [
      `smtp://${enc(USER)}:${enc(PASSWORD)}@${host}/path`,
      `smtp://${enc(USER)}:${enc(PASSWORD)}@${host}:25`,
      `smtp://${enc(USER)}:${enc(PASSWORD)}@${host}?tls=none`,
      `smtp://${enc(USER)}:${enc(PASSWORD)}@${host}?${enc(PASSWORD)}=1`,
      `ftp://${enc(USER)}:${enc(PASSWORD)}@${host}`,
      `smtp://${enc(USER)}:${enc(PASSWORD)}@${host}:99999`,
      `${PASSWORD}${host}`,
    ];
    for (const url of bad) {
      const text = reason(url);
      for (const secret of [url, PASSWORD, enc(PASSWORD), USER, enc(USER), host, "S3cr3t"]) {
        expect(text).not.toContain(secret);
      }
    }
  });
});
