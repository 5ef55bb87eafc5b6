// Worker entry: the handlers of src/worker.ts on the real clock.
import { createWorker } from "./worker";

export default createWorker();

// Durable Object classes must be exported by the Worker's entry module (wrangler.toml names them).
export { VendorPace } from "./pace/object";
