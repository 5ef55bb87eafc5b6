// The example pairs file in the README must import cleanly: it is what people copy first.
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import examplePairs from "../../examples/pairs.yaml?raw";
import { pairSchema } from "../../src/config/pair";
import { describeIssues } from "../../src/lib/issues";

describe("examples/pairs.yaml", () => {
  it("holds only valid pairs", () => {
    const document = parse(examplePairs) as { pairs: unknown[] };
    expect(document.pairs.length).toBeGreaterThan(0);
    for (const pair of document.pairs) {
      const parsed = pairSchema.safeParse(pair);
      expect(parsed.success ? [] : describeIssues(parsed.error)).toEqual([]);
    }
  });
});
