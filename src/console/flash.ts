// Messages shown after a form's POST redirects back: the redirect names a fixed key (`?flash=resent`),
// never text, so nothing a request carries is ever echoed into a page.

export interface Flash {
  /** "status": it worked; "alert": it did not. */
  role: "status" | "alert";
  text: string;
}

const FLASHES = {
  resent: { role: "status", text: "The delivery is due again and was handed to the queue." },
  "resend-missing": { role: "alert", text: "No such delivery: it may have been removed." },
  "resend-expired": {
    role: "alert",
    text: "Not resent: its moment has passed (its meeting has begun), so it is no longer sent.",
  },
  "resend-delivered": {
    role: "alert",
    text: "Not resent: it was delivered. Use “Resend anyway” to send it again.",
  },
  "resend-sending": {
    role: "alert",
    text: "Not resent: it is being sent right now. Try again when that attempt has finished.",
  },
  replayed: { role: "status", text: "The dead letter was replayed: its work is back on the queue." },
  "replay-missing": { role: "alert", text: "No such dead letter." },
  "replay-done": { role: "alert", text: "Already replayed, and it has not failed since." },
  "signed-out": { role: "status", text: "You are signed out." },
  "sign-in-failed": { role: "alert", text: "That token is not the admin token. Try again." },
  "link-used": {
    role: "alert",
    text: "That sign-in link has been used or has expired. Ask for a new one (npm start -- --serve prints one).",
  },
  "session-ended": { role: "alert", text: "Your session has ended. Sign in again." },
} as const satisfies Record<string, Flash>;

export type FlashKey = keyof typeof FLASHES;

/** The message a `flash` query parameter names; unknown keys show nothing. */
export function flashFor(key: string | undefined): Flash | null {
  return key !== undefined && Object.hasOwn(FLASHES, key) ? FLASHES[key as FlashKey] : null;
}

/** `path` with `?flash=<key>` (or `&flash=` when it has a query already). */
export function withFlash(path: string, key: FlashKey): string {
  return `${path}${path.includes("?") ? "&" : "?"}flash=${key}`;
}
