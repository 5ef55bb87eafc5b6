// The JSON Schemas generated from the vendors' own types (see generate-vendor-schemas.ts), compiled
// once for every payload test: Slack blocks against @slack/types' `KnownBlock`, Discord bodies against
// discord-api-types' `RESTPostAPIWebhookWithTokenJSONBody`. Each check lists what fails, empty when valid.
import Ajv from "ajv";
import discordSchema from "./discord-webhook-body.schema.json";
import slackSchema from "./slack-known-block.schema.json";

// Not strict: the generator emits annotations ajv does not know.
const ajv = new Ajv({ strict: false, allErrors: true });
const validateSlackBlock = ajv.compile({
  $ref: "#/definitions/KnownBlock",
  definitions: slackSchema.definitions,
});
const validateDiscordBody = ajv.compile({
  $ref: "#/definitions/RESTPostAPIWebhookWithTokenJSONBody",
  definitions: discordSchema.definitions,
});

/** Why each block fails Slack's `KnownBlock` schema. */
export function slackBlockProblems(blocks: readonly unknown[]): string[] {
  return blocks.flatMap((block, index) =>
    validateSlackBlock(block) ? [] : [`block ${index}: ${ajv.errorsText(validateSlackBlock.errors)}`],
  );
}

/** Why a body fails Discord's webhook body schema. */
export function discordBodyProblems(body: unknown): string[] {
  return validateDiscordBody(body) ? [] : [ajv.errorsText(validateDiscordBody.errors)];
}

export const schemaVersions = {
  slackTypes: slackSchema.slackTypesVersion,
  discordApiTypes: discordSchema.discordApiTypesVersion,
  generator: { slack: slackSchema.generatorVersion, discord: discordSchema.generatorVersion },
};
