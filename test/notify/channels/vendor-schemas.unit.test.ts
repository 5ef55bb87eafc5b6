// The committed vendor schemas must come from the installed packages, and must refuse what the vendors
// refuse: a schema that accepted anything would make every payload test green for nothing.
import { describe, expect, it } from "vitest";
import slackPackage from "../../../node_modules/@slack/types/package.json";
import discordPackage from "../../../node_modules/discord-api-types/package.json";
import generatorPackage from "../../../node_modules/ts-json-schema-generator/package.json";
import { discordBodyProblems, schemaVersions, slackBlockProblems } from "./vendor-schemas";

describe("vendor schemas", () => {
  it("were generated from the installed packages (regenerate: npx tsx test/notify/channels/generate-vendor-schemas.ts)", () => {
    expect(schemaVersions.slackTypes).toBe(slackPackage.version);
    expect(schemaVersions.discordApiTypes).toBe(discordPackage.version);
    expect(schemaVersions.generator).toEqual({
      slack: generatorPackage.version,
      discord: generatorPackage.version,
    });
  });

  it("refuse blocks and bodies the vendors' types do not allow", () => {
    expect(slackBlockProblems([{ type: "section", text: { type: "markdown-ish", text: "x" } }])).not.toEqual(
      [],
    );
    expect(slackBlockProblems([{ type: "header", text: { type: "plain_text", text: "x" } }])).toEqual([]);
    expect(discordBodyProblems({ content: "x", embeds: [{ colour: 1 }] })).not.toEqual([]);
    expect(discordBodyProblems({ content: "x", allowed_mentions: { parse: ["everyone"] } })).toEqual([]);
    expect(discordBodyProblems({ content: "x", allowed_mentions: { parse: ["channel"] } })).not.toEqual([]);
  });
});
