// The webhook receivers' seeded failures, in plain Node: a hook told to fail with a chance fails about
// that share of requests, the same ones for the same seed, and answers Retry-After with each failure.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { receiversControl } from "../../emulators/receivers/control";
import type { Receivers } from "../../emulators/receivers/server";
import { startReceivers } from "../../emulators/receivers/server";

let receivers: Receivers;
beforeAll(async () => {
  receivers = await startReceivers();
});
afterAll(() => receivers.close());

/** Each answer's status, and Retry-After when it had one. */
async function statuses(hook: string, count: number): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < count; i++) {
    const answer = await fetch(`${receivers.url}/slack/${hook}`, { method: "POST", body: "{}" });
    await answer.text();
    const after = answer.headers.get("retry-after");
    seen.push(after === null ? String(answer.status) : `${answer.status} after ${after}`);
  }
  return seen;
}

describe("a hook that fails with a chance", () => {
  it("fails a seeded share of requests with Retry-After, the same ones for the same seed", async () => {
    const control = receiversControl(receivers.url);
    await control.behave("slack/chance-a", { status: 503, probability: 0.25, seed: 4, retryAfter: 1 });
    await control.behave("slack/chance-b", { status: 503, probability: 0.25, seed: 4 });
    const first = await statuses("chance-a", 60);
    const failures = first.filter((status) => status === "503 after 1").length;
    expect(failures).toBeGreaterThan(5);
    expect(failures).toBeLessThan(30);
    expect(first.filter((status) => status === "200")).toHaveLength(60 - failures);
    const again = await statuses("chance-b", 60);
    expect(again.map((status) => status.startsWith("503"))).toEqual(
      first.map((status) => status.startsWith("503")),
    );
    const failed = (await control.received({ hook: "chance-a" })).filter((request) => request.status === 503);
    expect(failed).toHaveLength(failures);
  });

  it("refuses a chance outside 0 to 1", async () => {
    await expect(
      receiversControl(receivers.url).behave("slack/odd", { status: 503, probability: 2 }),
    ).rejects.toThrow(/probability: must be a number from 0 to 1/);
  });
});
