// Owns plain HTTP calls from the scripts over node:http, or node:https for an https URL (a deployed
// Worker). Not fetch: Node's fetch gives up on a response whose headers take more than 300 s, and one
// cron tick over 200 pairs at Notion's pace takes about that.
import http from "node:http";
import https from "node:https";
import { ScriptError } from "./run";

export interface HttpAnswer {
  status: number;
  text: string;
}

export interface HttpRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Give up after this long (default 15 minutes, a scheduled event's own limit). */
  timeoutMs?: number;
}

/** No answer came: the address could not be reached, the connection broke, or the time ran out. */
export class NoAnswer extends ScriptError {
  constructor(
    message: string,
    /** What went wrong, without the request: "connect ECONNREFUSED 127.0.0.1:8787", "no answer within 180 s". */
    readonly reason: string,
  ) {
    super(message);
  }
}

export function request(url: string, options: HttpRequest = {}): Promise<HttpAnswer> {
  const method = options.method ?? "GET";
  const timeoutMs = options.timeoutMs ?? 15 * 60_000;
  return new Promise((resolve, reject) => {
    const transport = new URL(url).protocol === "https:" ? https : http;
    const req = transport.request(url, { method, headers: options.headers }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        text += chunk;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
      res.on("error", (error) => reject(new NoAnswer(`${method} ${url}: ${error.message}`, error.message)));
    });
    req.setTimeout(timeoutMs, () => {
      const reason = `no answer within ${Math.round(timeoutMs / 1000)} s`;
      req.destroy(new NoAnswer(`${method} ${url} got ${reason}`, reason));
    });
    req.on("error", (error) =>
      reject(
        error instanceof NoAnswer ? error : new NoAnswer(`${method} ${url}: ${error.message}`, error.message),
      ),
    );
    req.end(options.body);
  });
}
