// Owns what a pair id may be: it names the pair in URLs, D1 keys and Notion's pair property, so it is
// kept to a shape every one of them takes as it is. Apart from the pair's schema so that tools which
// cannot load the bundled templates (the set-up script) check ids by the same rule.
import * as z from "zod";

export const pairIdSchema = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]{0,62}$/,
    "must be 1-63 lower-case letters, digits or dashes, starting alphanumeric",
  );
