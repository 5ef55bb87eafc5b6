// The Worker's bindings as wrangler.toml and `wrangler secret put` provide them.
// They are untrusted until src/env.ts has parsed them.
declare namespace Cloudflare {
  interface Env {
    DB: D1Database;
    ADMIN_TOKEN?: string;
    NOTION_TOKEN?: string;
    NOTION_API_BASE_URL?: string;
    NOTION_REQUESTS_PER_SECOND?: string;
    LOG_LEVEL?: string;
  }
}

type Env = Cloudflare.Env;

declare namespace Cloudflare {
  interface GlobalProps {
    mainModule: typeof import("../src/index");
  }
}
