// The Notion destination as a person writes it: ids normalised, defaults applied, mistakes refused with
// the field named.
import { describe, expect, it } from "vitest";
import { normalizeNotionId, notionDestinationSchema } from "../../../src/destinations/notion/config";

const UNDASHED = "1A2B3C4D5E6F47889900AABBCCDDEEFF";
const DASHED = "1a2b3c4d-5e6f-4788-9900-aabbccddeeff";

function problems(input: unknown): string[] {
  const parsed = notionDestinationSchema.safeParse(input);
  if (parsed.success) return [];
  return parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
}

describe("notion destination config", () => {
  it("happy: normalises an undashed data source id and applies defaults", () => {
    const parsed = notionDestinationSchema.parse({ kind: "notion", dataSourceId: UNDASHED });
    expect(parsed).toEqual({
      kind: "notion",
      dataSourceId: DASHED,
      titleProperty: "Name",
      dateProperty: "Date",
    });
  });

  it("happy: accepts a dashed database id and a pair property with rich_text by default", () => {
    const parsed = notionDestinationSchema.parse({
      kind: "notion",
      databaseId: DASHED.toUpperCase(),
      titleProperty: "Title",
      dateProperty: "Meeting date",
      pairProperty: { name: "Pair" },
    });
    expect(parsed.databaseId).toBe(DASHED);
    expect(parsed.pairProperty).toEqual({ name: "Pair", type: "rich_text" });
  });

  it("happy: accepts a select pair property with an explicit value", () => {
    const parsed = notionDestinationSchema.parse({
      kind: "notion",
      dataSourceId: DASHED,
      pairProperty: { name: "Pair", type: "select", value: "alice-bob" },
    });
    expect(parsed.pairProperty).toEqual({ name: "Pair", type: "select", value: "alice-bob" });
  });

  it("error: refuses a config with neither id, naming the field", () => {
    const found = problems({ kind: "notion" });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^dataSourceId: dataSourceId or databaseId is required/);
  });

  it.each([
    ["dataSourceId", "not-an-id"],
    ["dataSourceId", `${UNDASHED}0`],
    ["databaseId", "https://www.notion.so/workspace/Agendas-1a2b3c4d5e6f47889900aabbccddeeff"],
    ["databaseId", "1a2b3c4d-5e6f-4788-9900-aabbccddeefg"],
  ])("error: refuses a malformed %s (%s), naming it", (field, value) => {
    const found = problems({ kind: "notion", [field]: value });
    expect(found.some((line) => line.startsWith(`${field}: ${field} must be a Notion id`))).toBe(true);
  });

  it("error: refuses unknown keys (a typo would otherwise silently fall back to a default)", () => {
    const found = problems({ kind: "notion", dataSourceId: DASHED, dateProprety: "When" });
    expect(found.join("\n")).toMatch(/dateProprety/);
  });

  it("error: refuses an empty property name and a wrong pair property type, naming each", () => {
    const found = problems({
      kind: "notion",
      dataSourceId: DASHED,
      titleProperty: " ",
      pairProperty: { name: "Pair", type: "people" },
    });
    expect(found).toContain("titleProperty: titleProperty must name a property of the data source");
    expect(found).toContain('pairProperty.type: pairProperty.type must be "rich_text" or "select"');
  });

  it("error: refuses one property used for two roles", () => {
    expect(problems({ kind: "notion", dataSourceId: DASHED, titleProperty: "Date" })).toEqual([
      "dateProperty: dateProperty must name a different property than titleProperty",
    ]);
    expect(problems({ kind: "notion", dataSourceId: DASHED, pairProperty: { name: "Name" } })).toEqual([
      "pairProperty.name: pairProperty.name must name a different property than titleProperty and dateProperty",
    ]);
  });

  it("error: refuses a kind other than notion", () => {
    expect(problems({ kind: "google", dataSourceId: DASHED })).toEqual(['kind: kind must be "notion"']);
  });

  it("happy: a pair may name the secret holding its integration's token, NOTION_TOKEN included", () => {
    expect(
      notionDestinationSchema.parse({ kind: "notion", dataSourceId: DASHED }).tokenSecret,
    ).toBeUndefined();
    for (const name of ["NOTION_TOKEN", "NOTION_TOKEN_SALES", "TEAM_B_NOTION"]) {
      expect(
        notionDestinationSchema.parse({ kind: "notion", dataSourceId: DASHED, tokenSecret: name }),
      ).toMatchObject({
        tokenSecret: name,
      });
    }
  });

  it("error: refuses a token pasted as tokenSecret without echoing it", () => {
    const token = "ntn_123456789012345678901234567890abcdefABCDEF";
    const found = problems({ kind: "notion", dataSourceId: DASHED, tokenSecret: token });
    expect(found).toEqual([
      "tokenSecret: tokenSecret must be the NAME of a Worker secret (upper case), never the token itself",
    ]);
    expect(found.join("\n")).not.toContain(token);
  });

  it.each(["ADMIN_TOKEN", "GOOGLE_SERVICE_ACCOUNT_KEY", "DB", "NOTION_API_BASE_URL", "LOG_LEVEL"])(
    "error: refuses %s as tokenSecret: a binding the Worker uses for something else",
    (name) => {
      expect(problems({ kind: "notion", dataSourceId: DASHED, tokenSecret: name })).toEqual([
        `tokenSecret: tokenSecret must not name ${name}, a binding the Worker itself uses; name NOTION_TOKEN or a secret of the integration's own`,
      ]);
    },
  );

  it("error: refuses a tokenSecret that is too long", () => {
    expect(problems({ kind: "notion", dataSourceId: DASHED, tokenSecret: `N${"A".repeat(100)}` })).toEqual([
      "tokenSecret: tokenSecret must be at most 100 characters",
    ]);
  });

  it("normalizeNotionId returns null for anything that is not an id", () => {
    expect(normalizeNotionId(UNDASHED)).toBe(DASHED);
    expect(normalizeNotionId(` ${DASHED} `)).toBe(DASHED);
    expect(normalizeNotionId("1a2b3c4d5e6f-4788-9900-aabbccddeeff")).toBeNull();
    expect(normalizeNotionId("")).toBeNull();
  });
});
