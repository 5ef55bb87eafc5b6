// Applies a batchUpdate's requests in order to a copy of the document: all of them or, on the first refusal, none.

import { isRecord, type JsonObject } from "../../common/json";
import { GoogleApiError } from "../errors";
import type { DocumentModel } from "./model";
import { type ApplyContext, GapError, RequestError } from "./requests/context";
import { APPLIERS } from "./requests/index";

export interface AppliedBatch {
  doc: DocumentModel;
  replies: JsonObject[];
}

export function applyBatch(
  doc: DocumentModel,
  requests: readonly unknown[],
  env: Omit<ApplyContext, "doc">,
): AppliedBatch {
  const working = structuredClone(doc);
  const ctx: ApplyContext = { ...env, doc: working };
  const replies = requests.map((request, i) => {
    const entries = isRecord(request) ? Object.entries(request) : [];
    const [entry] = entries;
    if (entry === undefined || entries.length !== 1) {
      throw GoogleApiError.invalidArgument(`Invalid requests[${i}]: No request set.`, `requests[${i}]`);
    }
    const [kind, body] = entry;
    const applier = APPLIERS[kind];
    if (applier === undefined) {
      throw GoogleApiError.gap(
        `requests[${i}].${kind} is a Docs request kind the emulator does not implement`,
      );
    }
    try {
      return applier(ctx, isRecord(body) ? body : {}) ?? {};
    } catch (error) {
      if (error instanceof RequestError) {
        throw GoogleApiError.invalidArgument(
          `Invalid requests[${i}].${kind}: ${error.message}`,
          `requests[${i}]`,
        );
      }
      if (error instanceof GapError) throw GoogleApiError.gap(`requests[${i}].${kind}: ${error.message}`);
      throw error;
    }
  });
  return { doc: working, replies };
}
