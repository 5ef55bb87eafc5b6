// The Worker's bindings as wrangler.toml and `wrangler secret put` provide them.
// They are untrusted until src/env.ts has parsed them.
declare namespace Cloudflare {
  interface Env {
    DB: D1Database;
    PACE?: DurableObjectNamespace<import("../src/pace/object").VendorPace>;
    WORK_QUEUE?: Queue<import("../src/jobs/work").WorkMessage>;
    DEAD_LETTER_QUEUE?: string;
    ADMIN_TOKEN?: string;
    NOTION_TOKEN?: string;
    NOTION_WEBHOOK_VERIFICATION_TOKEN?: string;
    NOTION_API_BASE_URL?: string;
    NOTION_REQUESTS_PER_SECOND?: string;
    GOOGLE_SERVICE_ACCOUNT_KEY?: string;
    GOOGLE_TOKEN_URL?: string;
    GOOGLE_DOCS_API_BASE_URL?: string;
    GOOGLE_DRIVE_API_BASE_URL?: string;
    GOOGLE_DOCS_READS_PER_MINUTE?: string;
    GOOGLE_DOCS_WRITES_PER_MINUTE?: string;
    LOG_LEVEL?: string;
    ALLOW_PRIVATE_DIGEST_HOSTS?: string;
    MEETING_CLAIM_LEASE_SECONDS?: string;
    WORK_RETRY_FIRST_DELAY_SECONDS?: string;
    ACCESS_TEAM_DOMAIN?: string;
    ACCESS_AUD?: string;
    DELIVERY_CLAIM_LEASE_SECONDS?: string;
  }
}

type Env = Cloudflare.Env;

declare namespace Cloudflare {
  interface GlobalProps {
    mainModule: typeof import("../src/index");
  }
}
