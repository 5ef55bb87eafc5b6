// Owns the fetch side of the control API both clients share: calling /__emulator/ routes with JSON,
// fetching text pages, and the error a non-2xx answer raises. Fetch only, so it runs in workerd and Node.

/** A non-2xx answer from an emulator's control API; `label` names the emulator in the message. */
export class EmulatorControlError extends Error {
  constructor(
    label: string,
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`${label} control API answered ${status}: ${JSON.stringify(body)}`);
  }
}

export interface ControlTransport {
  /** The base URL without trailing slashes. */
  readonly root: string;
  /** A control route under /__emulator, JSON both ways. */
  call<T>(method: string, path: string, body?: unknown): Promise<T>;
  /** GET a text page at `path` (e.g. /view/...), outside the control API. */
  text(path: string): Promise<string>;
}

/** `fail` builds the vendor's error class, so each client keeps its own `instanceof`-able ControlApiError. */
export function controlTransport(
  baseUrl: string,
  fetchImpl: typeof fetch,
  fail: (status: number, body: unknown) => Error,
): ControlTransport {
  const root = baseUrl.replace(/\/+$/, "");
  return {
    root,
    async call<T>(method: string, path: string, body?: unknown): Promise<T> {
      const response = await fetchImpl(`${root}/__emulator${path}`, {
        method,
        headers: body === undefined ? {} : { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const parsed: unknown = await response.json();
      if (!response.ok) throw fail(response.status, parsed);
      return parsed as T;
    },
    async text(path: string): Promise<string> {
      const response = await fetchImpl(`${root}${path}`);
      const text = await response.text();
      if (!response.ok) throw fail(response.status, text);
      return text;
    },
  };
}
