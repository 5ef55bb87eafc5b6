// Notion's error responses: the JSON shape, the codes and the messages integrations see.
type NotionErrorCode =
  | "invalid_json"
  | "invalid_request_url"
  | "invalid_request"
  | "validation_error"
  | "missing_version"
  | "unauthorized"
  | "restricted_resource"
  | "object_not_found"
  | "conflict_error"
  | "rate_limited"
  | "service_overload"
  | "internal_server_error"
  | "bad_gateway"
  | "service_unavailable"
  | "gateway_timeout";

export interface NotionErrorBody {
  object: "error";
  status: number;
  code: string;
  message: string;
  request_id: string;
  /** Which limit a 429 hit (`rate_limit_reason`), as Notion's newer limits say. */
  additional_data?: Record<string, string>;
}

export type ObjectKind = "database" | "data_source" | "page" | "block" | "user";

const SHARE_HINT = "Make sure the relevant pages and databases are shared with your integration.";

/** The code and message Notion sends for a bare status, used when a fault names only a status. */
const DEFAULTS: Record<number, { code: NotionErrorCode; message: string }> = {
  400: { code: "validation_error", message: "body failed validation." },
  401: { code: "unauthorized", message: "API token is invalid." },
  403: {
    code: "restricted_resource",
    message: "Given the bearer token used, the client doesn't have permission to perform this operation.",
  },
  404: { code: "object_not_found", message: "Could not find object." },
  409: {
    code: "conflict_error",
    message: "Conflict occurred while saving. Please try again.",
  },
  429: { code: "rate_limited", message: "You have been rate limited. Please try again in a few minutes." },
  500: { code: "internal_server_error", message: "Unexpected error occurred." },
  502: {
    code: "bad_gateway",
    message: "Notion encountered an issue while attempting to complete this request. Please try again.",
  },
  503: {
    code: "service_unavailable",
    message: "Notion is unavailable, please try again later.",
  },
  504: {
    code: "gateway_timeout",
    message: "Notion timed out while attempting to complete this request. Please try again later.",
  },
  // Notion's overload answer: like a 429, the request was not acted on and Retry-After says when to retry.
  529: { code: "service_overload", message: "Notion is overloaded. Please try again later." },
};

export class NotionApiError extends Error {
  /** Set when the emulator, not Notion, is what refuses: the run must fail so someone extends it. */
  emulatorGap = false;

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
    readonly additionalData?: Record<string, string>,
  ) {
    super(message);
  }

  /** A request Notion would accept but the emulator cannot serve; recorded as a violation. */
  static unsupported(what: string): NotionApiError {
    const error = new NotionApiError(
      400,
      "validation_error",
      `The Notion emulator does not support ${what}.`,
    );
    error.emulatorGap = true;
    return error;
  }

  static forStatus(status: number, overrides: { code?: string; message?: string } = {}): NotionApiError {
    const fallback = DEFAULTS[status] ?? DEFAULTS[500] ?? { code: "internal_server_error", message: "" };
    return new NotionApiError(status, overrides.code ?? fallback.code, overrides.message ?? fallback.message);
  }

  static validation(message: string): NotionApiError {
    return new NotionApiError(400, "validation_error", message);
  }

  static notFound(kind: ObjectKind, id: string): NotionApiError {
    if (kind === "user")
      return new NotionApiError(404, "object_not_found", `Could not find user with ID: ${id}.`);
    const noun = kind === "data_source" ? "data source" : kind;
    return new NotionApiError(
      404,
      "object_not_found",
      `Could not find ${noun} with ID: ${id}. ${SHARE_HINT}`,
    );
  }

  /** A 429; `reason` goes in `additional_data.rate_limit_reason`, as Notion's per-window and per-workspace limits say. */
  static rateLimited(retryAfterSeconds: number, reason?: string): NotionApiError {
    const error = NotionApiError.forStatus(429);
    return new NotionApiError(
      error.status,
      error.code,
      error.message,
      { "retry-after": String(Math.max(1, Math.ceil(retryAfterSeconds))) },
      reason === undefined ? undefined : { rate_limit_reason: reason },
    );
  }

  /** A 529 service_overload, with Retry-After when given (whole seconds, as Notion sends). */
  static overloaded(retryAfterSeconds?: number): NotionApiError {
    const error = NotionApiError.forStatus(529);
    return new NotionApiError(
      error.status,
      error.code,
      error.message,
      retryAfterSeconds === undefined
        ? {}
        : { "retry-after": String(Math.max(1, Math.ceil(retryAfterSeconds))) },
    );
  }

  body(requestId: string = crypto.randomUUID()): NotionErrorBody {
    return {
      object: "error",
      status: this.status,
      code: this.code,
      message: this.message,
      request_id: requestId,
      ...(this.additionalData === undefined ? {} : { additional_data: this.additionalData }),
    };
  }
}
