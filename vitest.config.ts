// Tests run inside workerd through the Workers Vitest integration, with the Worker's own wrangler.toml.
// The vendor emulators run in Node (globalSetup) on loopback; tests reach them over HTTP.
import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(import.meta.dirname, "migrations"));
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          bindings: {
            TEST_MIGRATIONS: migrations,
            ADMIN_TOKEN: "test-admin-token",
            NOTION_TOKEN: "secret_test",
          },
        },
      }),
    ],
    test: {
      include: ["test/**/*.test.ts"],
      setupFiles: ["./test/setup/apply-migrations.ts"],
      globalSetup: ["./test/setup/global.ts"],
      testTimeout: 30_000,
      // The Worker's own JSON log lines (a broken pair logs every tick) would bury the test report.
      onConsoleLog: (log: string) => !log.startsWith('{"level":'),
    },
  };
});
