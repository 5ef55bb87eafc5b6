// The layers of src/, and no import cycles in src/, scripts/, test/ or emulators/: checked by `npm test`
// (`depcruise src scripts test emulators`). The shape of src/, top to bottom (the README's code map):
//   index.ts, worker.ts, runtime.ts, env.ts   the entry and the wiring
//   app/, console/                            HTTP: the admin API and the console
//   jobs/                                     the work: plan, prepare, sync, send
//   store/, notify/                           D1; the digest channels
//   config/                                   the pair's full schema, composed from the layers below
//   destinations/ (+ pace/), templates/       the vendors' documents; the agenda templates
//   domain/, lib/                             pure logic; small tools
// A layer imports only layers below it (not every one of them); app/ and console/ share the HTTP helpers,
// and pace/ throws the destinations' error type. Type-only imports count: a type from
// a higher layer ties a lower one to its meaning as much as a value does; they count for cycles too.

/** Folders of src/ as a path pattern. */
const under = (...folders) => `^src/(${folders.join("|")})/`;

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment:
        "Modules that import each other cannot be read, tested or moved one at a time; a cycle also " +
        "makes import order decide what is initialised. Put what both need in a module of its own.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "domain-imports-domain-and-lib",
      comment:
        "domain/ is the pure logic (agenda model, schedules, carry-forward, channels): it must not know " +
        "about vendors, storage, templates or the pair's composed config, so it can be read and tested alone.",
      severity: "error",
      from: { path: under("domain") },
      to: { path: "^src/", pathNot: under("domain", "lib") },
    },
    {
      name: "lib-imports-lib",
      comment: "lib/ holds small tools (logging, retry, rate limit, pool) that know nothing of the product.",
      severity: "error",
      from: { path: under("lib") },
      to: { path: "^src/", pathNot: under("lib") },
    },
    {
      name: "templates-import-domain-and-lib",
      comment: "Templates read Markdown into the domain's agenda model; nothing else.",
      severity: "error",
      from: { path: under("templates") },
      to: { path: "^src/", pathNot: under("templates", "domain", "lib") },
    },
    {
      name: "config-imports-below",
      comment:
        "config/ composes the schemas of the layers below it (a destination, a template, the pair's " +
        "domain fields) into the one gate every pair passes; it never reaches up to jobs or HTTP.",
      severity: "error",
      from: { path: under("config") },
      to: { path: "^src/", pathNot: under("config", "destinations", "templates", "domain", "lib") },
    },
    {
      name: "store-imports-domain-lib-and-config",
      comment:
        "store/ is D1 only. It reads stored pairs back through config's schema (the same gate as the " +
        "admin API) and knows no vendor, channel or job.",
      severity: "error",
      from: { path: under("store") },
      to: { path: "^src/", pathNot: under("store", "config", "domain", "lib") },
    },
    {
      name: "destinations-import-domain-lib-and-pace",
      comment:
        "A destination writes the domain's agenda to one vendor, paced by pace/; it knows no storage, " +
        "channel or job, so both destinations pass one contract suite over in-memory fakes.",
      severity: "error",
      from: { path: under("destinations") },
      to: { path: "^src/", pathNot: under("destinations", "pace", "domain", "lib") },
    },
    {
      name: "pace-imports-lib-and-the-destination-error",
      comment:
        "pace/ is the request pace per vendor account that destinations call. It throws the " +
        "destinations' retryable error type, so their callers handle a pace outage like a vendor's.",
      severity: "error",
      from: { path: under("pace") },
      to: { path: "^src/", pathNot: [under("pace", "lib"), "^src/destinations/types\\.ts$"] },
    },
    {
      name: "notify-imports-domain-and-lib",
      comment:
        "notify/ lays digests out per channel and sends them (signing, email); it knows no vendor " +
        "document, template or job. Its imports of the store are a separate rule, below.",
      severity: "error",
      from: { path: under("notify") },
      to: { path: "^src/", pathNot: under("notify", "store", "domain", "lib") },
    },
    {
      name: "notify-not-store",
      comment:
        "notify/ lays digests out and sends one delivery; the outbox's claim, send and record loop over " +
        "the store is a job (jobs/deliver.ts), and outbox rows are typed by the domain's channel names.",
      severity: "error",
      from: { path: under("notify") },
      to: { path: under("store") },
    },
    {
      name: "jobs-not-http",
      comment: "Jobs run from the cron, the queue and the admin API alike; they never depend on HTTP.",
      severity: "error",
      from: { path: under("jobs") },
      to: { path: under("app", "console") },
    },
    {
      name: "console-mounted-by-app-index",
      comment:
        "The console is mounted by the app's entry alone; the admin API's routes stay apart from its pages.",
      severity: "error",
      from: { path: under("app"), pathNot: "^src/app/index\\.ts$" },
      to: { path: under("console") },
    },
    {
      name: "nothing-imports-the-entry",
      comment: "index.ts and worker.ts are where the Worker starts; importing them from inside is a cycle.",
      severity: "error",
      from: { path: "^src/", pathNot: "^src/index\\.ts$" },
      to: { path: "^src/(index|worker)\\.ts$" },
    },
    {
      name: "src-not-to-tests-or-scripts",
      comment: "The Worker ships src/ alone; the tests, emulators and scripts are built around it.",
      severity: "error",
      from: { path: "^src/" },
      to: { path: "^(test|scripts|emulators)/" },
    },
    {
      name: "emulators-stand-alone",
      comment:
        "The emulators serve npm start, the bench and the tests alike; they are the vendors, not our code " +
        "nor its tests, so they import neither.",
      severity: "error",
      from: { path: "^emulators/" },
      to: { path: "^(src|test|scripts)/" },
    },
    {
      name: "not-to-unresolvable",
      comment: "An import that does not resolve is a typo or a missing package.",
      severity: "error",
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // Type-only imports are dependencies too (see the header).
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    doNotFollow: { path: "node_modules" },
    // `cloudflare:workers` and `cloudflare:sockets` are workerd's built-ins, not files.
    exclude: { path: "^cloudflare:" },
    // Packages resolve through their "exports" (hono/jsx, chrono-node/en), as TypeScript and wrangler do.
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      mainFields: ["module", "main", "types", "typings"],
      extensions: [".ts", ".tsx", ".d.ts", ".js", ".mjs", ".cjs", ".json"],
    },
  },
};
