// Cloudflare Access in front of the console: every request carries the Cf-Access-Jwt-Assertion header,
// a JWT Access signed with the team's keys (published at <team>/cdn-cgi/access/certs). It is verified
// here, signature, issuer (the team domain), audience (the application's tag) and expiry, before any
// page is served; a request without a valid one is refused, whatever else it carries.
import type { JWTVerifyGetKey } from "jose";
import { createRemoteJWKSet, errors, jwtVerify } from "jose";

export const ACCESS_JWT_HEADER = "Cf-Access-Jwt-Assertion";

export interface AccessSettings {
  teamDomain: string;
  audience: string;
}

export type AccessCheck = { ok: true; subject: string; email: string | null } | { ok: false; reason: string };

// One key set per team domain and isolate: jose caches the keys and fetches again on an unknown key id,
// so Access rotating its keys needs nothing from us.
const keySets = new Map<string, JWTVerifyGetKey>();

function keySetFor(teamDomain: string): JWTVerifyGetKey {
  let keySet = keySets.get(teamDomain);
  if (keySet === undefined) {
    keySet = createRemoteJWKSet(new URL(`${teamDomain}/cdn-cgi/access/certs`));
    keySets.set(teamDomain, keySet);
  }
  return keySet;
}

/** Verifies the request's Access JWT at `nowMs`; the reason never holds the token. */
export async function verifyAccess(
  settings: AccessSettings,
  token: string | undefined,
  nowMs: number,
): Promise<AccessCheck> {
  if (token === undefined || token === "") return { ok: false, reason: `${ACCESS_JWT_HEADER}: missing` };
  try {
    const { payload } = await jwtVerify(token, keySetFor(settings.teamDomain), {
      issuer: settings.teamDomain,
      audience: settings.audience,
      algorithms: ["RS256", "ES256", "PS256", "EdDSA"],
      currentDate: new Date(nowMs),
      requiredClaims: ["exp", "sub"],
    });
    const email = typeof payload.email === "string" ? payload.email : null;
    return { ok: true, subject: payload.sub ?? "", email };
  } catch (error) {
    const reason =
      error instanceof errors.JWTExpired
        ? "has expired"
        : error instanceof errors.JWTClaimValidationFailed
          ? `claim ${error.claim} is not this application's`
          : error instanceof errors.JOSEError
            ? `is not valid (${error.code})`
            : "could not be verified";
    return { ok: false, reason: `${ACCESS_JWT_HEADER}: ${reason}` };
  }
}
