// The console behind Cloudflare Access: every request must carry a JWT signed by the team's keys (served
// here by the receivers, standing in for <team>.cloudflareaccess.com), for this application's audience,
// from the team as issuer, not expired; then the token sign-in is off and forms still need their _csrf.
import { env } from "cloudflare:workers";
import type { CryptoKey as JoseKey, JWK } from "jose";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { receiversControl } from "../../emulators/receivers/control";
import { DeadLetterStore } from "../../src/store/dead-letters";
import { DeliveryStore } from "../../src/store/deliveries";
import { ADMIN_TOKEN, admin, testClock, workerFetch } from "../support/worker";
import { consoleFetch, csrfOf, sessionCookieOf, signIn } from "./support";

const NOW = Date.parse("2026-12-01T09:00:00Z");
const TEAM = `team-${crypto.randomUUID().slice(0, 8)}`;
const TEAM_DOMAIN = `${inject("receiversUrl")}/access/${TEAM}`;
const AUD = "4714c1358e65fe4b408ad6d432a5f878f08194bdb4752441fd56faefa9b2b6f2";

let accessEnv: Env;
let teamKey: JoseKey;
let strangerKey: JoseKey;

function access(): Record<string, string> {
  return { ACCESS_TEAM_DOMAIN: TEAM_DOMAIN, ACCESS_AUD: AUD };
}

interface Claims {
  aud?: string;
  iss?: string;
  expMs?: number;
  key?: JoseKey;
  kid?: string;
}

function jwt(claims: Claims = {}): Promise<string> {
  return new SignJWT({ email: "operator@example.com", type: "app" })
    .setProtectedHeader({ alg: "RS256", kid: claims.kid ?? "team-key" })
    .setSubject("7335d417-61da-459d-899c-0a01c76a2f94")
    .setIssuer(claims.iss ?? TEAM_DOMAIN)
    .setAudience(claims.aud ?? AUD)
    .setIssuedAt(Math.floor(NOW / 1000) - 60)
    .setExpirationTime(Math.floor((claims.expMs ?? NOW + 3600_000) / 1000))
    .sign(claims.key ?? teamKey);
}

function withJwt(token: string): Record<string, string> {
  return { "Cf-Access-Jwt-Assertion": token };
}

beforeAll(async () => {
  const team = await generateKeyPair("RS256", { extractable: true });
  teamKey = team.privateKey;
  strangerKey = (await generateKeyPair("RS256")).privateKey;
  const publicJwk: JWK = { ...(await exportJWK(team.publicKey)), kid: "team-key", alg: "RS256", use: "sig" };
  await receiversControl(inject("receiversUrl")).publishAccessKeys(TEAM, { keys: [publicJwk] });
  accessEnv = { ...env, ...access() };
});

beforeEach(() => testClock.set(NOW));

describe("console behind Cloudflare Access", () => {
  it("serves a page to a request with a valid Access JWT, without any cookie", async () => {
    const response = await consoleFetch("/console", { env: accessEnv, headers: withJwt(await jwt()) });
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(html).toContain("<h1>Pairs</h1>");
    expect(html).toContain("operator@example.com");
    expect(html).not.toContain("Sign out");
  });

  it("refuses a request without a JWT, or with one for another audience, issuer or key, expired or unsigned", async () => {
    const unsignedParts = (await jwt()).split(".");
    const unsigned = [
      btoa(JSON.stringify({ alg: "none", typ: "JWT" })).replaceAll("=", ""),
      unsignedParts[1],
      "",
    ].join(".");
    const refused = {
      none: undefined,
      audience: await jwt({ aud: "another-application" }),
      issuer: await jwt({ iss: "https://other-team.cloudflareaccess.com" }),
      expired: await jwt({ expMs: NOW - 1000 }),
      stranger: await jwt({ key: strangerKey }),
      unsigned,
    };
    for (const [why, token] of Object.entries(refused)) {
      const response = await consoleFetch("/console", {
        env: accessEnv,
        ...(token === undefined ? {} : { headers: withJwt(token) }),
      });
      expect(response.status, why).toBe(403);
      const html = await response.text();
      expect(html, why).toContain('role="alert"');
      if (token !== undefined) expect(html).not.toContain(token);
    }
  });

  it("judges expiry on the Worker's clock", async () => {
    const token = await jwt({ expMs: NOW + 60_000 });
    expect((await consoleFetch("/console", { env: accessEnv, headers: withJwt(token) })).status).toBe(200);
    testClock.set(NOW + 120_000);
    expect((await consoleFetch("/console", { env: accessEnv, headers: withJwt(token) })).status).toBe(403);
  });

  it("turns the token sign-in and its links off, and a session cookie opens nothing", async () => {
    const token = await jwt();
    const page = await consoleFetch("/console/sign-in", { env: accessEnv, headers: withJwt(token) });
    expect(page.status).toBe(303);
    expect(page.headers.get("Location")).toBe("/console");
    const post = await consoleFetch("/console/sign-in", {
      env: accessEnv,
      headers: withJwt(token),
      form: { token: ADMIN_TOKEN },
    });
    expect(sessionCookieOf(post)).toBeNull();
    // Without Access's JWT the sign-in form is refused before it is looked at.
    const bare = await consoleFetch("/console/sign-in", { env: accessEnv, form: { token: ADMIN_TOKEN } });
    expect(bare.status).toBe(403);
    expect(sessionCookieOf(bare)).toBeNull();

    const cookie = await signIn(env);
    expect((await consoleFetch("/console", { env: accessEnv, cookie })).status).toBe(403);
    const link = await admin(accessEnv, "/console/sign-in-links", { method: "POST" });
    expect(link.status).toBe(409);
  });

  it("still wants the _csrf of a form", async () => {
    const { id } = await new DeliveryStore(env.DB).enqueue({
      meetingKey: "gone/2026-12-08",
      channelKey: "lost-slack",
      channel: "slack",
      secretName: "LOST_URL",
      payload: JSON.stringify({ text: "Agenda ready" }),
      nowMs: NOW,
    });
    const subject = `delivery:${id}`;
    await new DeadLetterStore(env.DB).record({
      subject,
      kind: "deliver",
      body: JSON.stringify({ kind: "deliver", deliveryId: id }),
      reason: "LOST_URL is not set: wrangler secret put LOST_URL",
      attempts: 11,
      at: new Date(NOW).toISOString(),
    });
    const token = await jwt();
    const listed = await consoleFetch("/console/dead-letters", { env: accessEnv, headers: withJwt(token) });
    const html = await listed.text();
    expect(html).toContain(">Replay</button>");
    const form = { subject };
    const without = await consoleFetch("/console/dead-letters/replay", {
      env: accessEnv,
      headers: withJwt(token),
      form,
    });
    expect(without.status).toBe(403);
    const withCsrf = await consoleFetch("/console/dead-letters/replay", {
      env: accessEnv,
      headers: withJwt(token),
      form: { ...form, _csrf: csrfOf(html) },
    });
    expect(withCsrf.status).toBe(303);
    expect(withCsrf.headers.get("Location")).toBe("/console/dead-letters?flash=replayed");
  });

  it("needs both settings or neither", async () => {
    const half: Record<string, string> = { ACCESS_TEAM_DOMAIN: TEAM_DOMAIN };
    const response = await workerFetch({ ...env, ...half }, new Request("https://agendas.test/health"));
    expect(response.status).toBe(503);
    const body = (await response.json()) as { problems: string[] };
    expect(body.problems.join(" ")).toContain("ACCESS_AUD");
  });
});
