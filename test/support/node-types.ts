// Every node type this package registers: the flow nodes and one credentials config node per
// provider. Tests that check each type (help, dialogs, the Flow Library's parse) take the list here.
import { providers } from "../../src/providers";

export const FLOW_NODE_TYPES = ["access-token", "access-token-request"];
export const CONFIG_NODE_TYPES = Object.values(providers).map((adapter) => adapter.configType);
export const NODE_TYPES = [...FLOW_NODE_TYPES, ...CONFIG_NODE_TYPES].sort();
