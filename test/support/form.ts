// A provider's dialog properties as the adapter tests read them.
import type { FormProperty } from "../../src/providers/types";

/** The properties by name, and each one's [default, required]. */
export function formOf(adapter: { form: { properties?: readonly FormProperty[] } }): {
  byName: Record<string, FormProperty>;
  defaults: Record<string, [FormProperty["default"], boolean]>;
} {
  const properties = adapter.form.properties ?? [];
  return {
    byName: Object.fromEntries(properties.map((property) => [property.name, property])),
    defaults: Object.fromEntries(properties.map((property) => [property.name, [property.default, property.required]])),
  };
}
