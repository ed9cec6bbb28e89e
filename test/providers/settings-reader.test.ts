// Reading a config node's properties into an adapter's settings, as units: each bad value is a
// config error naming the property (and the value, quoted), so the dialog can say what to fix.
import assert from "node:assert/strict";
import { TokenError } from "../../src/errors";
import type { ExpressionEvaluator } from "../../src/providers/expressions";
import { expressionMessage, SettingsReader } from "../../src/providers/settings";
import { baseUrlSetting, joinUrl } from "../../src/providers/url";

/** The config error a call throws: its key and params. */
function configError(call: () => unknown): { key: string; params: Record<string, unknown> } {
  try {
    call();
  } catch (err) {
    assert.ok(err instanceof TokenError, String(err));
    assert.equal(err.kind, "config");
    assert.equal(err.vendor, "V");
    return { key: err.key, params: err.params };
  }
  return assert.fail("expected a config error");
}

describe("SettingsReader", () => {
  const read = (config: Record<string, unknown>) => new SettingsReader("V", config);

  it("text: trimmed text, a number as text, anything else empty", () => {
    const reader = read({ a: "  x y  ", n: 30, b: true, o: { x: 1 }, z: null });
    assert.equal(reader.text("a"), "x y");
    assert.equal(reader.text("n"), "30");
    for (const name of ["b", "o", "z", "missing"]) assert.equal(reader.text(name), "");
  });

  it("required: the text, or a missing-field error naming the property", () => {
    assert.equal(read({ id: " c1 " }).required("id"), "c1");
    for (const config of [{}, { id: "   " }, { id: false }])
      assert.deepEqual(configError(() => read(config).required("id")).params.field, "id");
    assert.equal(configError(() => read({}).required("id")).key, "missing-field");
  });

  it("choice: empty is the first option, a listed one is kept, anything else names the value", () => {
    const options = ["body", "basic"] as const;
    assert.equal(read({}).choice("auth", options), "body");
    assert.equal(read({ auth: " basic " }).choice("auth", options), "basic");
    const error = configError(() => read({ auth: "Basic" }).choice("auth", options));
    assert.equal(error.key, "bad-setting");
    assert.deepEqual([error.params.field, error.params.value], ["auth", '"Basic"']);
  });

  it("seconds: empty is the fallback; a positive finite number of seconds, else an error", () => {
    assert.equal(read({}).seconds("t", 7), 7);
    assert.equal(read({ t: "1.5" }).seconds("t", 7), 1.5);
    assert.equal(read({ t: 30 }).seconds("t", 7), 30);
    for (const bad of ["0", "-1", "abc", "Infinity", "1e400"]) {
      const error = configError(() => read({ t: bad }).seconds("t", 7));
      assert.equal(error.key, "bad-setting", bad);
      assert.equal(error.params.value, JSON.stringify(bad));
    }
  });

  describe("expression", () => {
    const checked: string[] = [];
    const evaluator: ExpressionEvaluator = {
      check: (source) => {
        checked.push(source);
        if (source.includes("(")) throw { code: "S0203", message: "Expected ) before end of expression" };
      },
      evaluate: () => Promise.resolve(undefined),
    };
    it("empty is no expression, and is not checked", () => {
      assert.equal(read({ e: "  " }).expression("e", evaluator), undefined);
      assert.deepEqual(checked, []);
    });
    it("a valid one is checked now and kept, trimmed", () => {
      assert.equal(read({ e: " body.token " }).expression("e", evaluator), "body.token");
      assert.deepEqual(checked, ["body.token"]);
    });
    it("a syntax error names the property and gives JSONata's code and text", () => {
      const error = configError(() => read({ e: "$f(" }).expression("e", evaluator));
      assert.equal(error.key, "bad-expression");
      assert.deepEqual([error.params.field, error.params.detail], ["e", "S0203: Expected ) before end of expression"]);
    });
  });

  it("expressionMessage: JSONata's {code, message}, an Error, or anything else as text", () => {
    assert.equal(expressionMessage({ code: "T1", message: "m" }), "T1: m");
    assert.equal(expressionMessage({ message: "m" }), "m");
    assert.equal(expressionMessage({ code: 5, message: "m" }), "m", "a code that is no text is left out");
    assert.equal(expressionMessage(new Error("plain")), "plain");
    assert.equal(expressionMessage({ message: 5 }), "[object Object]");
    assert.equal(expressionMessage("text"), "text");
    assert.equal(expressionMessage(null), "null");
  });
});

describe("vendor URLs", () => {
  it("joinUrl drops the base's trailing slashes and whitespace, keeps a path prefix", () => {
    assert.equal(joinUrl(" https://h.example/ ", "/v1/x"), "https://h.example/v1/x");
    assert.equal(joinUrl("https://h.example/prefix//", "/v1/x"), "https://h.example/prefix/v1/x");
    assert.equal(joinUrl("https://h.example", "/v1/x"), "https://h.example/v1/x");
  });

  it("baseUrlSetting: trimmed, and a missing, blank or non-text one names baseUrl", () => {
    assert.equal(baseUrlSetting("V", { baseUrl: " https://h.example " }), "https://h.example");
    for (const config of [{}, { baseUrl: "  " }, { baseUrl: 5 }]) {
      const error = configError(() => baseUrlSetting("V", config));
      assert.deepEqual([error.key, error.params.field], ["missing-field", "baseUrl"]);
    }
  });
});
