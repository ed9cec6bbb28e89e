// The Alibaba Cloud IoT preset (src/providers/presets/aliyun-iot.ts): its sign expression
// reproduces the signatures of Alibaba's own examples through the real custom provider, and in a
// real Node-RED runtime against the simulator over real HTTP every call is signed without a token,
// verified by the simulator's signature check, paged to the end, and refused with Alibaba's own
// code at Catch when the secret is wrong; get token says these credentials have no token.
import assert from "node:assert/strict";
import { custom } from "../../src/providers/custom";
import { presets } from "../../src/providers/presets";
import type { VendorRequest } from "../../src/providers/types";
import { ALIYUN_DEVICE_COUNT } from "../simulator/cloud-data";
import { expressionEvaluator } from "../support/expressions";
import { apiFlow, basicFlow, nextMessage, nextMessages, statuses } from "../support/flows";
import { accessTokenNodes, CORE, coreNode, helper } from "../support/node-red";
import { walkPages, type PageRequest } from "../support/preset-pages";
import { docsPage, missingCatalogKeys, presetConfig, presetText } from "../support/presets";
import { shapesOf } from "../support/secret-shapes";
import { logged, simulatorSuite } from "../support/simulator-suite";

const preset = presets["aliyun-iot"];
const NODES = [accessTokenNodes, coreNode(CORE.catch)];

/** The preset's sign, bound as a credentials node started from it binds it. */
async function signed(
  credentials: { key: string; secret: string },
  request: Omit<VendorRequest, "purpose" | "headers"> & { headers?: Record<string, string> },
  extra: Record<string, unknown> = {},
): Promise<VendorRequest> {
  const settings = custom.settings({ ...preset.fields, tokenUrl: "", ...extra }, expressionEvaluator);
  return custom.bind(settings, credentials).authorize({ purpose: "api", headers: {}, ...request }, undefined, 0);
}

/** A URL's parameters, decoded, as sorted [name, value] pairs. */
const paramsOf = (url: string) => [...new URL(url).searchParams].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

describe("preset aliyun-iot (Alibaba Cloud IoT)", function () {
  this.timeout(30_000);

  it("its credentials, regions, parameters and help are labelled in every language, in the vendor's words", () => {
    assert.deepEqual(missingCatalogKeys(preset), []);
    assert.equal(presetText(preset, "en-US", "key"), "AccessKey ID");
    assert.equal(presetText(preset, "en-US", "secret"), "AccessKey Secret");
  });

  it("its docs show the preset's sign as it is", () => {
    for (const page of [docsPage("vendors/aliyun-iot.md"), docsPage("custom-language.md")])
      assert.ok(page.includes(String(preset.fields.sign)), "the sign expression, verbatim");
  });

  describe("the signature of Alibaba's examples, made by the preset's sign", () => {
    const credentials = { key: "testid", secret: "testsecret" };

    it("Pub (IoT Platform's request signatures page): every parameter and the Signature as in its URL", async () => {
      // The example's own parameters but the ones sign adds; its timestamp and nonce as the request's stamp.
      const call =
        "http://iot.cn-shanghai.aliyuncs.com/?MessageContent=aGVsbG93b3JsZA%3D&Action=Pub&ServiceCode=iot" +
        "&Format=XML&Qos=0&Version=2017-04-20&RegionId=cn-shanghai&ProductKey=12345abcdeZ" +
        "&TopicFullName=%2FproductKey%2Ftestdevice%2Fget";
      const sent = await signed(credentials, {
        method: "GET",
        url: call,
        stamp: { timestamp: Date.UTC(2017, 9, 2, 9, 39, 41), nonce: "0715a395-aedf-4a41-bab7-746b43d38d88" },
      });
      const example =
        "http://iot.cn-shanghai.aliyuncs.com/?MessageContent=aGVsbG93b3JsZA%3D&Action=Pub&Timestamp=2017-10-02T09%3A39%3A41Z" +
        "&SignatureVersion=1.0&ServiceCode=iot&Format=XML&Qos=0&SignatureNonce=0715a395-aedf-4a41-bab7-746b43d38d88" +
        "&Version=2017-04-20&AccessKeyId=testid&SignatureMethod=HMAC-SHA1&RegionId=cn-shanghai&ProductKey=12345abcdeZ" +
        "&TopicFullName=%2FproductKey%2Ftestdevice%2Fget&Signature=Y9eWn4nF8QPh3c4zAFkM%2Fk%2Fu7eA%3D";
      assert.deepEqual(paramsOf(sent.url), paramsOf(example));
      assert.match(sent.url, /&Signature=Y9eWn4nF8QPh3c4zAFkM%2Fk%2Fu7eA%3D$/, "percent-encoded in the URL");
      assert.deepEqual(sent.headers, {}, "no header: the query carries everything");
    });

    it("DescribeRegions (Alibaba's RPC signing example): no RegionId where the host names none", async () => {
      const sent = await signed(credentials, {
        method: "GET",
        url: "https://ecs.aliyuncs.com/?Action=DescribeRegions&Format=XML&Version=2014-05-26",
        stamp: { timestamp: Date.UTC(2016, 1, 23, 12, 46, 24), nonce: "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf" },
      });
      assert.deepEqual(Object.fromEntries(paramsOf(sent.url)), {
        AccessKeyId: "testid",
        Action: "DescribeRegions",
        Format: "XML",
        Signature: "OLeaidS1JvxuMvnyHOwuJ+uX5qY=",
        SignatureMethod: "HMAC-SHA1",
        SignatureNonce: "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
        SignatureVersion: "1.0",
        Timestamp: "2016-02-23T12:46:24Z",
        Version: "2014-05-26",
      });
    });

    it("the defaults a call leaves out: Format JSON, Version 2018-01-20, RegionId from the host or $params, IotInstanceId", async () => {
      const stamp = { timestamp: Date.UTC(2026, 0, 2, 3, 4, 5, 678), nonce: "0123456789abcdef0123456789abcdef" };
      const url = "https://iot.ap-southeast-1.aliyuncs.com/?Action=QueryDevice&ProductKey=pk";
      const byHost = Object.fromEntries(paramsOf((await signed(credentials, { method: "GET", url, stamp })).url));
      assert.equal(byHost.Format, "JSON");
      assert.equal(byHost.Version, "2018-01-20");
      assert.equal(byHost.RegionId, "ap-southeast-1");
      assert.equal(byHost.Timestamp, "2026-01-02T03:04:05Z", "ISO 8601 UTC, to the second");
      assert.equal(byHost.SignatureNonce, "01234567-89ab-cdef-0123-456789abcdef", "the request's nonce as a UUID");
      assert.equal(byHost.IotInstanceId, undefined, "the preset's empty IotInstanceId is left out");
      const byParams = Object.fromEntries(
        paramsOf(
          (
            await signed(
              credentials,
              { method: "GET", url, stamp },
              { params: '{"RegionId": "cn-shanghai", "IotInstanceId": "iot-06z00ax1o4qyvk"}' },
            )
          ).url,
        ),
      );
      assert.equal(byParams.RegionId, "cn-shanghai");
      assert.equal(byParams.IotInstanceId, "iot-06z00ax1o4qyvk");
    });
  });

  describe("in a Node-RED runtime against the simulator", () => {
    const suite = simulatorSuite();
    const account = () => suite.sim.accounts["aliyun-iot"];
    const listPath = () => preset.listCall.path.replace("YOUR_PRODUCT_KEY", account().productKey);

    async function load(
      secret = account().accessKeySecret,
      config: Record<string, unknown> = {},
      method: string = preset.listCall.method,
      pages?: Record<string, unknown>,
    ) {
      const flow = apiFlow(
        "custom",
        "",
        { method, pages },
        {
          ...presetConfig(preset, "cn-shanghai", suite.sim.url),
          ...config,
        },
      );
      await helper.load(NODES, flow, { cfg: { key: account().accessKeyId, secret } });
    }

    const send = (msg: Record<string, unknown>) => {
      const out = nextMessage("out");
      helper.getNode("api").receive(msg);
      return out;
    };

    it("the list call, signed without a token and verified by the simulator, is answered", async () => {
      await load();
      const msg = await send({ url: listPath() });
      assert.equal(msg.statusCode, 200);
      assert.equal(msg.payload.Success, true);
      assert.equal(msg.payload.Total, ALIYUN_DEVICE_COUNT);
      assert.equal(msg.payload.Data.DeviceInfo.length, ALIYUN_DEVICE_COUNT, "PageSize 50: every device");
      assert.equal(suite.sim.count("aliyun-iot.api"), 1);
    });

    it("the status says the calls go signed; with a rate limit it shows the calls waiting their turn, no others", async () => {
      await load(undefined, { rateLimit: 1, ratePeriod: 0.3 });
      const texts = () => statuses("api").map((status) => `${status.fill} ${status.text}`);
      assert.equal((await send({ url: listPath() })).statusCode, 200);
      assert.deepEqual(texts().slice(1), ["green signed calls (no token)"], "one call, not held: no queue shown");
      const outs = nextMessages("out", 3);
      for (let i = 0; i < 3; i++) helper.getNode("api").receive({ url: listPath() });
      assert.ok((await outs).every((msg) => msg.statusCode === 200));
      const burst = texts().slice(2);
      assert.ok(burst.includes("yellow waiting: 3 queued"), JSON.stringify(burst));
      assert.equal(burst.at(-1), "green signed calls (no token)");
      assert.equal(suite.sim.count("aliyun-iot.api"), 4);
    });

    it("a POST with its parameters in a form body is signed over them too", async () => {
      await load(undefined, { params: '{"RegionId": "cn-shanghai"}' }, "POST");
      const msg = await send({
        url: "/",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        payload: { Action: "QueryDevice", ProductKey: account().productKey, PageSize: 5, CurrentPage: 2 },
      });
      assert.equal(msg.payload.Success, true);
      assert.equal(msg.payload.Page, 2);
      assert.equal(msg.payload.Data.DeviceInfo.length, 5);
    });

    it("every page, walked with the preset's nextPage (CurrentPage and NextToken) until the last", async () => {
      await load();
      const first: PageRequest = {
        url: "/?Action=QueryDevice",
        query: { ProductKey: account().productKey, PageSize: 10 },
      };
      const answers: Array<Record<string, any>> = [];
      const queries: Array<Record<string, unknown> | undefined> = [];
      const { items, pages } = await walkPages(preset, first, async (request) => {
        queries.push(request.query);
        const msg = await send({ url: request.url, query: request.query });
        answers.push(msg.payload);
        return msg;
      });
      assert.equal(pages, Math.ceil(ALIYUN_DEVICE_COUNT / 10));
      // Each next page named by the NextToken of the one before, as Alibaba wants past 10,000 items.
      for (let page = 1; page < pages; page++) {
        assert.equal(queries[page]?.NextToken, answers[page - 1].NextToken);
        assert.equal(queries[page]?.CurrentPage, String(page + 1));
      }
      assert.equal(answers[pages - 1].NextToken, "", "the last page says so");
      const names = items.map((device) => (device as { DeviceName: string }).DeviceName);
      assert.equal(names.length, ALIYUN_DEVICE_COUNT);
      assert.equal(new Set(names).size, ALIYUN_DEVICE_COUNT, "no device twice");
    });

    it("the api request node walks every page itself (paginate: preset): every device once, in one message", async () => {
      await load(undefined, {}, undefined, { paginate: "preset", pageOutput: "all" });
      const msg = await send({
        url: "/?Action=QueryDevice",
        query: { ProductKey: account().productKey, PageSize: 10 },
      });
      const names = msg.payload.map((device: { DeviceName: string }) => device.DeviceName);
      assert.equal(names.length, ALIYUN_DEVICE_COUNT);
      assert.equal(new Set(names).size, ALIYUN_DEVICE_COUNT, "no device twice");
      assert.equal(suite.sim.count("aliyun-iot.api"), Math.ceil(ALIYUN_DEVICE_COUNT / 10));
    });

    it("an IoT-layer refusal (HTTP 200, Success false) reaches Catch with its Code and ErrorMessage", async () => {
      await load();
      const caught = nextMessage("caught");
      helper.getNode("api").receive({ url: listPath().replace("PageSize=50", "PageSize=500") });
      const { error } = await caught;
      assert.equal(error.code, "iot.common.InvalidPageParams");
      assert.match(error.message, /iot\.common\.InvalidPageParams.*PageSize must be 1\.\.50/);
    });

    it("a wrong secret: Alibaba's SignatureDoesNotMatch at Catch, with its words and our hint; no secret anywhere", async () => {
      const wrong = "wrong ali&secret+1/2=3%4:5-ç";
      await load(wrong);
      const caught = nextMessage("caught");
      helper.getNode("api").receive({ url: listPath() });
      const msg = await caught;
      assert.equal(msg.error.code, "SignatureDoesNotMatch");
      assert.equal(msg.error.statusCode, 400);
      // Named after the cloud the node was started from, as its users know it.
      assert.match(msg.error.message, /^Alibaba Cloud IoT: GET \/ failed with code SignatureDoesNotMatch: /);
      assert.match(msg.error.message, /not matched with our calculation\. Check the AccessKey Secret/);
      const seen = [JSON.stringify(msg), msg.error.message, ...logged("warn"), ...logged("error")].join("\n");
      for (const secret of [wrong, account().accessKeySecret].flatMap(shapesOf))
        assert.ok(!seen.includes(secret), `a secret surfaced: ${secret}`);
    });

    it("get token with these credentials: the config error no-token-endpoint at Catch and in the status", async () => {
      const flow = basicFlow("custom", "", { headers: false });
      flow[1] = { ...flow[1], ...presetConfig(preset, "cn-shanghai", suite.sim.url) };
      await helper.load(NODES, flow, { cfg: { key: account().accessKeyId, secret: account().accessKeySecret } });
      const caught = nextMessage("caught");
      helper.getNode("get").receive({});
      const { error } = await caught;
      assert.match(error.message, /without a token URL sign each API call and have no token to hand out/);
      assert.ok(
        statuses("get").some((status) => status.fill === "red" && /no token endpoint/.test(String(status.text))),
        JSON.stringify(statuses("get")),
      );
      assert.equal(suite.sim.count("aliyun-iot.api"), 0, "nothing was sent");
    });
  });
});
