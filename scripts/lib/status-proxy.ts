// Owns a pass-through proxy between the Worker and the Notion emulator that counts answers by HTTP status
// and notes when the first request came and the last answer went. The emulator counts requests per
// endpoint before its rate limiter, so its counts cannot tell a 429 from a 200; this can, without
// touching either side. The window is the tick's Notion phase, apart from the digests sent after it.
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface StatusProxy {
  url: string;
  /** Answers seen so far, by status code. */
  statuses(): Record<number, number>;
  /** Milliseconds from the first request to the last answer since the last reset; null before any. */
  busyMs(): number | null;
  reset(): void;
  close(): Promise<void>;
}

export async function startStatusProxy(upstreamUrl: string): Promise<StatusProxy> {
  const upstream = new URL(upstreamUrl);
  const agent = new http.Agent({ keepAlive: true });
  let counts = new Map<number, number>();
  let firstRequestAt: number | null = null;
  let lastAnswerAt: number | null = null;

  const server = http.createServer((req, res) => {
    firstRequestAt ??= performance.now();
    res.on("finish", () => {
      lastAnswerAt = performance.now();
    });
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
    busyMs: () => (firstRequestAt === null || lastAnswerAt === null ? null : lastAnswerAt - firstRequestAt),
    reset: () => {
      counts = new Map();
      firstRequestAt = null;
      lastAnswerAt = null;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}
