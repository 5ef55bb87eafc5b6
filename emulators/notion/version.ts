// The Notion-Version the emulator speaks, and how it answers a request that names another. The Worker
// pins the same version (NOTION_API_VERSION in src/destinations/notion/client.ts); a test holds the two,
// and the SDK whose types the emulator validates against, equal, so none can move alone.
import { NotionApiError } from "./errors";

/** The one version whose shapes the emulator serves: data sources, as the SDK's types describe them. */
export const EMULATED_VERSION = "2025-09-03";

/**
 * Every version Notion accepts, as Notion lists them when it refuses one it does not know. A request
 * naming any other is a client's mistake Notion refuses too; one naming a listed version other than
 * EMULATED_VERSION is one Notion would serve and the emulator cannot, so it counts as an emulator gap.
 */
export const NOTION_VERSIONS: readonly string[] = [
  "2021-05-11",
  "2021-05-13",
  "2021-08-16",
  "2022-02-22",
  "2022-06-28",
  "2025-09-03",
  "2026-03-11",
];

/** Throws Notion's answer for a request whose Notion-Version header is missing or names a version it cannot serve. */
export function checkVersion(header: string | string[] | undefined): void {
  if (typeof header !== "string" || header === "") {
    throw new NotionApiError(
      400,
      "missing_version",
      "Notion-Version header failed validation: Notion-Version header should be defined, instead was `undefined`.",
    );
  }
  if (!NOTION_VERSIONS.includes(header)) {
    const listed = NOTION_VERSIONS.map((version) => `"${version}"`);
    throw NotionApiError.validation(
      `Notion-Version header failed validation: Notion-Version header should be ${listed.slice(0, -1).join(", ")}, or ${listed.at(-1)}, instead was "${header}".`,
    );
  }
  if (header !== EMULATED_VERSION) {
    throw NotionApiError.unsupported(`Notion-Version ${header} (it emulates ${EMULATED_VERSION} only)`);
  }
}
