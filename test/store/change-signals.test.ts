// The change-signal store on its own: ids as Notion writes them in any form, the `since` filter, clearing
// more ids than one statement may bind, expiry by the Worker's clock, and the handshakes' bound.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
  ChangeSignalStore,
  normalizeNotionId,
  SIGNAL_KEEP_MS,
  type SignalEvent,
} from "../../src/store/change-signals";
import { MAX_HANDSHAKES, NotionWebhookHandshakeStore } from "../../src/store/notion-webhook-handshakes";

const store = new ChangeSignalStore(env.DB);
const NOW = Date.parse("2026-12-01T10:00:00Z");

function pageEvent(id: string, at: number): SignalEvent {
  return { eventId: crypto.randomUUID(), kind: "page", id, type: "page.content_updated", at };
}

async function mine(ids: readonly string[]) {
  const { signals } = await store.pending({ limit: 500 });
  return signals.filter((signal) => ids.includes(signal.id));
}

describe("change signals", () => {
  it("stores an id written without dashes or in capitals as Notion's dashed form, once", async () => {
    const id = crypto.randomUUID();
    await store.record([pageEvent(id.replaceAll("-", "").toUpperCase(), NOW), pageEvent(id, NOW + 1)], NOW);
    expect(normalizeNotionId(id.replaceAll("-", ""))).toBe(id);
    expect(await mine([id])).toMatchObject([{ id, events: 2, lastEventAt: NOW + 1 }]);
  });

  it("reads only signals whose newest event is at or after `since`", async () => {
    const [old, recent] = [crypto.randomUUID(), crypto.randomUUID()];
    await store.record([pageEvent(old, NOW - 60_000), pageEvent(recent, NOW)], NOW);
    const { signals } = await store.pending({ since: NOW - 1000, limit: 500 });
    const ids = signals.map((signal) => signal.id);
    expect(ids).toContain(recent);
    expect(ids).not.toContain(old);
  });

  it("clears more ids than one statement can bind", async () => {
    const ids = Array.from({ length: 95 }, () => crypto.randomUUID());
    await store.record(
      ids.map((id) => pageEvent(id, NOW)),
      NOW,
    );
    const read = await store.pending({ limit: 500 });
    expect(
      await store.clear(
        read.signals.filter((signal) => ids.includes(signal.id)),
        read.upTo,
      ),
    ).toBe(95);
    expect(await mine(ids)).toEqual([]);
  });

  it("forgets signals and seen event ids older than the keep window, so a week-old redelivery counts again", async () => {
    const id = crypto.randomUUID();
    const event = pageEvent(id, NOW);
    await store.record([event], NOW);
    await store.record([event], NOW + 1000);
    expect(await mine([id])).toMatchObject([{ events: 1 }]);

    await store.record([pageEvent(crypto.randomUUID(), NOW)], NOW + SIGNAL_KEEP_MS + 1);
    expect(await mine([id])).toEqual([]);
  });
});

describe("webhook handshakes", () => {
  it("keeps only the newest few, so posts from strangers cannot grow the table", async () => {
    const handshakes = new NotionWebhookHandshakeStore(env.DB);
    for (let index = 0; index < MAX_HANDSHAKES + 3; index += 1) {
      await handshakes.record(`secret_${crypto.randomUUID()}`, new Date(NOW + index * 1000).toISOString());
    }
    const shown = await handshakes.reveal(new Date(NOW + 60_000).toISOString());
    expect(shown).toHaveLength(MAX_HANDSHAKES);
    expect(shown.every((handshake) => handshake.token?.startsWith("secret_"))).toBe(true);
    expect((await handshakes.reveal(new Date(NOW + 61_000).toISOString())).map((h) => h.token)).toEqual(
      Array.from({ length: MAX_HANDSHAKES }, () => null),
    );
  });
});
