// The Notion destination passes the shared destination contract against the Notion emulator.
import { inject } from "vitest";
import { notionControl } from "../../../emulators/notion/control";
import { createNotionClient } from "../../../src/destinations/notion/client";
import { notionDestinationSchema } from "../../../src/destinations/notion/config";
import { createNotionDestination } from "../../../src/destinations/notion/destination";
import { describeDestinationContract } from "../contract";

const url = inject("notionUrl");
const emu = notionControl(url);

describeDestinationContract("Notion", async () => {
  const { token } = await emu.createIntegration({ requestsPerSecond: null });
  const owner = await emu.createUser({ name: "Ada Manager", email: "ada@example.com" });
  const db = await emu.seedDatabase(token, {
    title: "1:1s",
    properties: { Name: { type: "title" }, Date: { type: "date" }, Pair: { type: "rich_text" } },
  });
  const client = createNotionClient({ token, baseUrl: url, requestsPerSecond: 1000 });
  // Pairs share a data source only when each marks its pages with a pair property.
  const config = notionDestinationSchema.parse({
    kind: "notion",
    dataSourceId: db.dataSourceId,
    pairProperty: { name: "Pair" },
  });
  return {
    destination: createNotionDestination({ client, config, pairId: "contract" }),
    neighbour: (pairId) => createNotionDestination({ client, config, pairId }),
    owner: { userId: owner.id, name: owner.name },
    async markDone(ref, label) {
      const tree = await emu.blockTree(ref.id);
      const block = tree.find(
        (node) =>
          node.type === "to_do" &&
          node.to_do.rich_text
            .map((item) => item.plain_text)
            .join("")
            .startsWith(label),
      );
      if (!block) throw new Error(`no to-do "${label}" in ${ref.id}`);
      await emu.tickTodo(block.id, true);
    },
  };
});
