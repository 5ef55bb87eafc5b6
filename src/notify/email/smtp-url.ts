// Reads the SMTP settings from the Worker secret that holds them, as one URL:
//   smtp://user:password@host:587    STARTTLS, required: no TLS offered means nothing is sent
//   smtps://user:password@host:465   TLS from the first byte ("implicit TLS", RFC 8314)
//   smtp://localhost:1025?tls=none   no TLS, for a relay on the same machine in local development only
// User and password are percent-decoded (write "@" as %40, ":" as %3A, "/" as %2F, "%" as %25).
//
// `tls=none` is safe only where no network is crossed, so it is accepted only for loopback hosts
// (localhost, 127.0.0.0/8, ::1) and never with credentials: a password is sent only under TLS, full stop.
// (Deployed Workers cannot reach loopback, so in production every send is encrypted.) Port 25 is refused:
// Cloudflare blocks it for Workers, and it is for server-to-server relay, not submission.
//
// The URL is a secret (it holds the password), so no reason here ever contains it or any part of it:
// reasons name the secret and say what is wrong.
import * as z from "zod";

type SmtpSecurity = "starttls" | "implicit" | "none";

export interface SmtpSettings {
  security: SmtpSecurity;
  /** As `connect()` takes it: a name, an IPv4 address, or an IPv6 address without brackets. */
  hostname: string;
  port: number;
  credentials: { username: string; password: string } | null;
}

const FORMAT = "expected smtp://user:password@host:587 or smtps://user:password@host:465";
const DEFAULT_PORT = { "smtp:": 587, "smtps:": 465 } as const;

const HOST_NAME =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/u;
const IPV6 = /^\[[0-9A-Fa-f:.]+\]$/u;

function isLoopback(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === "localhost" || host === "::1" || /^127(?:\.\d{1,3}){3}$/u.test(host);
}

/** Percent-decodes one userinfo part; undefined when the escapes are malformed. */
function decode(part: string): string | undefined {
  try {
    return decodeURIComponent(part);
  } catch {
    return undefined;
  }
}

// Custom messages throughout: zod's defaults can quote the input, and the input here is a secret.
const partsSchema = z
  .object({
    protocol: z.enum(["smtp:", "smtps:"], { error: `scheme must be smtp:// or smtps:// (${FORMAT})` }),
    hostname: z
      .string({ error: "host is missing" })
      .refine((host) => HOST_NAME.test(host) || IPV6.test(host), {
        error: "host must be a host name or an IP address",
      }),
    port: z.string().refine((port) => port === "" || (Number(port) >= 1 && Number(port) <= 65_535), {
      error: "port must be 1-65535",
    }),
    username: z
      .string()
      .refine((part) => decode(part) !== undefined, { error: "user is not percent-encoded correctly" }),
    password: z
      .string()
      .refine((part) => decode(part) !== undefined, { error: "password is not percent-encoded correctly" }),
    pathname: z.enum(["", "/"], { error: "must have no path" }),
    hash: z.literal("", { error: "must have no #fragment" }),
    params: z
      .array(z.tuple([z.string(), z.string()]))
      .refine((params) => params.every(([key, value]) => key === "tls" && value === "none"), {
        error: "the only parameter allowed is tls=none",
      })
      .refine((params) => params.length <= 1, { error: "tls=none is given more than once" }),
  })
  .transform((parts, context): SmtpSettings => {
    const tlsNone = parts.params.length === 1;
    const username = decode(parts.username) ?? "";
    const password = decode(parts.password) ?? "";
    const hostname = parts.hostname.startsWith("[") ? parts.hostname.slice(1, -1) : parts.hostname;
    const port = parts.port === "" ? DEFAULT_PORT[parts.protocol] : Number(parts.port);
    if ((username === "") !== (password === "")) {
      context.addIssue({ code: "custom", message: "user and password must be given together" });
    }
    if (port === 25) {
      context.addIssue({
        code: "custom",
        message:
          "port 25 is blocked for Workers; use the server's submission port (587, or 465 with smtps://)",
      });
    }
    if (tlsNone && parts.protocol === "smtps:") {
      context.addIssue({ code: "custom", message: "tls=none contradicts smtps://" });
    }
    if (tlsNone && !isLoopback(hostname)) {
      context.addIssue({ code: "custom", message: "tls=none is only allowed for a relay on localhost" });
    }
    if (tlsNone && username !== "") {
      context.addIssue({
        code: "custom",
        message: "tls=none must not carry a user and password: credentials are only ever sent under TLS",
      });
    }
    return {
      security: tlsNone ? "none" : parts.protocol === "smtps:" ? "implicit" : "starttls",
      hostname,
      port,
      credentials: username === "" ? null : { username, password },
    };
  });

/**
 * The settings in the secret `secretName`, or why they are unusable. `value` is the secret's content;
 * the reason names `secretName` only.
 */
export function parseSmtpUrl(
  value: string,
  secretName: string,
): { ok: true; settings: SmtpSettings } | { ok: false; reason: string } {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return { ok: false, reason: `secret ${secretName} does not hold a URL (${FORMAT})` };
  }
  const parsed = partsSchema.safeParse({
    protocol: url.protocol,
    hostname: url.hostname,
    port: url.port,
    username: url.username,
    password: url.password,
    pathname: url.pathname,
    hash: url.hash,
    params: [...url.searchParams],
  });
  if (parsed.success) return { ok: true, settings: parsed.data };
  const problems = [...new Set(parsed.error.issues.map((issue) => issue.message))];
  return { ok: false, reason: `secret ${secretName} is not a usable SMTP URL: ${problems.join("; ")}` };
}
