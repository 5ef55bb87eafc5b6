// Google's error responses: the JSON envelope APIs send, the OAuth token endpoint's shape, and the usual messages.
import type { JsonObject } from "../common/json";

/** The canonical gRPC status Google puts beside each HTTP code. */
const STATUS: Record<number, string> = {
  400: "INVALID_ARGUMENT",
  401: "UNAUTHENTICATED",
  403: "PERMISSION_DENIED",
  404: "NOT_FOUND",
  409: "ABORTED",
  429: "RESOURCE_EXHAUSTED",
  500: "INTERNAL",
  501: "UNIMPLEMENTED",
  503: "UNAVAILABLE",
  504: "DEADLINE_EXCEEDED",
};

const REASON: Record<number, string> = {
  400: "badRequest",
  401: "authError",
  403: "forbidden",
  404: "notFound",
  409: "conflict",
  429: "rateLimitExceeded",
  500: "backendError",
  503: "backendError",
  504: "backendError",
};

const MESSAGE: Record<number, string> = {
  400: "Request contains an invalid argument.",
  401: "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.",
  403: "The caller does not have permission",
  404: "Requested entity was not found.",
  409: "The operation was aborted.",
  429: "Resource has been exhausted (e.g. check quota).",
  500: "Internal error encountered.",
  503: "The service is currently unavailable.",
  504: "The service is currently unavailable.",
};

interface GoogleErrorItem {
  message: string;
  domain: string;
  reason: string;
  location?: string;
  locationType?: string;
}

export interface GoogleErrorBody {
  error: {
    code: number;
    message: string;
    status: string;
    errors: GoogleErrorItem[];
    details?: JsonObject[];
  };
}

export interface GoogleErrorOptions {
  status?: string;
  reason?: string;
  domain?: string;
  location?: string;
  locationType?: string;
  details?: JsonObject[];
  headers?: Record<string, string>;
  /** The emulator, not Google, refuses: the run must fail so someone extends the emulator. */
  gap?: boolean;
}

export class GoogleApiError extends Error {
  constructor(
    readonly code: number,
    message: string = MESSAGE[code] ?? `HTTP ${code}`,
    readonly options: GoogleErrorOptions = {},
  ) {
    super(message);
  }

  get headers(): Record<string, string> {
    return this.options.headers ?? {};
  }

  get gap(): boolean {
    return this.options.gap === true;
  }

  body(): GoogleErrorBody {
    const item: GoogleErrorItem = {
      message: this.message,
      domain: this.options.domain ?? "global",
      reason: this.options.reason ?? REASON[this.code] ?? "unknown",
      ...(this.options.location !== undefined ? { location: this.options.location } : {}),
      ...(this.options.locationType !== undefined ? { locationType: this.options.locationType } : {}),
    };
    return {
      error: {
        code: this.code,
        message: this.message,
        status: this.options.status ?? STATUS[this.code] ?? "UNKNOWN",
        errors: [item],
        ...(this.options.details !== undefined ? { details: this.options.details } : {}),
      },
    };
  }

  static forStatus(code: number, message?: string): GoogleApiError {
    return new GoogleApiError(code, message ?? MESSAGE[code]);
  }

  static invalidArgument(message: string, field?: string): GoogleApiError {
    return new GoogleApiError(400, message, {
      details:
        field === undefined
          ? undefined
          : [
              {
                "@type": "type.googleapis.com/google.rpc.BadRequest",
                fieldViolations: [{ field, description: message }],
              },
            ],
    });
  }

  static unauthenticated(): GoogleApiError {
    return new GoogleApiError(401, MESSAGE[401], {
      reason: "authError",
      location: "Authorization",
      locationType: "header",
      details: [
        {
          "@type": "type.googleapis.com/google.rpc.ErrorInfo",
          reason: "ACCESS_TOKEN_TYPE_UNSUPPORTED",
          domain: "googleapis.com",
        },
      ],
    });
  }

  static insufficientScopes(service: string, method: string): GoogleApiError {
    return new GoogleApiError(403, "Request had insufficient authentication scopes.", {
      reason: "insufficientPermissions",
      details: [
        {
          "@type": "type.googleapis.com/google.rpc.ErrorInfo",
          reason: "ACCESS_TOKEN_SCOPE_INSUFFICIENT",
          domain: "googleapis.com",
          metadata: { service, method },
        },
      ],
    });
  }

  /** Docs answers 404 for an id that does not exist and 403 for one the caller may not see. */
  static docsNotFound(): GoogleApiError {
    return new GoogleApiError(404, MESSAGE[404]);
  }

  static docsPermissionDenied(): GoogleApiError {
    return new GoogleApiError(403, "The caller does not have permission");
  }

  /** Drive hides what the caller may not see behind the same 404 as what does not exist. */
  static fileNotFound(id: string, location = "fileId"): GoogleApiError {
    return new GoogleApiError(404, `File not found: ${id}.`, {
      reason: "notFound",
      location,
      locationType: "parameter",
    });
  }

  static driveInvalid(message: string, location: string, reason = "invalid"): GoogleApiError {
    return new GoogleApiError(400, message, { reason, location, locationType: "parameter" });
  }

  static quota(service: string, metric: string, limit: string, retryAfterSeconds: number): GoogleApiError {
    const message = `Quota exceeded for quota metric '${metric}' and limit '${limit}' of service '${service}' for consumer 'project_number:000000000000'.`;
    return new GoogleApiError(429, message, {
      reason: "rateLimitExceeded",
      headers: { "retry-after": String(retryAfterSeconds) },
      details: [
        {
          "@type": "type.googleapis.com/google.rpc.ErrorInfo",
          reason: "RATE_LIMIT_EXCEEDED",
          domain: "googleapis.com",
          metadata: {
            service,
            quota_metric: `${service}/${metric.toLowerCase().replaceAll(" ", "_")}`,
            quota_limit: limit,
            consumer: "projects/000000000000",
          },
        },
      ],
    });
  }

  /** Something Google supports that the emulator does not: refused loudly instead of ignored. */
  static gap(message: string): GoogleApiError {
    return new GoogleApiError(400, `[emulator gap] ${message}`, { gap: true, reason: "notImplemented" });
  }
}

/** Google's front end answers 502 with an HTML page, not JSON; clients must cope. */
export const HTML_502 = `<!DOCTYPE html>
<html lang=en>
  <meta charset=utf-8>
  <title>Error 502 (Server Error)!!1</title>
  <p><b>502.</b> <ins>That’s an error.</ins>
  <p>The server encountered a temporary error and could not complete your request.<p>Please try again in 30 seconds.  <ins>That’s all we know.</ins>
`;

/** The token endpoint speaks RFC 6749, not the API envelope. */
export class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
  ) {
    super(`${error}: ${description}`);
  }

  body(): { error: string; error_description: string } {
    return { error: this.error, error_description: this.description };
  }
}
