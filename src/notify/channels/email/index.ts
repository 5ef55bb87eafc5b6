// The email channel: a plain-text and HTML message, sent over SMTP or through Cloudflare's send_email
// binding (../../email/). Its layouts give the content; the outbox row stores the whole message.
import type { EmailContent } from "../../email/content";
import { EMAIL_HTML_BUDGET_BYTES } from "../../email/html";
import type { ChannelModule } from "../channel";
import { emailSender } from "../senders";
import { emailContent } from "./digest";
import { rollupEmailContent } from "./rollup";

export const email = {
  digest: emailContent,
  rollup: rollupEmailContent,
  limits: { htmlBytes: EMAIL_HTML_BUDGET_BYTES },
  sender: emailSender,
} satisfies ChannelModule<EmailContent>;
