// Worker entry: the handlers of src/worker.ts on the real clock.
import { createWorker } from "./worker";

export default createWorker();
