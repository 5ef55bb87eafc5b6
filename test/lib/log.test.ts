// The logger's redaction: secrets that JSON escapes when it serialises (a PEM's line breaks, a key
// file's quotes, a password with a quote or a backslash) are redacted wherever they sit in the fields,
// at any depth, inside Errors, and in text that was serialised before it reached the logger.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { parseEnv } from "../../src/env";
import { createLogger, type LogFields, redact } from "../../src/lib/log";

// A made-up key: the shape of Google's service-account key file, not a working key.
const PEM_BODY = [
  "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDfakefakefake01",
  "q7Zx1u9cN2bTt9fXrJm4fR6lO3zP5sKfakefakefakefakefakefakefake0002",
  "Yh8K2lM0nB4vC6xZ1aS3dF5gH7jJ9kL0qW2eR4tY6uI8oP0fakefakefake0003",
];
const PEM = `-----BEGIN PRIVATE KEY-----\n${PEM_BODY.join("\n")}\n-----END PRIVATE KEY-----\n`;
const KEY_FILE = JSON.stringify(
  {
    type: "service_account",
    project_id: "agendas-test",
    private_key_id: "0123456789abcdef0123456789abcdef01234567",
    private_key: PEM,
    client_email: "agendas@agendas-test.iam.gserviceaccount.com",
  },
  null,
  2,
);
const PASSWORD = 'pa"ss\\w0rd-with-"quotes"';

/**
 * Fragments that must never be seen, whatever spelling a secret reached the line in. (The key file's
 * other fields, such as its key id, are not secret: the key id travels in every token's header.)
 */
const FRAGMENTS = [...PEM_BODY, 'pa"ss', 'pa\\"ss', "w0rd-with-"];

function capture(secrets: readonly string[]) {
  const lines: string[] = [];
  const log = createLogger({ level: "debug", secrets, sink: (line) => lines.push(line) });
  return { lines, log };
}

function expectClean(line: string) {
  for (const fragment of FRAGMENTS) expect(line).not.toContain(fragment);
  // Still one JSON object, still readable.
  expect(() => JSON.parse(line)).not.toThrow();
}

/** Each secret placed at each nesting level a caller could reach. */
function placements(secret: string): [string, LogFields][] {
  const error = new Error(`could not sign with ${secret}`);
  return [
    ["a top-level field", { detail: secret }],
    ["the middle of a longer string", { detail: `before ${secret} after` }],
    ["a nested object", { request: { auth: { key: secret } } }],
    ["an array in an object", { attempts: [{ body: [secret] }] }],
    ["an Error's message", { error }],
    ["an Error's cause", { error: new Error("signing failed", { cause: error }) }],
    ["an object key", { byKey: { [secret]: true } }],
    ["a Map", { map: new Map([["k", secret]]) }],
    ["text serialised once before logging", { body: JSON.stringify({ key: secret }) }],
    ["text serialised twice before logging", { body: JSON.stringify(JSON.stringify({ key: secret })) }],
  ];
}

describe("logger redaction (security)", () => {
  const secrets = [PEM, KEY_FILE, PASSWORD];
  for (const [name, secret] of [
    ["a PEM private key", PEM],
    ["a JSON key file", KEY_FILE],
    ["a password with quotes and a backslash", PASSWORD],
  ] as const) {
    for (const [where, fields] of placements(secret)) {
      it(`redacts ${name} in ${where}`, () => {
        const { lines, log } = capture(secrets);
        log.error("test.event", fields);
        expect(lines).toHaveLength(1);
        expectClean(lines[0] ?? "");
        expect(lines[0]).toContain("[redacted]");
      });
    }
  }

  it("redacts the Google key and its PEM as the Worker's config lists them", () => {
    const named: Record<string, string> = {
      GOOGLE_SERVICE_ACCOUNT_KEY: KEY_FILE,
      DIGEST_SMTP_URL: `smtp://user:${encodeURIComponent(PASSWORD)}@smtp.example.net:587`,
      DIGEST_SMTP_PASSWORD: PASSWORD,
    };
    const config = parseEnv({ ...env, ...named });
    const { lines, log } = capture(config.secrets);
    log.error("google.token_failed", {
      key: JSON.parse(KEY_FILE) as unknown,
      pem: PEM,
      error: new Error(`bad key ${KEY_FILE}`),
      password: PASSWORD,
    });
    expectClean(lines[0] ?? "");
  });

  it("cuts cycles and keeps values JSON cannot hold, instead of throwing", () => {
    const { lines, log } = capture([PASSWORD]);
    const loop: Record<string, unknown> = { name: "loop", secret: PASSWORD };
    loop.self = loop;
    log.warn("test.cycle", { loop, big: 12n, list: [loop] });
    const parsed = JSON.parse(lines[0] ?? "") as { loop: Record<string, unknown>; big: string };
    expect(parsed.loop.self).toBe("[circular]");
    expect(parsed.loop.secret).toBe("[redacted]");
    expect(parsed.big).toBe("12");
    expectClean(lines[0] ?? "");
  });

  it("writes an Error's name and message, which JSON.stringify would drop", () => {
    const { lines, log } = capture([]);
    log.error("test.error", { error: new TypeError("boom") });
    expect(JSON.parse(lines[0] ?? "")).toMatchObject({ error: { name: "TypeError", message: "boom" } });
  });

  it("redacts a secret's serialised spelling in plain text too", () => {
    const escaped = JSON.stringify(PEM).slice(1, -1);
    expect(redact(`key=${escaped}`, [PEM])).toBe("key=[redacted]");
    expect(redact("short abc stays", ["abc"])).toBe("short abc stays");
  });
});
