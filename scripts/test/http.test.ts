// The scripts' HTTP client reaches a Worker over https as well as http (`npm run doctor -- --url
// https://…` against a deployed Worker). The https server is on loopback with the tests' throwaway
// certificate (emulators/smtp/certs), which this process trusts through the global agent alone. Run with
// `node --import tsx --test scripts/test/*.test.ts`.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import https from "node:https";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { test } from "node:test";
import { request } from "../lib/http";

const CERTS = path.resolve(import.meta.dirname, "../../emulators/smtp/certs");

test("request speaks https to an https URL", async () => {
  https.globalAgent.options.ca = readFileSync(path.join(CERTS, "ca.pem"));
  const server = https.createServer(
    {
      cert: readFileSync(path.join(CERTS, "server.pem")),
      key: readFileSync(path.join(CERTS, "server-key.pem")),
    },
    (req, res) => {
      res.writeHead(200, { "Content-Type": "text/plain" });
      res.end(`${req.method} ${req.url} over ${req.socket.constructor.name}`);
    },
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const answer = await request(`https://localhost:${port}/admin/doctor`, { timeoutMs: 10_000 });
    assert.deepEqual(answer, { status: 200, text: "GET /admin/doctor over TLSSocket" });
  } finally {
    server.close();
  }
});
