// The one call both admin clients make (scripts/lib/admin-call.ts), against a loopback server that
// answers as the Worker would: the token sent as a bearer and the answer checked, a 401 explained, a
// route the Worker lacks taken for an older Worker, a refusal's problems and fixes kept, and no answer
// (nothing listening, or too slow) naming the Worker. Run with
// `node --import tsx --test scripts/test/*.test.ts`.
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, test } from "node:test";
import { z } from "zod";
import { adminCall, MissingRoute, Refused } from "../lib/admin-call";

const TOKEN = "admin-call-test-token";
let server: http.Server;
let workerUrl: string;

function send(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "Content-Type": "application/json" });
  res.end(typeof body === "string" ? body : JSON.stringify(body));
}

before(async () => {
  server = http.createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8").on("data", (chunk: string) => {
      body += chunk;
    });
    req.on("end", () => {
      if (req.headers.authorization !== `Bearer ${TOKEN}`) return send(res, 401, { error: "unauthorized" });
      switch (req.url) {
        case "/echo":
          return send(res, 200, { method: req.method, body: JSON.parse(body) });
        case "/refused":
          return send(res, 400, {
            error: "invalid_parent",
            problems: ["parentPageId: not shared with the integration"],
            fixes: ["Share the page with the integration."],
          });
        case "/crash":
          return send(res, 500, "<html>Worker threw</html>");
        case "/not-json":
          return send(res, 200, "<html>hello</html>");
        case "/slow":
          return; // never answers
        default:
          return send(res, 404, {
            error: "not_found",
            problems: [`${req.method} ${req.url}: no such route`],
          });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  workerUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => {
  server.closeAllConnections();
  server.close();
});

const echoSchema = z.object({ method: z.string(), body: z.object({ n: z.number() }) });

test("sends the token and the body as JSON, and checks the answer", async () => {
  const call = adminCall(workerUrl, TOKEN);
  assert.deepEqual(await call("echoing", "POST", "/echo", echoSchema, { n: 1 }), {
    method: "POST",
    body: { n: 1 },
  });
  await assert.rejects(call("echoing", "POST", "/echo", z.object({ method: z.number() }), { n: 1 }), {
    message:
      "echoing: unexpected answer from the Worker (method: Invalid input: expected number, received string)",
  });
  await assert.rejects(call("reading", "GET", "/not-json", z.unknown()), {
    message: "reading: the Worker answered with something that is not JSON: <html>hello</html>",
  });
});

test("a 401 says which token to set, and never shows it", async () => {
  const error = await adminCall(workerUrl, "wrong-token")(
    "checking the pairs",
    "GET",
    "/echo",
    z.unknown(),
  ).then(
    () => assert.fail("not refused"),
    (caught: unknown) => caught,
  );
  assert.ok(error instanceof Refused);
  assert.equal(error.status, 401);
  assert.equal(
    error.message,
    "checking the pairs was refused (HTTP 401)\n    - ADMIN_TOKEN: the Worker refused the admin token; set the one the Worker has (wrangler secret put ADMIN_TOKEN)",
  );
  assert.doesNotMatch(error.message, /wrong-token/);
});

test("a route the Worker does not know means an older Worker: deploy this version first", async () => {
  await assert.rejects(
    adminCall(workerUrl, TOKEN)("checking the pairs", "GET", "/admin/doctor?dryRun=true", z.unknown()),
    (error) => {
      assert.ok(error instanceof MissingRoute);
      assert.equal(
        error.message,
        `checking the pairs: the Worker at ${workerUrl} does not have /admin/doctor yet; deploy this version first (npm run deploy)`,
      );
      return true;
    },
  );
});

test("a refusal keeps the API's code, problems and fixes; a crash keeps the start of its page", async () => {
  const call = adminCall(workerUrl, TOKEN);
  await assert.rejects(call("creating the database", "POST", "/refused", z.unknown(), {}), (error) => {
    assert.ok(error instanceof Refused);
    assert.deepEqual(
      { status: error.status, code: error.code, problems: error.problems, fixes: error.fixes },
      {
        status: 400,
        code: "invalid_parent",
        problems: ["parentPageId: not shared with the integration"],
        fixes: ["Share the page with the integration."],
      },
    );
    assert.equal(
      error.message,
      "creating the database was refused (HTTP 400)\n    - parentPageId: not shared with the integration",
    );
    return true;
  });
  await assert.rejects(call("running", "POST", "/crash", z.unknown()), (error) => {
    assert.ok(error instanceof Refused);
    assert.deepEqual([error.code, error.problems], [null, ["<html>Worker threw</html>"]]);
    return true;
  });
});

test("no answer names the Worker: nothing listening, or too slow", async () => {
  const closed = http.createServer();
  await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
  const closedUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  await assert.rejects(adminCall(closedUrl, TOKEN)("checking the pairs", "GET", "/echo", z.unknown()), {
    message: `checking the pairs: could not reach ${closedUrl} (connect ECONNREFUSED ${closedUrl.slice(7)})`,
  });
  await assert.rejects(
    adminCall(workerUrl, TOKEN, { timeoutMs: 1000 })("checking the pair", "POST", "/slow", z.unknown(), {}),
    { message: `checking the pair: could not reach ${workerUrl} (no answer within 1 s)` },
  );
});
