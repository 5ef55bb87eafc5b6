/// <reference types="node" />
// Owns the Node http plumbing both emulators share: reading request bodies, writing responses, sleeping.
// How JSON is serialised and labelled (compact or pretty, charset spelling) is each vendor's, passed in as a JsonFormat.
import type { IncomingMessage, ServerResponse } from "node:http";

export interface ReadBody {
  text: string;
  bytes: number;
  /** False when the body was larger than the cap; the text then holds only what fit. */
  complete: boolean;
}

/** Reads the whole body (so keep-alive connections stay usable) but keeps at most `cap` bytes. */
export async function readBody(req: IncomingMessage, cap = Number.POSITIVE_INFINITY): Promise<ReadBody> {
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
  headers: Record<string, string>,
  contentType: string,
): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, {
    "content-type": contentType,
    "content-length": Buffer.byteLength(body),
    ...headers,
  });
  res.end(body);
}

/** How a vendor writes JSON bodies. */
export interface JsonFormat {
  contentType: string;
  serialize(body: unknown): string;
}

export type SendJson = (
  res: ServerResponse,
  status: number,
  body: unknown,
  headers?: Record<string, string>,
) => void;

export function jsonSender(format: JsonFormat): SendJson {
  return (res, status, body, headers = {}) =>
    send(res, status, format.serialize(body), headers, format.contentType);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
