// POST /token: Google's OAuth 2.0 JWT-bearer grant for service accounts (RFC 7523), with its checks and its error words.
import { compactVerify, decodeJwt, decodeProtectedHeader } from "jose";
import { isRecord } from "../../common/json";
import { OAuthError } from "../errors";
import type { AccessTokenRecord, Principals, ServiceAccountRecord } from "./principals";

const JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
const TOKEN_LIFETIME_SECONDS = 3600;
/** Google tolerates a little clock skew on iat. */
const SKEW_SECONDS = 300;

/** Google's invalid_grant words for each way an assertion fails. */
const JWT_REFUSALS = {
  signature: "Invalid JWT Signature.",
  audience: (tokenUrl: string) => `Invalid JWT: Failed audience check. The right audience is ${tokenUrl}`,
  timeframe:
    "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.",
} as const;

/** Whether iat and exp make a short-lived assertion valid at `nowSeconds`, as Google judges it. */
function inTimeframe(iat: unknown, exp: unknown, nowSeconds: number): boolean {
  return (
    typeof iat === "number" &&
    typeof exp === "number" &&
    exp > nowSeconds &&
    iat <= nowSeconds + SKEW_SECONDS &&
    exp - iat <= TOKEN_LIFETIME_SECONDS &&
    exp > iat
  );
}

/** Scopes Google knows for these APIs; anything else is refused at the token endpoint as Google does. */
const KNOWN_SCOPES = new Set([
  "https://www.googleapis.com/auth/documents",
  "https://www.googleapis.com/auth/documents.readonly",
  "https://www.googleapis.com/auth/drive",
  "https://www.googleapis.com/auth/drive.file",
  "https://www.googleapis.com/auth/drive.readonly",
  "https://www.googleapis.com/auth/drive.metadata",
  "https://www.googleapis.com/auth/drive.metadata.readonly",
  "https://www.googleapis.com/auth/drive.appdata",
  "https://www.googleapis.com/auth/drive.photos.readonly",
  "https://www.googleapis.com/auth/cloud-platform",
  "https://www.googleapis.com/auth/userinfo.email",
  "openid",
]);

export interface TokenResponse {
  access_token: string;
  expires_in: number;
  token_type: "Bearer";
}

function form(contentType: string | undefined, raw: string): URLSearchParams {
  if ((contentType ?? "").includes("application/json")) {
    try {
      const parsed: unknown = JSON.parse(raw);
      if (isRecord(parsed)) {
        return new URLSearchParams(Object.entries(parsed).map(([k, v]): [string, string] => [k, String(v)]));
      }
    } catch {
      throw new OAuthError(400, "invalid_request", "Invalid JSON payload.");
    }
  }
  return new URLSearchParams(raw);
}

/** The service account an assertion names, without verifying it (for call counts and faults). */
export function assertionIssuer(contentType: string | undefined, raw: string): string | undefined {
  try {
    const assertion = form(contentType, raw).get("assertion");
    if (assertion === null) return undefined;
    const iss = decodeJwt(assertion).iss;
    return typeof iss === "string" ? iss : undefined;
  } catch {
    return undefined;
  }
}

async function verifySignature(account: ServiceAccountRecord, assertion: string): Promise<void> {
  let kid: string | undefined;
  let alg: string | undefined;
  try {
    const header = decodeProtectedHeader(assertion);
    kid = header.kid;
    alg = header.alg;
  } catch {
    throw new OAuthError(400, "invalid_grant", JWT_REFUSALS.signature);
  }
  if (alg !== "RS256") throw new OAuthError(400, "invalid_grant", JWT_REFUSALS.signature);
  // Google picks the key by kid when given; without one it tries the account's keys.
  const candidates =
    kid === undefined ? [...account.keys.values()] : [account.keys.get(kid)].filter((k) => k !== undefined);
  for (const key of candidates) {
    try {
      // Only the signature here: the claims are checked below, in Google's own words.
      await compactVerify(assertion, key, { algorithms: ["RS256"] });
      return;
    } catch {
      // Try the next key; none verifying is the error below.
    }
  }
  throw new OAuthError(400, "invalid_grant", JWT_REFUSALS.signature);
}

export async function grantToken(
  principals: Principals,
  tokenUrl: string,
  contentType: string | undefined,
  raw: string,
  now: number = Date.now(),
): Promise<{ response: TokenResponse; record: AccessTokenRecord }> {
  const params = form(contentType, raw);
  const grantType = params.get("grant_type");
  if (grantType === null)
    throw new OAuthError(400, "invalid_request", "Missing required parameter: grant_type");
  if (grantType !== JWT_BEARER) {
    throw new OAuthError(400, "unsupported_grant_type", `Invalid grant_type: ${grantType}`);
  }
  const assertion = params.get("assertion");
  if (assertion === null || assertion === "") {
    throw new OAuthError(400, "invalid_request", "Missing required parameter: assertion");
  }
  let claims: ReturnType<typeof decodeJwt>;
  try {
    claims = decodeJwt(assertion);
  } catch {
    throw new OAuthError(400, "invalid_grant", "Invalid JWT: the assertion is not a JWT.");
  }
  const account = typeof claims.iss === "string" ? principals.serviceAccounts.get(claims.iss) : undefined;
  if (account === undefined) throw new OAuthError(400, "invalid_grant", "Invalid grant: account not found");
  await verifySignature(account, assertion);

  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.includes(tokenUrl)) {
    throw new OAuthError(400, "invalid_grant", JWT_REFUSALS.audience(tokenUrl));
  }
  if (!inTimeframe(claims.iat, claims.exp, Math.floor(now / 1000))) {
    throw new OAuthError(400, "invalid_grant", JWT_REFUSALS.timeframe);
  }

  const scope = typeof claims.scope === "string" ? claims.scope.trim() : "";
  if (scope === "") throw new OAuthError(400, "invalid_scope", "Empty or missing scope not allowed.");
  const scopes = scope.split(/\s+/);
  if (scopes.some((s) => !KNOWN_SCOPES.has(s))) {
    throw new OAuthError(400, "invalid_scope", "Invalid OAuth scope or ID token audience provided.");
  }

  let principal = account.email;
  if (claims.sub !== undefined && claims.sub !== account.email) {
    if (!account.domainWideDelegation) {
      throw new OAuthError(
        401,
        "unauthorized_client",
        "Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.",
      );
    }
    const user = principals.users.get(String(claims.sub).toLowerCase());
    if (user === undefined) throw new OAuthError(400, "invalid_grant", "Invalid email or User ID");
    principal = user.email;
  }

  const record = principals.issue(account, principal, scopes, TOKEN_LIFETIME_SECONDS);
  return {
    response: { access_token: record.token, expires_in: TOKEN_LIFETIME_SECONDS, token_type: "Bearer" },
    record,
  };
}
