// The console's Hono environment: the Worker's, plus who is signed in and the CSRF token of their forms.
import type { Runtime } from "../runtime";

export interface Viewer {
  /** "token": a session cookie from the admin token or a one-time link; "access": Cloudflare Access. */
  via: "token" | "access";
  /** The session's id (Access: the person's subject): what the CSRF token is bound to. */
  sessionId: string;
  /** The hidden `_csrf` value of every form on the page. */
  csrf: string;
  /** The person's email, when Access says it. */
  email: string | null;
}

export interface ConsoleEnv {
  Bindings: Env;
  Variables: { runtime: Runtime; viewer: Viewer };
}
