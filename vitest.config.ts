// Three Vitest projects; a test file's name says which one runs it:
// - "unit" (`*.unit.test.ts`): plain Node, no workerd, no shared emulators, no SMTP server. For pure code:
//   domain, templates, payload builders, parsers; destination tests use the emulators' model modules, or
//   start an emulator of their own in-process on a loopback port (beforeAll) and script its faults.
// - "workers" (every other `*.test.ts`): inside workerd through the Workers Vitest integration, with
//   the Worker's own wrangler.toml. The vendor emulators and the SMTP test server run in Node
//   (globalSetup) on loopback; tests reach them over HTTP and TCP.
// A file belongs in workers when it imports `cloudflare:test`, `cloudflare:workers` or code that does
// (`cloudflare:sockets` for SMTP), uses `inject(...)`, `env` bindings, D1 or an emulator; otherwise name
// it `*.unit.test.ts`. A misnamed workers file fails at once in unit (Node cannot load `cloudflare:*`).
// - "browser" (`test/browser/**/*.browser.test.ts`): plain Node driving one headless Chromium against the
//   real Worker in workerd on the local stack (test/browser/support/global-setup.ts): the console's pages.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Plugin } from "vite";
import { defineConfig } from "vitest/config";
import { clockShiftFromEnv } from "./test/setup/clock-shift.ts";

/** Test files for the plain-Node project; see the header. */
const UNIT = "test/**/*.unit.test.ts";
/** Test files for the browser project; see the header. */
const BROWSER = "test/browser/**/*.browser.test.ts";

/** Templates import `.md` files as strings, as wrangler.toml's Text rule does in the Worker. */
const markdownAsText: Plugin = {
  name: "markdown-as-text",
  transform(code, id) {
    return id.endsWith(".md") ? { code: `export default ${JSON.stringify(code)};`, map: null } : undefined;
  },
};

/** Test-only CA that signed the SMTP test server's certificate (see emulators/smtp/certs/generate.sh). */
const TEST_CA = path.join(import.meta.dirname, "emulators/smtp/certs/ca.pem");

/**
 * The file NODE_EXTRA_CA_CERTS should name: the test CA, plus any CAs the environment already trusts
 * that way (a corporate proxy's, say), so adding ours takes nothing away.
 */
function extraCaCerts(): string {
  const existing = process.env.NODE_EXTRA_CA_CERTS;
  if (existing === undefined || existing === "" || path.resolve(existing) === TEST_CA) return TEST_CA;
  const combined = path.join(import.meta.dirname, "test/.generated/extra-ca-certs.pem");
  if (!existsSync(path.dirname(combined))) mkdirSync(path.dirname(combined), { recursive: true });
  const theirs = existsSync(existing) ? readFileSync(existing, "utf8") : "";
  writeFileSync(combined, `${theirs.trimEnd()}\n${readFileSync(TEST_CA, "utf8")}`);
  return combined;
}

/**
 * workerd logs, with stack traces, every failure a test causes on purpose: the emulators' dropped
 * connections, the SMTP test server's untrusted certificate, the local send_email binding refusing
 * an address it was told to refuse, and request bodies refused before they were read. Those tests assert the outcome themselves, so these log lines only
 * look like failures; any other workerd log still shows.
 */
const DELIBERATE_FAILURES = [
  /Network connection lost/,
  /disconnected: client error \(SendRequest\)/,
  /TLS handshake failed: invalid peer certificate: UnknownIssuer/,
  /Error: email (?:to|from) \S+ not allowed/,
  // A body refused with 413 before it was read whole: the sender's pipe is cut on purpose.
  /disconnected: read end of pipe was aborted/,
];

/** How workerd's own log lines look (source positions in its C++/Rust, its stacks), unlike a test's report. */
const WORKERD_LOG =
  /^(?:uncaught exception; |exception = |Socket proxy |e = )|wdErrId|ffi\.rs:\d+|\.(?:c\+\+|h):\d+: /;
/** The lines that follow a workerd log entry: its binary's stack, or a JavaScript stack's frames. */
const WORKERD_STACK = /^(?:stack: \S*workerd@|\s+at )/;

/**
 * Drops from `stream` workerd's log lines about DELIBERATE_FAILURES, and the stack lines after each. A
 * test's own failure report that mentions them is not shaped like workerd's log, so it still shows.
 */
function quietDeliberateFailures(stream: NodeJS.WriteStream): void {
  const write = stream.write.bind(stream);
  const deliberate = (line: string) =>
    WORKERD_LOG.test(line) && DELIBERATE_FAILURES.some((signature) => signature.test(line));
  // workerd writes an entry and its stack lines in separate calls, so the filter remembers where it is.
  let afterDeliberate = false;
  stream.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
    const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
    const kept = text
      .split(/(?<=\n)/)
      .filter((line) => {
        if (deliberate(line)) {
          afterDeliberate = true;
          return false;
        }
        afterDeliberate = afterDeliberate && WORKERD_STACK.test(line);
        return !afterDeliberate;
      })
      .join("");
    if (kept === "") return true;
    return kept === text ? write(chunk, ...rest) : write(kept, ...rest);
  }) as typeof stream.write;
}

export default defineConfig(async () => {
  // `npm run test:future` runs every test a year from today: the emulators and receivers (globalSetup)
  // and, through the setup file, every test file in Node and in workerd. Nothing a test asserts may
  // depend on the date it runs on.
  const clockShiftMs = clockShiftFromEnv(process.env.TEST_CLOCK_SHIFT_DAYS);
  // workerd's entries reach both streams (the plugin's structured logs and the runtime's own output).
  quietDeliberateFailures(process.stdout);
  quietDeliberateFailures(process.stderr);
  // workerd verifies TLS certificates (the SMTP tests use STARTTLS and implicit TLS) against the trust
  // list Miniflare builds ONCE, when its module loads, from NODE_EXTRA_CA_CERTS. So the variable is set
  // here, and the plugin (which imports Miniflare) is imported only after it. Node's own TLS is not
  // affected: Node reads the variable only at startup.
  process.env.NODE_EXTRA_CA_CERTS = extraCaCerts();
  const { cloudflareTest, readD1Migrations } = await import("@cloudflare/vitest-plugin");
  const migrations = await readD1Migrations(path.join(import.meta.dirname, "migrations"));
  return {
    test: {
      // The Worker's own JSON log lines (a broken pair logs every tick) would bury the test report.
      onConsoleLog: (log: string) => !log.startsWith('{"level":'),
      projects: [
        {
          plugins: [markdownAsText],
          test: {
            name: "unit",
            environment: "node",
            include: [UNIT],
            setupFiles: ["./test/setup/shift-clock.ts"],
            provide: { clockShiftMs },
            testTimeout: 30_000,
          },
        },
        {
          plugins: [
            cloudflareTest({
              wrangler: { configPath: "./wrangler.toml" },
              miniflare: {
                bindings: {
                  TEST_MIGRATIONS: migrations,
                  ADMIN_TOKEN: "test-admin-token",
                  NOTION_TOKEN: "secret_test",
                  // The receivers, emulators and SMTP server listen on loopback, where digests go only by this.
                  ALLOW_PRIVATE_DIGEST_HOSTS: "true",
                },
                // Miniflare's local send_email binding: it checks what Cloudflare checks (the message parses,
                // has a Message-ID, its From matches the envelope sender, sender and recipient are allowed).
                email: {
                  send_email: [
                    {
                      name: "TEST_SEND_EMAIL",
                      allowed_sender_addresses: ["digest@agendas.test"],
                      allowed_destination_addresses: ["ada@example.com", "bo@example.com", "zoe@example.com"],
                    },
                  ],
                },
              },
            }),
          ],
          test: {
            name: "workers",
            include: ["test/**/*.test.ts"],
            exclude: [UNIT, BROWSER],
            setupFiles: ["./test/setup/shift-clock.ts", "./test/setup/apply-migrations.ts"],
            provide: { clockShiftMs },
            globalSetup: ["./test/setup/global.ts"],
            testTimeout: 30_000,
          },
        },
        {
          test: {
            name: "browser",
            environment: "node",
            include: [BROWSER],
            // Its own stack and Chromium; the stack keeps the real clock, so this run's clock shift is not
            // applied here either: nothing these tests assert depends on the date.
            globalSetup: ["./test/browser/support/global-setup.ts"],
            // A busy 2-core machine: pages render in workerd and Chromium while other projects run.
            testTimeout: 90_000,
            hookTimeout: 60_000,
          },
        },
      ],
    },
  };
});
