// Owns service-account authentication: the key JSON checked with zod, an RS256 assertion signed with
// jose (OAuth 2.0 JWT bearer grant, RFC 7523), exchanged at Google's token URL for an access token, and
// that token cached per subject (the service account itself, or the Workspace user it impersonates) until
// five minutes before it expires. All pairs of a run share the cache, and callers that ask at once share
// one token request. No message this file produces contains the key, the assertion or a token.
import { importPKCS8, SignJWT } from "jose";
import * as z from "zod";
import type { Logger } from "../../../lib/log";
import { silentLogger } from "../../../lib/log";
import type { Clock } from "../../../lib/rate-limit";
import { systemClock } from "../../../lib/rate-limit";
import type { Attempt, RetryPolicy } from "../../../lib/retry";
import { parseRetryAfter, retry } from "../../../lib/retry";
import { GoogleAuthError, quoteGoogleMessage } from "./errors";

/** Docs to read and write documents; Drive to list, copy and create files in folders and shared drives. */
export const GOOGLE_SCOPES = [
  "https://www.googleapis.com/auth/documents",
  "https://www.googleapis.com/auth/drive",
] as const;

/** Google's token endpoint. */
export const DEFAULT_TOKEN_URL = "https://oauth2.googleapis.com/token";

/** An assertion is valid for one hour, the most Google accepts. */
const ASSERTION_LIFETIME_S = 3600;
/** A cached token is replaced this long before it expires, so no request carries a token about to lapse. */
const REFRESH_MARGIN_MS = 5 * 60 * 1000;

const keySchema = z.looseObject({
  type: z.literal("service_account", { error: 'type must be "service_account"' }).optional(),
  client_email: z.email({ error: "client_email must be the service account's email address" }),
  private_key: z
    .string({ error: "private_key must be a string" })
    .refine((value) => value.includes("PRIVATE KEY-----"), {
      message: "private_key must be a PEM private key (-----BEGIN PRIVATE KEY-----)",
    }),
  private_key_id: z.string({ error: "private_key_id must be a string" }).min(1, "private_key_id is empty"),
  client_id: z.string().optional(),
  token_uri: z.url({ error: "token_uri must be a URL" }).optional(),
});

/** The parts of a service-account key file (the JSON Google lets you download) that signing needs. */
export type ServiceAccountKey = z.output<typeof keySchema>;

/**
 * The key from its JSON text (or already parsed). Throws a GoogleAuthError naming the bad field; never
 * quotes the input, since any part of it may be the private key.
 */
export function parseServiceAccountKey(input: string | unknown): ServiceAccountKey {
  let value: unknown = input;
  if (typeof input === "string") {
    try {
      value = JSON.parse(input);
    } catch {
      // JSON.parse quotes the text around the error; the text is the key, so its message is not used.
      throw new GoogleAuthError("key", "The Google service-account key is not valid JSON");
    }
  }
  const parsed = keySchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.map(String).join(".") ?? "";
    const message = issue?.message ?? "is invalid";
    throw new GoogleAuthError(
      "key",
      `The Google service-account key is not usable: ${field !== "" && !message.startsWith(field) ? `${field}: ` : ""}${message}`,
    );
  }
  // Keys pasted into a secret often arrive with their line breaks escaped.
  return { ...parsed.data, private_key: parsed.data.private_key.replaceAll("\\n", "\n") };
}

/** What signs and exchanges assertions; everything but the key has a production default. */
export interface TokenSourceOptions {
  key: ServiceAccountKey;
  tokenUrl: string;
  fetch: (url: string, init: RequestInit) => Promise<Response>;
  clock?: Clock;
  log?: Logger;
  random?: () => number;
  retry: RetryPolicy;
  attemptTimeoutMs: number;
  /** Called once per HTTP attempt at the token URL, for the call counts. */
  onAttempt?: () => void;
}

/** Access tokens for the service account and the users it impersonates. */
export interface TokenSource {
  /** A valid access token acting as `subject` (null: the service account itself). */
  token(subject: string | null): Promise<string>;
  /** Forgets `token` after Google refused it (401), so the next `token` call fetches a new one. */
  invalidate(subject: string | null, token: string): void;
  /** Every token handed out so far, for redaction. */
  secrets(): readonly string[];
}

/** The claims of the assertion for `subject`, as Google's JWT bearer flow wants them. */
function assertionClaims(
  key: ServiceAccountKey,
  tokenUrl: string,
  nowMs: number,
  subject: string | null,
): Record<string, string | number> {
  const iat = Math.floor(nowMs / 1000);
  return {
    iss: key.client_email,
    scope: GOOGLE_SCOPES.join(" "),
    aud: tokenUrl,
    iat,
    exp: iat + ASSERTION_LIFETIME_S,
    ...(subject === null ? {} : { sub: subject }),
  };
}

/** An RS256 JWT assertion for `subject`, signed with the key (its `kid` names the key to Google). */
async function signAssertion(
  key: ServiceAccountKey,
  tokenUrl: string,
  nowMs: number,
  subject: string | null,
  privateKey?: CryptoKey,
): Promise<string> {
  const signingKey = privateKey ?? (await importPrivateKey(key));
  return new SignJWT(assertionClaims(key, tokenUrl, nowMs, subject))
    .setProtectedHeader({ alg: "RS256", typ: "JWT", kid: key.private_key_id })
    .sign(signingKey);
}

async function importPrivateKey(key: ServiceAccountKey): Promise<CryptoKey> {
  try {
    return await importPKCS8(key.private_key, "RS256");
  } catch {
    throw new GoogleAuthError(
      "key",
      `The Google service-account key of ${key.client_email} has a private_key that is not a PKCS#8 RSA key`,
    );
  }
}

const tokenSchema = z.looseObject({
  access_token: z.string().min(1),
  expires_in: z.coerce.number().positive(),
  token_type: z.string().optional(),
});
const tokenErrorSchema = z.looseObject({
  error: z.string(),
  error_description: z.string().optional(),
});

/** A refused token request as a GoogleAuthError that says what to fix. */
function refusal(
  key: ServiceAccountKey,
  subject: string | null,
  status: number,
  body: unknown,
): GoogleAuthError {
  const parsed = tokenErrorSchema.safeParse(body);
  const code = parsed.success ? parsed.data.error : `HTTP ${status}`;
  const description =
    parsed.success && parsed.data.error_description !== undefined
      ? `: ${quoteGoogleMessage(parsed.data.error_description)}`
      : "";
  const who = `the service account ${key.client_email}`;
  if (code === "unauthorized_client" && subject !== null) {
    return new GoogleAuthError(
      "delegation",
      `Google refused to let ${who} act as ${subject} (unauthorized_client${description}): ` +
        `grant domain-wide delegation to client id ${key.client_id ?? "(see the key's client_id)"} ` +
        `with the scopes ${GOOGLE_SCOPES.join(",")} in the Workspace admin console`,
    );
  }
  if (code === "invalid_client" || /signature/i.test(description)) {
    return new GoogleAuthError(
      "key",
      `Google refused the key of ${who} (${code}${description}): the key may be deleted or disabled; create a new key`,
    );
  }
  return new GoogleAuthError(
    "grant",
    `Google refused a token for ${who}${subject === null ? "" : ` acting as ${subject}`} (${code}${description})`,
  );
}

/** One answer of the token URL: its status, its JSON body (null when not JSON) and any Retry-After. */
interface TokenAnswer {
  status: number;
  body: unknown;
  retryAfter: string | null;
}

/** One POST of a signed assertion to the token URL; a lost answer is an "unavailable" GoogleAuthError. */
async function postAssertion(options: TokenSourceOptions, assertion: string): Promise<TokenAnswer> {
  let status: number;
  let text: string;
  let retryAfter: string | null;
  try {
    const response = await options.fetch(options.tokenUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer",
        assertion,
      }).toString(),
      signal: AbortSignal.timeout(options.attemptTimeoutMs),
    });
    status = response.status;
    retryAfter = response.headers.get("retry-after");
    text = await response.text();
  } catch {
    throw new GoogleAuthError(
      "unavailable",
      `Could not reach Google's token endpoint for ${options.key.client_email}; a later run will retry`,
    );
  }
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = null;
  }
  return { status, body, retryAfter };
}

/**
 * The access token of the token URL's last answer, and for how long it is good; a GoogleAuthError that
 * says what to do otherwise.
 */
export function tokenOf(
  key: ServiceAccountKey,
  subject: string | null,
  answer: TokenAnswer,
): { token: string; lifetimeMs: number } {
  if (answer.status === 429 || answer.status >= 500) {
    throw new GoogleAuthError(
      "unavailable",
      `Google's token endpoint is unavailable for ${key.client_email} (HTTP ${answer.status}); a later run will retry`,
    );
  }
  if (answer.status !== 200) throw refusal(key, subject, answer.status, answer.body);
  const parsed = tokenSchema.safeParse(answer.body);
  if (!parsed.success) {
    throw new GoogleAuthError(
      "unavailable",
      `Google's token endpoint gave an answer without an access token for ${key.client_email}`,
    );
  }
  return { token: parsed.data.access_token, lifetimeMs: parsed.data.expires_in * 1000 };
}

/** When a token good for `lifetimeMs` from `nowMs` is replaced: the margin before, at most half its life. */
export function refreshAtOf(nowMs: number, lifetimeMs: number): number {
  return nowMs + lifetimeMs - Math.min(REFRESH_MARGIN_MS, lifetimeMs / 2);
}

/** A token source over the key; see the file header for the caching rules. */
export function createTokenSource(options: TokenSourceOptions): TokenSource {
  const { key, tokenUrl } = options;
  const clock = options.clock ?? systemClock;
  const log = options.log ?? silentLogger;
  const cached = new Map<string, { token: string; refreshAt: number }>();
  const pending = new Map<string, Promise<string>>();
  const handedOut = new Set<string>();
  let signingKey: Promise<CryptoKey> | null = null;

  const keyFor = (): Promise<CryptoKey> => {
    if (signingKey === null) {
      const importing = importPrivateKey(key);
      signingKey = importing;
      // A bad key stays bad, but a failed import is not kept: the message is rebuilt each time.
      importing.catch(() => {
        signingKey = null;
      });
    }
    return signingKey;
  };

  const exchange = async (subject: string | null): Promise<string> => {
    const privateKey = await keyFor();
    const attempt = async (): Promise<TokenAnswer> => {
      // A fresh assertion per attempt: its iat must stay close to the moment Google checks it.
      const assertion = await signAssertion(key, tokenUrl, clock.now(), subject, privateKey);
      options.onAttempt?.();
      return postAssertion(options, assertion);
    };
    const outcome = await retry(attempt, {
      ...options.retry,
      sleep: (ms) => clock.sleep(ms),
      random: options.random,
      // The token request changes nothing on Google's side, so any transient failure may be repeated.
      decide(result: Attempt<TokenAnswer>) {
        if (!result.ok)
          return { retry: result.error instanceof GoogleAuthError && result.error.problem === "unavailable" };
        const { status, retryAfter } = result.value;
        if (status === 429 || status >= 500)
          return { retry: true, afterMs: parseRetryAfter(retryAfter, clock.now()) };
        return { retry: false };
      },
      onRetry({ attempt: number, delayMs }) {
        log.warn("google.token.retry", { attempt: number, delayMs });
      },
    });
    const { token, lifetimeMs } = tokenOf(key, subject, outcome);
    handedOut.add(token);
    cached.set(subject ?? "", { token, refreshAt: refreshAtOf(clock.now(), lifetimeMs) });
    return token;
  };

  return {
    token(subject) {
      const slot = subject ?? "";
      const hit = cached.get(slot);
      if (hit !== undefined && clock.now() < hit.refreshAt) return Promise.resolve(hit.token);
      const inFlight = pending.get(slot);
      if (inFlight !== undefined) return inFlight;
      const request = exchange(subject).finally(() => pending.delete(slot));
      pending.set(slot, request);
      return request;
    },
    invalidate(subject, token) {
      const slot = subject ?? "";
      if (cached.get(slot)?.token === token) cached.delete(slot);
    },
    secrets: () => [...handedOut],
  };
}
