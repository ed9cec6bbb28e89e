// The built-in vendors as the tests run them: src/providers' own list (a provider configured by a
// base URL, not a token URL) as far as the simulator models it. A vendor added to src/providers
// flows into every suite that loops over these once the simulator knows it; until then
// test/provider-coverage.test.ts fails and names it.
import { providers } from "../../src/providers";
import { PROVIDERS, type ProviderId } from "../simulator";

/** Every built-in vendor of src/providers, by id. */
export const SOURCE_VENDORS: readonly string[] = Object.values(providers)
  .filter((adapter) => adapter.form.urlProperty === "baseUrl")
  .map((adapter) => adapter.id);

/** The built-in vendors the simulator serves, in src/providers' order. */
export const VENDOR_IDS: readonly ProviderId[] = SOURCE_VENDORS.flatMap((id) =>
  PROVIDERS.filter((simulated) => simulated === id),
);

/** The vendor's name as messages say it. */
export const vendorName = (id: ProviderId): string => providers[id].vendor;
