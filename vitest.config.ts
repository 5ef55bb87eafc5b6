// Two Vitest projects; a test file's name says which one runs it:
// - "unit" (`*.unit.test.ts`): plain Node, no workerd, no emulators, no SMTP server. For pure code:
//   domain, templates, payload builders, parsers, and destinations driven through in-memory fakes.
// - "workers" (every other `*.test.ts`): inside workerd through the Workers Vitest integration, with
//   the Worker's own wrangler.toml. The vendor emulators and the SMTP test server run in Node
//   (globalSetup) on loopback; tests reach them over HTTP and TCP.
// A file belongs in workers when it imports `cloudflare:test`, `cloudflare:workers` or code that does
// (`cloudflare:sockets` for SMTP), uses `inject(...)`, `env` bindings, D1 or an emulator; otherwise name
// it `*.unit.test.ts`. A misnamed workers file fails at once in unit (Node cannot load `cloudflare:*`).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Plugin } from "vite";
import { defineConfig } from "vitest/config";

/** Test files for the plain-Node project; see the header. */
const UNIT = "test/**/*.unit.test.ts";

/** Templates import `.md` files as strings, as wrangler.toml's Text rule does in the Worker. */
const markdownAsText: Plugin = {
  name: "markdown-as-text",
  transform(code, id) {
    return id.endsWith(".md") ? { code: `export default ${JSON.stringify(code)};`, map: null } : undefined;
  },
};

/** Test-only CA that signed the SMTP test server's certificate (see test/smtp/certs/generate.sh). */
const TEST_CA = path.join(import.meta.dirname, "test/smtp/certs/ca.pem");

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
 * workerd logs, with stack traces, every connection a test breaks on purpose: the emulators' dropped
 * connections and the SMTP test server's untrusted certificate. Those tests assert the outcome
 * themselves, so these log lines only look like failures; any other workerd log still shows.
 */
const DELIBERATE_FAILURES = [
  "Network connection lost",
  "TLS handshake failed: invalid peer certificate: UnknownIssuer",
];

/** How workerd's own log entries look (its C++/Rust source positions and stacks), unlike a test's report. */
const WORKERD_LOG = /\bstack: |wdErrId|workerd\/[\w/-]+\.c\+\+|\bkj\/[\w/-]+\.c\+\+|ffi\.rs:\d+/;

/**
 * Drops workerd's log entries about DELIBERATE_FAILURES (the plugin writes each entry in one call). A
 * test's own failure report that mentions them is not workerd's log, so it still shows.
 */
function quietDeliberateFailures(): void {
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
    const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
    if (WORKERD_LOG.test(text) && DELIBERATE_FAILURES.some((signature) => text.includes(signature)))
      return true;
    return write(chunk, ...rest);
  }) as typeof process.stderr.write;
}

export default defineConfig(async () => {
  quietDeliberateFailures();
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
            exclude: [UNIT],
            setupFiles: ["./test/setup/apply-migrations.ts"],
            globalSetup: ["./test/setup/global.ts"],
            testTimeout: 30_000,
          },
        },
      ],
    },
  };
});
