// TEST ONLY. The tests' side of the SMTP test server's control API (fetch, so it runs in workerd): what
// arrived, what each session did, faults to arm, and mailparser's view of any raw message.
import type { ReceivedMessage, SessionEvent, SmtpFaultSpec } from "./constants";

export interface SmtpControl {
  messages(): Promise<ReceivedMessage[]>;
  /** Messages with this Message-ID (with angle brackets). */
  messagesWithId(messageId: string): Promise<ReceivedMessage[]>;
  events(): Promise<SessionEvent[]>;
  fault(spec: SmtpFaultSpec): Promise<void>;
  clearFaults(): Promise<void>;
  /** Parses a raw message with mailparser, as the server does with what it receives. */
  parse(raw: string): Promise<ReceivedMessage>;
}

async function json<T>(response: Response): Promise<T> {
  if (!response.ok) throw new Error(`SMTP control API: HTTP ${response.status} ${await response.text()}`);
  return response.json<T>();
}

export function smtpControl(baseUrl: string): SmtpControl {
  const messages = async () => json<ReceivedMessage[]>(await fetch(`${baseUrl}/messages`));
  return {
    messages,
    messagesWithId: async (messageId) =>
      (await messages()).filter((message) => message.messageId === messageId),
    events: async () => json<SessionEvent[]>(await fetch(`${baseUrl}/events`)),
    fault: async (spec) => {
      await json(await fetch(`${baseUrl}/faults`, { method: "POST", body: JSON.stringify(spec) }));
    },
    clearFaults: async () => {
      await json(await fetch(`${baseUrl}/faults`, { method: "DELETE" }));
    },
    parse: async (raw) =>
      json<ReceivedMessage>(await fetch(`${baseUrl}/parse`, { method: "POST", body: raw })),
  };
}
