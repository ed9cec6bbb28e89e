// The expression language the custom provider is described in (JSONata), as an interface: the
// Node-RED side implements it over RED.util (src/nodes/jsonata.ts), so this directory stays free of
// Node-RED and the editor's expression editor evaluates exactly what the runtime does.

export interface ExpressionEvaluator {
  /** Throws an Error with the language's own message when the source does not parse. */
  check(source: string): void;
  /** The value of the expression over `input`, with `bindings` as $name variables and functions. */
  evaluate(source: string, input: unknown, bindings: Readonly<Record<string, unknown>>): Promise<unknown>;
}
