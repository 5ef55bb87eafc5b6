// Sends a composed message through Cloudflare's `send_email` binding. The binding takes an EmailMessage
// (from "cloudflare:email") with ONE envelope recipient, so a message to several people is sent once per
// recipient, each copy the same bytes (the To header lists everyone, the Message-ID is the same).
//
// The binding says what went wrong only by throwing an Error with a message; there is no code. Messages
// that say the request itself is wrong (an address not allowed or not verified, a sender not allowed, a
// message that does not parse, a From header that does not match) are permanent: sending the same message
// again cannot change them. Anything else (an internal error, a limit, a timeout) is retried.
import { EmailMessage } from "cloudflare:email";
import { type EmailOutcome, scrubDetail } from "./outcome";

/** Error messages of a binding refusing the request itself, as Cloudflare and Miniflare word them. */
const PERMANENT_ERROR =
  /not allowed|not verified|unverified|not permitted|invalid|could not parse|does not match|forbidden|not authori[sz]ed|not enabled|no such|does not exist/iu;

/** A value that can be used as a send_email binding: an object with a `send` method. */
export function isSendEmailBinding(value: unknown): value is SendEmail {
  return typeof value === "object" && value !== null && "send" in value && typeof value.send === "function";
}

export interface BindingSendRequest {
  binding: SendEmail;
  /** The binding's name, for reasons. */
  bindingName: string;
  /** Envelope sender: must be the address in the From header (the binding checks). */
  from: string;
  to: readonly string[];
  /** The complete RFC 5322 message. */
  raw: string;
  /** Per recipient. */
  timeoutMs: number;
}

class BindingTimeout extends Error {}

/** Sends to each recipient in turn; stops at the first failure. Never throws. */
export async function sendWithBinding(request: BindingSendRequest): Promise<EmailOutcome> {
  let sent = 0;
  for (const to of request.to) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const sending = request.binding.send(new EmailMessage(request.from, to, request.raw));
      sending.catch(() => undefined);
      await Promise.race([
        sending,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new BindingTimeout()), request.timeoutMs);
        }),
      ]);
      sent += 1;
    } catch (error) {
      // Copies already sent go again on a retry, with the same Message-ID, which mail clients use to
      // drop the repeat; saying so keeps the reason honest.
      const already = sent > 0 ? ` (${sent} of ${request.to.length} recipients already sent)` : "";
      if (error instanceof BindingTimeout) {
        return {
          kind: "retry",
          reason: `send_email binding ${request.bindingName} did not answer for ${to} within ${request.timeoutMs} ms${already}`,
        };
      }
      const message = scrubDetail(error instanceof Error ? error.message : String(error), []);
      const reason = `send_email binding ${request.bindingName} refused ${to}: ${message || "unknown error"}${already}`;
      return PERMANENT_ERROR.test(message) ? { kind: "permanent", reason } : { kind: "retry", reason };
    } finally {
      clearTimeout(timer);
    }
  }
  return { kind: "delivered" };
}
