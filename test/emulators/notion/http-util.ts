/// <reference types="node" />
// Reading request bodies and writing JSON/text responses with Node's http module.
import type { IncomingMessage, ServerResponse } from "node:http";

export interface ReadBody {
  text: string;
  bytes: number;
  /** False when the body was larger than the cap; the text then holds only what fit. */
  complete: boolean;
}

/** Reads the whole body (so keep-alive connections stay usable) but keeps at most `cap` bytes. */
export async function readBody(req: IncomingMessage, cap: number): Promise<ReadBody> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    bytes += buffer.length;
    if (bytes <= cap) chunks.push(buffer);
  }
  return { text: Buffer.concat(chunks).toString("utf8"), bytes, complete: bytes <= cap };
}

export function send(
  res: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
  contentType = "application/json; charset=utf-8",
): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, {
    "content-type": contentType,
    "content-length": Buffer.byteLength(body),
    ...headers,
  });
  res.end(body);
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  send(res, status, JSON.stringify(body), headers);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
