// The suite frame's own sweep for leaks, shown to bite: a token the simulator issued, planted in a log
// line, fails it; so does every account secret in every shape; a message remembered as holding a
// token may hold one but no secret; an Error is read by its message, however deep. And the frame
// reads every level the runtime logs while a test runs, and a remembered value as it was then.
import assert from "node:assert/strict";
import { fetchToken } from "./support/fetch-token";
import { accountSecrets, demoCredentials, secretsOf } from "./support/flows";
import { helper } from "./support/node-red";
import { shapesOf } from "./support/secret-shapes";
import { assertNoLeaks, findLeaks, simulatorSuite, stringsIn } from "./support/simulator-suite";

describe("the suite frame's sweep for leaks", function () {
  this.timeout(20_000);
  const suite = simulatorSuite();

  /** A token the simulator really issued (the demo OneAccess account). */
  async function issuedToken(): Promise<string> {
    const { token } = await fetchToken("oneaccess", suite.sim.url, demoCredentials(suite.sim, "oneaccess"));
    assert.ok(suite.sim.issuedTokens().includes(token));
    return token;
  }

  it("fails when a log line holds a token the simulator issued, naming the line but not the token", async () => {
    const token = await issuedToken();
    const planted = { where: "log line 1 (warn)", value: { level: 30, msg: `calling with Bearer ${token}` } };
    const leaks = findLeaks(suite.sim, [planted]);
    assert.equal(leaks.length, 1, leaks.join("\n"));
    assert.match(leaks[0], /^a token the simulator issued surfaced in log line 1 \(warn\): .*Bearer <LEAK>/);
    assert.ok(!leaks[0].includes(token), "the failure does not print the token");
    assert.throws(() => assertNoLeaks(suite.sim, [planted]), /a secret or token leaked:\na token the simulator issued/);
    assert.doesNotThrow(() => assertNoLeaks(suite.sim, [{ where: "log line 1 (info)", value: "Started flows" }]));
  });

  it("knows every secret-like field of every account, the clouds' too, and finds each in every shape", () => {
    const names = accountSecrets(suite.sim).map((secret) => secret.name);
    for (const name of [
      "orionstar.secret",
      "enos.appSecret",
      "oneaccess.clientSecret",
      "oauth2.clientSecret",
      "homemade.appSecret",
      "tuya.accessSecret",
      "huawei-iam.password",
      "huawei-iam.secretKey",
      "thingsboard.password",
      "ezviz.appSecret",
      "hikvision-artemis.appSecret",
      "aliyun-iot.accessKeySecret",
    ]) {
      assert.ok(names.includes(name), `${name} is swept (swept: ${names.join(", ")})`);
    }
    for (const { name, value } of accountSecrets(suite.sim)) {
      for (const shape of shapesOf(value)) {
        assert.ok(secretsOf(suite.sim).includes(shape));
        const leaks = findLeaks(suite.sim, [
          { where: "log line 2 (error)", value: { level: 20, msg: `x ${shape} y` } },
        ]);
        assert.ok(
          leaks.some((leak) => leak.startsWith(`the secret ${name}`)),
          `${name} in the shape ${JSON.stringify(shape)}`,
        );
      }
    }
    assert.ok(!names.some((name) => /\.(appKey|clientId|appid|accessKey|accessKeyId|userName)$/.test(name)));
  });

  it("a value remembered as holding a token may hold one, but no secret; a forbidden value is found as given", async () => {
    const token = await issuedToken();
    const msg = { payload: 1, token, headers: { Authorization: `Bearer ${token}` } };
    assert.deepEqual(findLeaks(suite.sim, [{ where: "remembered value 1", value: msg, tokenAllowed: true }]), []);
    assert.equal(
      findLeaks(suite.sim, [{ where: "remembered value 1", value: msg }]).length,
      2,
      "msg.token and the header",
    );
    const secret = suite.sim.accounts.tuya.accessSecret;
    const withSecret = { ...msg, error: new Error(`refused ${secret}`) };
    assert.equal(
      findLeaks(suite.sim, [{ where: "remembered value 1", value: withSecret, tokenAllowed: true }]).length,
      2,
    );
    assert.equal(findLeaks(suite.sim, [{ where: "x", value: "a wrong one" }], ["wrong"]).length, 1);
  });

  it("reads an Error's message, stack and cause, Buffers, Map and Set entries, keys, and survives cycles and throwing getters", () => {
    const cause = new Error("the cause");
    const error = Object.assign(new Error("the message", { cause }), { code: "the code" });
    const cyclic: Record<string, unknown> = {
      buffer: Buffer.from("in a buffer"),
      map: new Map([["map key", "map value"]]),
    };
    cyclic.self = cyclic;
    cyclic.set = new Set(["in a set"]);
    Object.defineProperty(cyclic, "throws", {
      enumerable: true,
      get() {
        throw new Error("no");
      },
    });
    const strings = stringsIn({ error, cyclic, "a key": 1 });
    for (const text of [
      "the message",
      "the cause",
      "the code",
      "in a buffer",
      "map key",
      "map value",
      "in a set",
      "a key",
    ]) {
      assert.ok(strings.includes(text), text);
    }
    assert.ok(
      strings.some((text) => text.startsWith("Error: the message\n")),
      "the stack",
    );
    assert.equal(JSON.stringify(error), '{"code":"the code"}', "what JSON alone would have read");
  });

  it("sweeps every level the runtime logs while a test runs, from the runtime and from nodes", async () => {
    await helper.load(
      [],
      [
        { id: "tab1", type: "tab", label: "t" },
        { id: "n", type: "helper", z: "tab1" },
      ],
    );
    const log = helper._RED.log as Record<string, (msg: unknown) => void>;
    for (const level of ["trace", "debug", "info", "warn", "error"]) log[level](`planted at ${level}`);
    helper.getNode("n").warn("a node's warning");
    helper.getNode("n").error(new Error("a node's error"));
    const swept = suite.checked();
    for (const text of ["trace", "debug", "info", "warn", "error"].map((level) => `planted at ${level}`)) {
      assert.ok(
        swept.some((entry) => stringsIn(entry.value).includes(text)),
        `${text} is swept`,
      );
    }
    assert.ok(
      swept.some(
        (entry) => /^log line \d+ \(warn\)$/.test(entry.where) && stringsIn(entry.value).includes("a node's warning"),
      ),
    );
    assert.ok(swept.some((entry) => stringsIn(entry.value).includes("a node's error")));
    const msg: Record<string, unknown> = { payload: "remembered" };
    assert.equal(suite.remember(msg), msg);
    msg.payload = "changed later by a node it was handed to";
    const last = suite.checked().at(-1);
    assert.equal(last?.where, "remembered value 1");
    assert.deepEqual(stringsIn(last?.value), ["payload", "remembered"], "read as it was when remembered");
  });
});
