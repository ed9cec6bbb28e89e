// The contract between the router / fault layer and one vendor's handlers.
import type { SimState } from "./state";
import type { Reply, SimRequest } from "./types";

/** Token fields for a success sample: `null` leaves them (or, for API calls, `data`) out. */
export type SampleToken = { value: string; expiresIn: unknown } | null | undefined;

export interface ProviderModule {
  /** Answers a request the way the vendor does. */
  handle(state: SimState, req: SimRequest): Reply;
  /**
   * The success body of `req.endpoint`, built without side effects, for the faults that bend it
   * (truncated-json, missing-fields, token, reset, wrong-shape). `undefined` token: a random one.
   */
  sample(state: SimState, req: SimRequest, token: SampleToken): unknown;
  /** The vendor's own error shape for `code`. */
  vendorError(req: SimRequest, code: string | number, msg: string | undefined, httpStatus: number | undefined): Reply;
  /** The account a token served by a "token" fault should belong to (the caller's if known). */
  accountFor(state: SimState, req: SimRequest): string;
  /** Headers that carry a token served by a "token" fault, for a vendor that answers it in one (Huawei IAM). */
  tokenHeaders?(token: string): Record<string, string>;
}
