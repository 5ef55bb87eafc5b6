// Owns what the scripts print: our own lines (written past any filter), colour when the terminal takes it,
// and, when asked, the dimming of everything else (wrangler's and the Worker's own log lines), so a person
// can tell the demo's story from the machinery's chatter.

type Write = typeof process.stdout.write;

const originalOut: Write = process.stdout.write.bind(process.stdout);
const originalErr: Write = process.stderr.write.bind(process.stderr);

const colour =
  process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== "0"
    ? true
    : process.env.NO_COLOR === undefined && process.stdout.isTTY === true;

function sgr(open: number, close: number): (text: string) => string {
  return (text) => (colour ? `\u001b[${open}m${text}\u001b[${close}m` : text);
}

export const style = {
  bold: sgr(1, 22),
  dim: sgr(2, 22),
  red: sgr(31, 39),
  green: sgr(32, 39),
  yellow: sgr(33, 39),
  cyan: sgr(36, 39),
};

/** One line of the script's own output on stdout. */
export function out(line = ""): void {
  originalOut(`${line}\n`);
}

/** One line of the script's own output on stderr (errors). */
export function err(line = ""): void {
  originalErr(`${line}\n`);
}

/** A heading for a step of the story. */
export function step(title: string): void {
  out();
  out(style.bold(style.cyan(`▸ ${title}`)));
}

/** Call counts by endpoint as "GET /v1/x ×1, POST /v1/y ×2". */
export function describeCounts(counts: Readonly<Record<string, number>>): string {
  return Object.entries(counts)
    .map(([endpoint, count]) => `${endpoint} ×${count}`)
    .join(", ");
}

export function passFail(pass: boolean): string {
  return pass ? style.green("PASS") : style.red("FAIL");
}

/**
 * From now on, anything written to stdout/stderr by someone other than `out`/`err` (wrangler, workerd,
 * the Worker's JSON logs) is shown dimmed. Returns the function that restores the streams.
 */
export function dimForeignOutput(): () => void {
  const dimmed =
    (write: Write): Write =>
    (chunk: string | Uint8Array, ...rest: unknown[]) => {
      const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
      const shaded = text
        .split("\n")
        .map((line) => (line === "" ? line : style.dim(line)))
        .join("\n");
      // `rest` is the encoding and/or callback, passed through untouched.
      return (write as (chunk: string, ...rest: unknown[]) => boolean)(shaded, ...rest);
    };
  process.stdout.write = dimmed(originalOut);
  process.stderr.write = dimmed(originalErr);
  return () => {
    process.stdout.write = originalOut;
    process.stderr.write = originalErr;
  };
}
