// A preset: one IoT cloud written as the custom provider's fields. Data only, read by the editor
// (the dialog's "Start from" fills the fields in, which stay editable), by the docs and by the
// tests; the runtime reads a node's fields alone, whatever preset it was started from.
import type { PresetId } from "../preset-ids";
import type { PageConvention } from "../types";

/** One of the vendor's regions (data centers): where its token endpoint and its API are. */
export interface PresetRegion {
  /** "" for a vendor without a token endpoint (every call signed). */
  readonly tokenUrl: string;
  readonly apiUrl: string;
}

export interface Preset {
  readonly id: PresetId;
  /** The vendor's name as users know it. */
  readonly vendor: string;
  /**
   * The custom provider's properties this vendor needs (src/providers/custom-settings.ts), as the
   * dialog fills them in; every other property keeps its default. No tokenUrl or apiUrl: the region gives them.
   */
  readonly fields: Readonly<Record<string, string | number>>;
  /** Region name -> its URLs; the first is the default. Names have labels: custom-token-credentials.preset.<id>.region.<name>. */
  readonly regions: Readonly<Record<string, PresetRegion>>;
  /** The names `params` must give (Huawei's domain and project): the dialog asks for each; the expressions read $params.<name>. */
  readonly params: readonly string[];
  /** How the vendor's list calls page (the api request node's `paginate: preset`): ../preset-pagination.ts. */
  readonly pagination: PageConvention;
  /** A list call of the vendor, for the examples and tests: method and path (query included). */
  readonly listCall: { readonly method: "GET" | "POST"; readonly path: string };
}
