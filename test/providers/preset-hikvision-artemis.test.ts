// The Hikvision Artemis preset (src/providers/presets/hikvision-artemis.ts): its sign expression
// reproduces the two signatures of the vendor page's check values through the real custom
// provider, agrees with the simulator's reference signer on query and form parameters, and in a
// real Node-RED runtime against the simulator over real HTTP every call is signed without a token,
// verified, paged to the end, and refused with the gateway's own words at Catch when the secret is
// wrong; get token says these credentials have no token.
import assert from "node:assert/strict";
import { custom } from "../../src/providers/custom";
import { presets } from "../../src/providers/presets";
import type { VendorRequest } from "../../src/providers/types";
import { ARTEMIS_CAMERA_COUNT } from "../simulator/cloud-data";
import {
  artemisSignature,
  artemisSignedHeaderNames,
  artemisStringToSign,
} from "../simulator/hikvision-artemis-signing";
import { rejection } from "../support/custom-adapter";
import { expressionEvaluator } from "../support/expressions";
import { apiFlow, basicFlow, nextMessage, statuses } from "../support/flows";
import { accessTokenNodes, CORE, coreNode, helper } from "../support/node-red";
import { walkPages } from "../support/preset-pages";
import { docsPage, missingCatalogKeys, presetConfig, presetText } from "../support/presets";
import { shapesOf } from "../support/secret-shapes";
import { logged, simulatorSuite } from "../support/simulator-suite";

const preset = presets["hikvision-artemis"];
const NODES = [accessTokenNodes, coreNode(CORE.catch)];

async function signed(
  credentials: { key: string; secret: string },
  request: Omit<VendorRequest, "purpose">,
): Promise<VendorRequest> {
  const settings = custom.settings({ ...preset.fields, tokenUrl: "" }, expressionEvaluator);
  return custom.bind(settings, credentials).authorize({ purpose: "api", ...request }, undefined, 0);
}

describe("preset hikvision-artemis (Hikvision Artemis)", function () {
  this.timeout(30_000);

  it("its credentials, regions, parameters and help are labelled in every language, in the vendor's words", () => {
    assert.deepEqual(missingCatalogKeys(preset), []);
    assert.equal(presetText(preset, "en-US", "key"), "AppKey");
    assert.equal(presetText(preset, "en-US", "secret"), "AppSecret");
  });

  it("its docs show the preset's sign as it is", () => {
    for (const page of [docsPage("vendors/hikvision-artemis.md")])
      assert.ok(page.includes(String(preset.fields.sign)), "the sign expression, verbatim");
  });

  describe("the signatures of the vendor page, made by the preset's sign", () => {
    // The page's camera list request: AppKey 12345678, its timestamp and nonce as the request's stamp.
    const credentials = { key: "12345678", secret: "0123456789abcdefghij" };
    const cameras = {
      method: "POST",
      url: "https://192.168.1.10/artemis/api/resource/v1/cameras",
      body: '{"pageNo":1,"pageSize":20}',
      stamp: { timestamp: 1700000000000, nonce: "b2d3e0f4-5a6b-4c7d-8e9f-0a1b2c3d4e5f" },
    };

    it("the x-ca-key, x-ca-nonce, x-ca-timestamp signature: the example request's headers, to the letter", async () => {
      const sent = await signed(credentials, { ...cameras, headers: { "Content-Type": "application/json" } });
      assert.deepEqual(sent.headers, {
        Accept: "*/*",
        "Content-Type": "application/json",
        "X-Ca-Key": "12345678",
        "X-Ca-Timestamp": "1700000000000",
        "X-Ca-Nonce": "b2d3e0f4-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
        "X-Ca-Signature-Headers": "x-ca-key,x-ca-nonce,x-ca-timestamp",
        "X-Ca-Signature": "IXO4Lh1ElO6XpfVXkP0a226H6kJib2NlHLFjTL6LSbs=",
      });
      assert.equal(sent.body, cameras.body, "the JSON body is sent as it was (no Content-MD5, as the SDK)");
      assert.equal(sent.url, cameras.url);
    });

    it("the minimal variant (a message listing no signed header): X-Ca-Key alone, signed over the method, Accept, Content-Type and path", async () => {
      const sent = await signed(credentials, {
        ...cameras,
        headers: { "Content-Type": "application/json", "X-Ca-Signature-Headers": "" },
      });
      assert.equal(sent.headers["X-Ca-Signature"], "lp+TqH2Oasmr2jyF+JkUMeYGv06o2ioSs46zsefOmF0=");
      assert.equal(sent.headers["X-Ca-Key"], "12345678");
      assert.ok(!("X-Ca-Nonce" in sent.headers) && !("X-Ca-Timestamp" in sent.headers), "nothing unsigned is added");
    });

    it("query and form parameters, a Content-MD5 and the message's own X-Ca-* header, as the simulator's reference signer signs them", async () => {
      const sent = await signed(credentials, {
        method: "POST",
        url: "https://platform.example/artemis/api/demo?b=2&a=&a=1&%C3%A9=%2F",
        headers: { "content-type": "application/x-www-form-urlencoded", "Content-MD5": "abc==", "X-Ca-Stage": "TEST" },
        body: "z=1+2&c=%2F&flag",
        stamp: { timestamp: 1700000000000, nonce: "0123456789abcdef0123456789abcdef" },
      });
      const headers = Object.fromEntries(
        Object.entries(sent.headers).map(([name, value]) => [name.toLowerCase(), value]),
      );
      const url = new URL(sent.url);
      const stringToSign = artemisStringToSign({
        method: "POST",
        path: url.pathname,
        params: [...url.searchParams, ...new URLSearchParams(String(sent.body))],
        headers,
        signedHeaders: artemisSignedHeaderNames(headers["x-ca-signature-headers"]),
      });
      assert.equal(headers["x-ca-signature-headers"], "x-ca-key,x-ca-nonce,x-ca-stage,x-ca-timestamp");
      assert.match(stringToSign, /^POST\n\*\/\*\nabc==\napplication\/x-www-form-urlencoded\nx-ca-key:12345678\n/);
      assert.match(stringToSign, /\/artemis\/api\/demo\?a&a=1&b=2&c=\/&flag&z=1 2&é=\/$/);
      assert.equal(headers["x-ca-signature"], artemisSignature(credentials.secret, stringToSign));
    });

    it("a form body it cannot decode (a broken percent escape) fails its sign, named after the platform", async () => {
      const settings = custom.settings({ preset: preset.id, ...preset.fields, tokenUrl: "" }, expressionEvaluator);
      const sent = custom.bind(settings, credentials).authorize(
        {
          purpose: "api",
          method: "POST",
          url: "https://platform.example/artemis/api/demo",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: "name=%E4%B8",
        },
        undefined,
        0,
      );
      const error = await rejection(Promise.resolve(sent));
      assert.equal(error.vendor, "Hikvision Artemis");
      assert.match(error.message, /^Hikvision Artemis: the JSONata expression sign failed: .*Malformed URL/);
    });
  });

  describe("in a Node-RED runtime against the simulator", () => {
    const suite = simulatorSuite();
    const account = () => suite.sim.accounts["hikvision-artemis"];

    async function load(secret = account().appSecret, pages?: Record<string, unknown>) {
      const flow = apiFlow(
        "custom",
        "",
        { method: preset.listCall.method, url: preset.listCall.path, pages },
        presetConfig(preset, "platform", suite.sim.url),
      );
      await helper.load(NODES, flow, { cfg: { key: account().appKey, secret } });
    }

    const send = (payload: unknown) => {
      const out = nextMessage("out");
      helper.getNode("api").receive({ payload });
      return out;
    };

    const caughtFor = (payload: unknown) => {
      const caught = nextMessage("caught");
      helper.getNode("api").receive({ payload });
      return caught;
    };

    it("the list call, signed without a token and verified by the simulator, is answered", async () => {
      await load();
      const msg = await send({ pageNo: 1, pageSize: 20 });
      assert.equal(msg.statusCode, 200);
      assert.equal(msg.payload.code, "0");
      assert.equal(msg.payload.data.total, ARTEMIS_CAMERA_COUNT);
      assert.equal(msg.payload.data.list.length, 20);
      assert.equal(suite.sim.count("hikvision-artemis.cameras"), 1);
    });

    it("every page, walked with the preset's nextPage (pageNo from 1) until the total", async () => {
      await load();
      const { items, pages } = await walkPages(
        preset,
        { url: preset.listCall.path, body: { pageNo: 1, pageSize: 20 } },
        (request) => send(request.body),
      );
      assert.equal(pages, Math.ceil(ARTEMIS_CAMERA_COUNT / 20));
      const codes = items.map((camera) => (camera as { cameraIndexCode: string }).cameraIndexCode);
      assert.equal(new Set(codes).size, ARTEMIS_CAMERA_COUNT);
    });

    it("the api request node walks every page itself (paginate: preset): every camera once, in one message", async () => {
      await load(undefined, { paginate: "preset", pageOutput: "all" });
      const msg = await send({ pageNo: 1, pageSize: 20 });
      const codes = msg.payload.map((camera: { cameraIndexCode: string }) => camera.cameraIndexCode);
      assert.equal(codes.length, ARTEMIS_CAMERA_COUNT);
      assert.equal(new Set(codes).size, ARTEMIS_CAMERA_COUNT);
      assert.equal(suite.sim.count("hikvision-artemis.cameras"), Math.ceil(ARTEMIS_CAMERA_COUNT / 20));
    });

    it('a business refusal (HTTP 200, code other than "0") reaches Catch with its code and msg', async () => {
      await load();
      const { error } = await caughtFor({ pageNo: 1, pageSize: 5000 });
      assert.equal(error.code, "0x02401003");
      assert.match(error.message, /0x02401003.*parameter error/);
      assert.match(error.message, /^Hikvision Artemis: /, "named after the platform the node was started from");
      assert.ok(
        statuses("api").some((status) => status.fill === "red" && /^Hikvision Artemis/.test(String(status.text))),
        JSON.stringify(statuses("api")),
      );
    });

    it("a wrong secret: the gateway's Invalid Signature (HTTP 401) at Catch with our hint; no secret anywhere", async () => {
      const wrong = "wrong hik&secret+1/2=3%4:5-ß";
      await load(wrong);
      const msg = await caughtFor({ pageNo: 1, pageSize: 20 });
      assert.equal(msg.error.code, "Invalid Signature");
      assert.equal(msg.error.statusCode, 401);
      assert.match(msg.error.message, /Invalid Signature: check the AppSecret/);
      const seen = [JSON.stringify(msg), msg.error.message, ...logged("warn"), ...logged("error")].join("\n");
      for (const secret of [wrong, account().appSecret].flatMap(shapesOf))
        assert.ok(!seen.includes(secret), `a secret surfaced: ${secret}`);
    });

    it("this server's clock 20 minutes off: Invalid Timestamp at Catch, pointing at the clock", async () => {
      suite.sim.setClockSkew(20 * 60 * 1000);
      await load();
      const { error } = await caughtFor({ pageNo: 1, pageSize: 20 });
      assert.equal(error.code, "Invalid Timestamp");
      assert.match(error.message, /set this server's clock right/);
    });

    it("get token with these credentials: the config error no-token-endpoint at Catch and in the status", async () => {
      const flow = basicFlow("custom", "", { headers: false });
      flow[1] = { ...flow[1], ...presetConfig(preset, "platform", suite.sim.url) };
      await helper.load(NODES, flow, { cfg: { key: account().appKey, secret: account().appSecret } });
      const caught = nextMessage("caught");
      helper.getNode("get").receive({});
      const { error } = await caught;
      assert.match(error.message, /without a token URL sign each API call and have no token to hand out/);
      assert.ok(
        statuses("get").some((status) => status.fill === "red" && /no token endpoint/.test(String(status.text))),
        JSON.stringify(statuses("get")),
      );
      assert.equal(suite.sim.count("hikvision-artemis.cameras"), 0, "nothing was sent");
    });
  });
});
