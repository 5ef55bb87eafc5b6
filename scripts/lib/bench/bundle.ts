// Owns the bundle-size figure: what `wrangler deploy --dry-run` would upload, raw and gzipped, as
// wrangler itself reports it.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { ScriptError } from "../run";
import { runWrangler } from "../wrangler-cli";

export interface BundleFigure {
  rawKiB: number;
  gzipKiB: number;
}

const SIZE_LINE = /Total Upload:\s*([\d.]+)\s*KiB\s*\/\s*gzip:\s*([\d.]+)\s*KiB/;

export async function measureBundle(): Promise<BundleFigure> {
  const outdir = await mkdtemp(path.join(tmpdir(), "agendas-bundle-"));
  try {
    const { stdout, stderr } = await runWrangler(["deploy", "--dry-run", "--outdir", outdir]);
    const match = SIZE_LINE.exec(`${stdout}\n${stderr}`);
    if (match?.[1] === undefined || match[2] === undefined) {
      throw new ScriptError(`wrangler deploy --dry-run printed no "Total Upload" line:\n${stdout}`);
    }
    return { rawKiB: Number(match[1]), gzipKiB: Number(match[2]) };
  } finally {
    await rm(outdir, { recursive: true, force: true });
  }
}
