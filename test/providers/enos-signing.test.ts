// EnOS request signing end to end, in a real Node-RED runtime: get token (enos) -> the core
// http request node -> the simulator, which recomputes every signature from the bytes it receives
// (sha256(token + sorted params + body + timestamp + appSecret)). A wrong signature there is a 401,
// so each test below fails if the node signs something other than what the http request node sends.
import assert from "node:assert/strict";
import { at, configNode, delay, demoCredentials, getTokenNode, nextMessage } from "../support/flows";
import { accessTokenNodes, CORE, coreNode, helper } from "../support/node-red";
import { simulatorSuite } from "../support/simulator-suite";

const NODES = [accessTokenNodes, coreNode(CORE.httpRequest), coreNode(CORE.catch), coreNode(CORE.change)];

/** get token -> getWires (http request and the "signed" helper); http request -> out; catch -> caught. */
function signingFlow(
  baseUrl: string,
  extra: Record<string, unknown>[],
  getWires: string[][],
): Record<string, unknown>[] {
  return [
    { id: "tab1", type: "tab", label: "signing" },
    configNode("enos", baseUrl),
    getTokenNode({ provider: "enos", wires: getWires }),
    {
      id: "http",
      type: "http request",
      z: "tab1",
      name: "",
      // "use": msg.method decides, the same method the node signed; no URL: msg.url is used.
      method: "use",
      ret: "obj",
      paytoqs: "ignore",
      url: "",
      tls: "",
      persist: false,
      proxy: "",
      insecureHTTPParser: false,
      authType: "",
      senderr: false,
      headers: [],
      wires: [["out"]],
      ...at(),
    },
    { id: "signed", type: "helper", z: "tab1", ...at() },
    { id: "out", type: "helper", z: "tab1", ...at() },
    { id: "catch", type: "catch", z: "tab1", scope: null, uncaught: false, wires: [["caught"]], ...at() },
    { id: "caught", type: "helper", z: "tab1", ...at() },
    ...extra,
  ];
}

describe("EnOS signing through the core http request node", function () {
  this.timeout(20_000);
  const suite = simulatorSuite();
  const enos = () => suite.sim.accounts.enos;

  async function load(extra: Record<string, unknown>[] = [], getWires = [["http", "signed"]]): Promise<void> {
    await helper.load(NODES, signingFlow(suite.sim.url, extra, getWires), { cfg: demoCredentials(suite.sim, "enos") });
  }

  /** Sends msg into get token; resolves with what get token emitted and what the API answered. */
  async function call(
    msg: Record<string, unknown>,
    entry = "get",
  ): Promise<{ signed: Record<string, any>; out: Record<string, any> }> {
    const signed = nextMessage("signed");
    const out = nextMessage("out");
    helper.getNode(entry).receive(msg);
    return { signed: await signed, out: await out };
  }

  function headerNames(headers: Record<string, unknown>, name: string): string[] {
    return Object.keys(headers).filter((key) => key.toLowerCase() === name);
  }

  it("signs a GET with a query (parameters out of order)", async () => {
    await load();
    // Unsorted on purpose: the signature sorts by name, the URL keeps the caller's order.
    const url = `${suite.sim.url}/asset-service/v2.1/assets?orgId=${enos().orgId}&action=get&assetId=${enos().assetId}`;
    const { signed, out } = await call({ url, method: "GET" });
    assert.match(signed.headers["apim-signature"], /^[0-9a-f]{64}$/);
    assert.equal(out.statusCode, 200, JSON.stringify(out.payload));
    assert.equal(out.payload.code, 0, out.payload.msg);
    assert.equal(out.payload.data.assetId, enos().assetId);
    assert.equal(suite.sim.count("enos.asset"), 1);
  });

  it("signs a POST with a JSON object body, sent as the JSON text that was signed", async () => {
    await load();
    const url = `${suite.sim.url}/connect-service/v2.1/devices?action=search&orgId=${enos().orgId}`;
    const { signed, out } = await call({ url, method: "POST", payload: { pagination: { pageNo: 2, pageSize: 5 } } });
    assert.equal(signed.payload, '{"pagination":{"pageNo":2,"pageSize":5}}');
    assert.equal(signed.headers["content-type"], "application/json");
    assert.equal(out.payload.code, 0, out.payload.msg);
    assert.deepEqual(out.payload.pagination, { pageNo: 2, pageSize: 5, totalSize: 12, sortedBy: null });
    assert.equal(out.payload.data.length, 5);
    assert.equal(suite.sim.count("enos.device_search"), 1);
  });

  it("signs non-ASCII values in the query and the body (raw and percent-encoded)", async () => {
    await load();
    // Raw UTF-8, an already percent-encoded value, a space, a "+" (a space in a query), a non-ASCII name.
    const query = `action=search&orgId=${enos().orgId}&site=北京 站&city=%E4%B8%8A%E6%B5%B7&note=a+b&名称=逆变器`;
    const url = `${suite.sim.url}/connect-service/v2.1/devices?${query}`;
    const payload = { pagination: { pageNo: 1, pageSize: 3 }, filter: { name: "Wechselrichter Ü – 逆变器 😀" } };
    const { signed, out } = await call({ url, method: "POST", payload });
    assert.equal(Buffer.byteLength(signed.payload), Buffer.byteLength(JSON.stringify(payload)));
    assert.ok(signed.payload.includes("逆变器 😀"), "the body is UTF-8 text, not \\u escapes");
    assert.equal(out.statusCode, 200, JSON.stringify(out.payload));
    assert.equal(out.payload.code, 0, out.payload.msg);
    assert.equal(out.payload.data.length, 3);
  });

  it("signs a form-urlencoded object body as the form text the http request node sends", async () => {
    await load();
    const url = `${suite.sim.url}/connect-service/v2.1/devices?action=search&orgId=${enos().orgId}`;
    const headers = { "content-type": "application/x-www-form-urlencoded" };
    const payload = { pageNo: 1, note: "a b&c=d+é" };
    const { signed, out } = await call({ url, method: "POST", headers, payload });
    // Written out by hand: the form encoding of the object, not its JSON.
    assert.equal(signed.payload, "pageNo=1&note=a%20b%26c%3Dd%2B%C3%A9");
    assert.equal(signed.headers["content-type"], "application/x-www-form-urlencoded");
    // The simulator checks the signature before the body: this search takes JSON only, so a correctly
    // signed form body gets past the signature (no 401) to be refused as "not a JSON object".
    assert.notEqual(out.statusCode, 401, JSON.stringify(out.payload));
    assert.match(out.payload.msg, /request body is not a JSON object/);
    assert.equal(suite.sim.count("enos.device_search"), 1);
  });

  it("signs a string payload byte for byte, keeping the caller's content-type header", async () => {
    await load();
    const url = `${suite.sim.url}/connect-service/v2.1/devices?action=search&orgId=${enos().orgId}`;
    // Spacing a JSON.stringify would not produce: only the exact string verifies.
    const body = '{ "pagination" : { "pageNo" : 3, "pageSize" : 4 } }\n';
    const { signed, out } = await call({
      url,
      method: "post",
      payload: body,
      headers: { "Content-Type": "application/json" },
    });
    assert.equal(signed.payload, body);
    assert.deepEqual(headerNames(signed.headers, "content-type"), ["Content-Type"]);
    assert.equal(out.payload.code, 0, out.payload.msg);
    assert.equal(out.payload.pagination.pageNo, 3);
    assert.deepEqual(
      out.payload.data.map((d: { deviceKey: string }) => d.deviceKey),
      ["dev_008", "dev_009", "dev_010", "dev_011"],
    );
  });

  it("re-signs a retried message that already has apim headers, with no duplicates", async () => {
    await load();
    const url = `${suite.sim.url}/asset-service/v2.1/assets?action=get&orgId=${enos().orgId}&assetId=${enos().assetId}`;
    const first = await call({ url, method: "GET" });
    await delay(5); // a later timestamp, so the new signature differs
    // The same request again, its old headers in other spellings, plus a header of the caller's.
    const stale = {
      "APIM-AccessToken": first.signed.headers["apim-accesstoken"],
      "Apim-Timestamp": first.signed.headers["apim-timestamp"],
      "apim-signature": first.signed.headers["apim-signature"],
      "x-trace": "t1",
    };
    const { signed, out } = await call({
      url,
      method: "GET",
      headers: stale,
      refreshToken: true,
      token: first.signed.token,
    });
    for (const name of ["apim-accesstoken", "apim-timestamp", "apim-signature"]) {
      assert.deepEqual(headerNames(signed.headers, name), [name], `one ${name} header`);
    }
    assert.equal(signed.headers["x-trace"], "t1");
    assert.notEqual(signed.headers["apim-signature"], first.signed.headers["apim-signature"]);
    assert.equal(out.payload.code, 0, out.payload.msg);
    assert.equal(suite.sim.count("enos.asset"), 2);
  });

  it("re-signs a message coming back from the http request node (its response headers are not sent)", async () => {
    // The retry loop of the examples: http request -> change (msg.refreshToken) -> get token again.
    const retry = {
      id: "retry",
      type: "change",
      z: "tab1",
      rules: [{ t: "set", p: "refreshToken", pt: "msg", to: "true", tot: "bool" }],
      wires: [["get"]],
      ...at(),
    };
    await load([retry]);
    const url = `${suite.sim.url}/asset-service/v2.1/assets?action=get&orgId=${enos().orgId}&assetId=${enos().assetId}`;
    const first = await call({ url, method: "GET" });
    assert.equal(first.out.payload.code, 0, first.out.payload.msg);
    assert.ok(first.out.headers["content-length"], "msg.headers now holds the response headers");
    await delay(5);
    const { signed, out } = await call(first.out, "retry");
    assert.equal(signed.headers["content-length"], undefined, "a response header is not sent as a request header");
    assert.equal(out.statusCode, 200, JSON.stringify(out.payload));
    assert.equal(out.payload.code, 0, out.payload.msg);
    assert.equal(suite.sim.count("enos.token"), 2);
  });

  it("a body changed after signing is refused (the simulator really checks)", async () => {
    const tamper = {
      id: "tamper",
      type: "change",
      z: "tab1",
      rules: [{ t: "set", p: "payload", pt: "msg", to: '{"pagination":{"pageNo":1,"pageSize":6}}', tot: "str" }],
      wires: [["http"]],
      ...at(),
    };
    await load([tamper], [["tamper", "signed"]]);
    const url = `${suite.sim.url}/connect-service/v2.1/devices?action=search&orgId=${enos().orgId}`;
    const { out } = await call({ url, method: "POST", payload: { pagination: { pageNo: 1, pageSize: 5 } } });
    assert.equal(out.statusCode, 401);
    assert.match(out.payload.msg, /invalid signature/);
  });

  it("without msg.url, the message goes to Catch with an error naming msg.url", async () => {
    await load();
    let sent = 0;
    helper.getNode("signed").on("input", () => sent++);
    const caught = nextMessage("caught");
    helper.getNode("get").receive({ method: "GET", payload: "p" });
    const error = await caught;
    assert.match(error.error.message, /msg\.url/);
    assert.equal(error.error.source.id, "get");
    assert.equal(error.payload, "p");
    await delay(50);
    assert.equal(sent, 0);
    assert.equal(suite.sim.count("enos.asset") + suite.sim.count("enos.device_search"), 0);
  });
});
