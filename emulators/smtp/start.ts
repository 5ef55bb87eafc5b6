/// <reference types="node" />
// TEST ONLY. Starts the SMTP test server (server.ts) as its own Node process, for Vitest's globalSetup:
// waits for its ready line, keeps its stderr for the error if it dies early, and stops it by its pid.
// A separate process (rather than in the globalSetup's own) so the server runs exactly as a mail server
// would: its own event loop, sockets and TLS stack, nothing shared with Vitest.
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import * as z from "zod";
import { SMTP_LISTENERS, type SmtpListener, type SmtpTestServerInfo } from "./constants";

const port = z.number().int().min(1).max(65_535);
const readySchema = z.object({
  ports: z
    .record(z.enum(SMTP_LISTENERS), port)
    .refine(
      (ports): ports is Record<SmtpListener, number> => SMTP_LISTENERS.every((listener) => listener in ports),
      "a port for every listener",
    ),
  controlUrl: z.url(),
});

const READY = "SMTP_TEST_SERVER_READY ";
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;

export interface SmtpTestServer {
  info: SmtpTestServerInfo;
  close(): Promise<void>;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

export async function startSmtpTestServer(): Promise<SmtpTestServer> {
  const root = path.join(import.meta.dirname, "..", "..");
  // `--import tsx` runs the TypeScript in this one process (the tsx CLI would add a second one).
  const child = spawn(process.execPath, ["--import", "tsx", path.join("emulators", "smtp", "server.ts")], {
    cwd: root,
    // stdin stays open: the server exits when it closes, so it never outlives this process.
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
    if (stderr.length > 20_000) stderr = stderr.slice(-20_000);
  });

  const info = await new Promise<SmtpTestServerInfo>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`SMTP test server did not start within ${START_TIMEOUT_MS} ms\n${stderr}`));
    }, START_TIMEOUT_MS);
    const lines = createInterface({ input: child.stdout ?? process.stdin });
    lines.on("line", (line) => {
      if (!line.startsWith(READY)) return;
      clearTimeout(timer);
      const ready = readySchema.safeParse(JSON.parse(line.slice(READY.length)));
      if (ready.success) resolve(ready.data);
      else reject(new Error(`SMTP test server announced itself oddly: ${ready.error.message}`));
    });
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`SMTP test server exited (${code ?? signal}) before it was ready\n${stderr}`));
    });
  });

  return {
    info,
    async close() {
      child.stdin?.end();
      child.kill("SIGTERM");
      const stopped = await Promise.race([
        exited(child).then(() => true),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), STOP_TIMEOUT_MS)),
      ]);
      if (!stopped) {
        child.kill("SIGKILL");
        await exited(child);
      }
    },
  };
}
