// Owns a pass-through proxy between the Worker and the Notion emulator that counts answers by HTTP status.
// The emulator counts requests per endpoint before its rate limiter, so its counts cannot tell a 429 from
// a 200; this can, without touching either side.
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface StatusProxy {
  url: string;
  /** Answers seen so far, by status code. */
  statuses(): Record<number, number>;
  reset(): void;
  close(): Promise<void>;
}

export async function startStatusProxy(upstreamUrl: string): Promise<StatusProxy> {
  const upstream = new URL(upstreamUrl);
  const agent = new http.Agent({ keepAlive: true });
  let counts = new Map<number, number>();

  const server = http.createServer((req, res) => {
    const forward = http.request(
      {
        agent,
        hostname: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
      },
      (answer) => {
        const status = answer.statusCode ?? 0;
        counts.set(status, (counts.get(status) ?? 0) + 1);
        res.writeHead(status, answer.headers);
        answer.pipe(res);
      },
    );
    // The Worker sees what it would see if the emulator itself had dropped the connection.
    forward.on("error", () => res.destroy());
    req.pipe(forward);
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    statuses: () => Object.fromEntries(counts),
    reset: () => {
      counts = new Map();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}
