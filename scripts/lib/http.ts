// Owns plain HTTP calls from the scripts over node:http. Not fetch: Node's fetch gives up on a response
// whose headers take more than 300 s, and one cron tick over 200 pairs at Notion's pace takes about that.
import http from "node:http";
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

export function request(url: string, options: HttpRequest = {}): Promise<HttpAnswer> {
  const method = options.method ?? "GET";
  const timeoutMs = options.timeoutMs ?? 15 * 60_000;
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers: options.headers }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        text += chunk;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
      res.on("error", reject);
    });
    req.setTimeout(timeoutMs, () =>
      req.destroy(new ScriptError(`${method} ${url} got no answer within ${Math.round(timeoutMs / 1000)} s`)),
    );
    req.on("error", (error) =>
      reject(error instanceof ScriptError ? error : new ScriptError(`${method} ${url}: ${error.message}`)),
    );
    req.end(options.body);
  });
}
