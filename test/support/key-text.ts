// A Translate for unit suites: a text is its catalog key and its parameters, so each assertion says
// which catalog entry (and which values) the text came from.
import type { Translate } from "../../src/nodes/translate";

export const keyText: Translate = (key, params) => (params ? `${key} ${JSON.stringify(params)}` : key);
