// Node-RED's own JSONata evaluator (the runtime's RED.util), for adapter tests outside a runtime.
import { jsonataEvaluator, type JsonataUtil } from "../../src/nodes/jsonata";
import type { ExpressionEvaluator } from "../../src/providers/expressions";
import { nodeRedPath } from "./node-red";

// eslint-disable-next-line @typescript-eslint/no-require-imports -- @node-red/util of the Node-RED under test, untyped
export const { util: jsonataUtil } = require(require.resolve("@node-red/util", { paths: [nodeRedPath] })) as {
  util: JsonataUtil;
};

export const expressionEvaluator: ExpressionEvaluator = jsonataEvaluator(jsonataUtil, {});
