// The custom credentials dialog in a real browser (issues #25, #26): its groups under headings, and
// Start from: each preset picked fills the fields, shows its region picker, its vendor's names for
// the key and the secret, its help and its parameters; with the region's URLs replaced by the
// simulator's (a custom URL), the Test button answers "Token received" (Tuya, Huawei IoTDA,
// ThingsBoard, EZVIZ) or "signing only" (Hikvision Artemis, Alibaba Cloud IoT). A saved node opens
// with its region and parameters; "blank" keeps the fields; an empty token URL needs a signature.
// Screenshot: docs/images/custom-preset-tuya.png (UPDATE_DOCS_IMAGES=1).
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Page } from "playwright-core";
import { CONFIG_VERSION } from "../../src/nodes/config-version";
import { CUSTOM_PROPERTIES } from "../../src/providers/custom-settings";
import { PRESET_IDS, presets, type PresetId } from "../../src/providers/presets";
import { ProviderSimulator, type Accounts, type Endpoint } from "../simulator";
import { shapesOf } from "../support/secret-shapes";
import { trayShot } from "./support/browser";
import { lastExchange, pressTest } from "./support/credentials-dialog";
import { closeDialog, openDialog } from "./support/editor-ui";
import { e2eSession } from "./support/e2e-session";
import { nodeRedVersion } from "./support/node-red-process";
import { repoRoot } from "./support/package-tarball";

const TYPE = "custom-token-credentials";
const catalog = JSON.parse(
  fs.readFileSync(path.join(repoRoot, "nodes", "locales", "en-US", "access-token.json"), "utf8"),
) as Record<string, any>;
const texts = catalog[TYPE];

/** Each preset's key, secret and the simulator's token endpoint (none: every call signed). */
function presetAccount(id: PresetId, accounts: Accounts): { key: string; secret: string; endpoint?: Endpoint } {
  const pairs: Record<PresetId, [string, string, Endpoint | undefined]> = {
    tuya: [accounts.tuya.accessId, accounts.tuya.accessSecret, "tuya.token"],
    "huawei-iam": [accounts["huawei-iam"].userName, accounts["huawei-iam"].password, "huawei-iam.token"],
    thingsboard: [accounts.thingsboard.username, accounts.thingsboard.password, "thingsboard.token"],
    ezviz: [accounts.ezviz.appKey, accounts.ezviz.appSecret, "ezviz.token"],
    "hikvision-artemis": [accounts["hikvision-artemis"].appKey, accounts["hikvision-artemis"].appSecret, undefined],
    "aliyun-iot": [accounts["aliyun-iot"].accessKeyId, accounts["aliyun-iot"].accessKeySecret, undefined],
  };
  const [key, secret, endpoint] = pairs[id];
  return { key, secret, endpoint };
}

/** A JSONata field's value as the dialog holds it (line breaks as tabs, as Node-RED's expression editor keeps them). */
const typed = (text: string | number) => String(text).replace(/\r?\n/g, "\t");

/** What the open dialog shows of Start from: labels, help, region picker, parameter inputs. */
async function presetView(page: Page) {
  return page.evaluate(() => {
    const $ = (globalThis as any).$;
    const visible = (selector: string) => $(selector).is(":visible");
    return {
      preset: $("#node-config-input-preset").val() as string,
      key: $("label[for='node-config-input-key'] span").text() as string,
      secret: $("label[for='node-config-input-secret'] span").text() as string,
      help: visible(".access-token-preset-help") ? ($(".access-token-preset-help").text() as string) : "",
      region: visible(".access-token-preset-region-row") ? ($("#access-token-preset-region").val() as string) : "",
      regions: $("#access-token-preset-region option")
        .map((_i: number, o: any) => o.value)
        .get() as string[],
      params: $(".access-token-preset-params input:visible")
        .map((_i: number, el: any) => [[el.getAttribute("data-param"), el.value]])
        .get() as Array<[string, string]>,
    };
  });
}

/** A field of the open dialog by property name: a typedInput's value, else the input's. */
function field(page: Page, name: string): Promise<string> {
  return page.evaluate((property) => {
    const input = (globalThis as any).$(`#node-config-input-${property}`);
    return String(input.data("noderedTypedInput") ? input.typedInput("value") : input.val());
  }, name);
}

describe(`e2e: the custom credentials dialog and its presets, Node-RED ${nodeRedVersion()}`, function () {
  this.timeout(120_000);
  const session = e2eSession({
    server: () => ProviderSimulator.start(),
    deploy: ({ server, red }) => red.deploy(savedFlow(server)),
    failurePrefix: "failed-presets",
  });
  const sim = () => session.server;
  const page = () => session.page;

  afterEach(async function () {
    // A failed test may leave its dialogs open: cancel them, so that the next test starts clean.
    if (this.currentTest?.state === "failed") {
      for (const cancel of ["#node-config-dialog-cancel", "#node-dialog-cancel"]) {
        if (await page().locator(cancel).isVisible()) await closeDialog(page(), cancel as never);
      }
    }
    // Nothing the page received holds a secret or a token.
    const received = session.exchanges.map((e) => `${e.url}\n${e.responseText}`).join("\n");
    for (const id of PRESET_IDS) {
      for (const shape of shapesOf(presetAccount(id, sim().accounts).secret))
        assert.ok(!received.includes(shape), `the page received ${id}'s secret`);
    }
    for (const token of sim().issuedTokens()) assert.ok(!received.includes(token), "the page received a token");
  });

  /** A new custom credentials dialog, opened from the get token node's dialog. */
  async function newCustomDialog(): Promise<void> {
    await openDialog(page(), "get-custom");
    await page().locator("#node-input-btn-custom-add").click();
    await page().locator("#node-config-input-preset").waitFor();
    await page().waitForTimeout(400);
  }

  /** The saved credentials node the get token node uses, opened with its edit button. */
  async function savedCustomDialog(getToken: string): Promise<void> {
    await openDialog(page(), getToken);
    await page().locator("#node-input-btn-custom-edit").click();
    await page().locator("#node-config-input-preset").waitFor();
    await page().waitForTimeout(400);
  }

  async function cancelDialogs(): Promise<void> {
    await closeDialog(page(), "#node-config-dialog-cancel");
    await closeDialog(page(), "#node-dialog-cancel");
  }

  it("groups the fields under headings and offers Start from: blank and the six presets; a new node starts blank", async () => {
    await newCustomDialog();
    const headings = await page()
      .locator(".red-ui-tray .access-token-group")
      .evaluateAll((els) => els.map((el) => String(el.textContent).trim()));
    assert.deepEqual(headings, [
      texts.group.tokenRequest,
      texts.group.tokenAnswer,
      texts.group.refresh,
      texts.group.everyRequest,
      texts.group.apiAnswers,
      texts.group.api,
    ]);
    const options = await page()
      .locator("#node-config-input-preset option")
      .evaluateAll((els) => els.map((e) => [(e as any).value, String(e.textContent)]));
    assert.deepEqual(options, [
      ["", texts.option.preset[""]],
      ...PRESET_IDS.map((id) => [id, texts.option.preset[id]]),
    ]);
    assert.deepEqual(await presetView(page()), {
      preset: "",
      key: texts.label.key,
      secret: texts.label.secret,
      help: "",
      region: "",
      regions: ["custom"],
      params: [],
    });
    // Each JSONata field keeps Node-RED's expression editor.
    const expressions = await page().evaluate(
      () =>
        (globalThis as any)
          .$(".red-ui-tray .red-ui-typedInput-container .red-ui-typedInput-option-expand")
          .filter(":visible").length,
    );
    assert.ok(expressions >= 16, `expression editor buttons: ${expressions}`);
    await cancelDialogs();
  });

  for (const id of PRESET_IDS) {
    const expected = Object.values(presets[id].regions)[0].tokenUrl ? "Token received" : "signing only";
    it(`${id}: picked, it fills the dialog; on the simulator's URL the Test answers ${expected}`, async () => {
      const preset = presets[id];
      const account = presetAccount(id, sim().accounts);
      await newCustomDialog();
      await page().locator("#node-config-input-preset").selectOption(id);
      const [firstRegion, first] = Object.entries(preset.regions)[0];
      const view = await presetView(page());
      assert.deepEqual(view, {
        preset: id,
        key: texts.preset[id].key,
        secret: texts.preset[id].secret,
        help: texts.preset[id].help,
        region: firstRegion,
        regions: [...Object.keys(preset.regions), "custom"],
        params: preset.params.map((name) => [name, ""]),
      });
      // The fields are the preset's (every other one its default), the URLs the first region's.
      for (const [name, value] of Object.entries(preset.fields))
        assert.equal(await field(page(), name), typed(value), name);
      assert.equal(await field(page(), "tokenUrl"), first.tokenUrl);
      assert.equal(await field(page(), "apiUrl"), first.apiUrl);
      if (!("sign" in preset.fields)) assert.equal(await field(page(), "sign"), "", "sign: the default");
      if (!("params" in preset.fields)) {
        const empty = preset.params.map((name) => `"${name}": ""`).join(", ");
        assert.equal(await field(page(), "params"), empty ? `{${empty}}` : "", "params: one empty text per parameter");
      }
      await page().locator("#node-config-input-key").fill(account.key);
      await page().locator("#node-config-input-secret").fill(account.secret);
      if (id === "tuya") {
        await page().locator("#node-config-input-name").fill("Tuya (China)");
        await page().locator("#node-config-input-secret").blur();
        await trayShot(page(), session.shots, "custom-preset-tuya", "custom-preset-tuya");
      }
      // The simulator stands for the vendor: its origin replaces the region's (a custom URL).
      if (first.tokenUrl)
        await page()
          .locator("#node-config-input-tokenUrl")
          .fill(sim().url + new URL(first.tokenUrl).pathname);
      await page().locator("#node-config-input-apiUrl").fill(sim().url);
      assert.equal((await presetView(page())).region, "custom", "a URL of no region: custom");
      if (id === "huawei-iam") {
        const huawei = sim().accounts["huawei-iam"];
        await page().locator("#access-token-param-domain").fill(huawei.domainName);
        await page().locator("#access-token-param-project").fill(` ${huawei.projectName} `);
        assert.equal(
          await field(page(), "params"),
          `{"domain": "${huawei.domainName}", "project": "${huawei.projectName}"}`,
          "the parameters written into params",
        );
      }
      const before = account.endpoint ? sim().count(account.endpoint) : 0;
      const { pressed: _pressed, ...result } = await pressTest(page());
      const answer = JSON.parse(
        (await lastExchange(session.exchanges, "/access-token/credentials/test")).responseText,
      ) as {
        ok: boolean;
        signingOnly?: boolean;
        fields: string[];
      };
      assert.equal(answer.ok, true, result.text);
      assert.equal(result.kind, "success", result.text);
      const [headline, used] = result.text.split("\n");
      if (account.endpoint) {
        assert.match(headline, /^Token received from .+: valid until /);
        assert.equal(sim().count(account.endpoint), before + 1, "one token request");
      } else {
        assert.equal(answer.signingOnly, true);
        assert.equal(headline, catalog.common.test["signing-only"]);
      }
      // Which expressions the test used, by their labels.
      assert.ok(answer.fields.length > 0, "the route names the expressions");
      assert.equal(used, `Expressions used: ${answer.fields.map((name) => texts.label[name]).join(", ")}`);
      if (["tuya", "hikvision-artemis", "aliyun-iot", "ezviz"].includes(id))
        assert.ok(answer.fields.includes("sign"), id);
      await trayShot(page(), session.shots, `custom-preset-${id}-tested`);
      await cancelDialogs();
    });
  }

  it("a region picked sets the token URL and the API URL; a URL typed in selects its region, else custom", async () => {
    await newCustomDialog();
    await page().locator("#node-config-input-preset").selectOption("tuya");
    const europe = presets.tuya.regions["central-europe"];
    await page().locator("#access-token-preset-region").selectOption("central-europe");
    assert.equal(await field(page(), "tokenUrl"), europe.tokenUrl);
    assert.equal(await field(page(), "apiUrl"), europe.apiUrl);
    const india = presets.tuya.regions.india;
    await page().locator("#node-config-input-tokenUrl").fill(india.tokenUrl);
    assert.equal((await presetView(page())).region, "custom", "token URL of one region, API URL of another");
    await page().locator("#node-config-input-apiUrl").fill(india.apiUrl);
    assert.equal((await presetView(page())).region, "india");
    // "custom" changes no URL.
    await page().locator("#access-token-preset-region").selectOption("custom");
    assert.equal(await field(page(), "tokenUrl"), india.tokenUrl);
    await cancelDialogs();
  });

  it("a saved node opens with its region, its vendor's labels and its parameters; blank then keeps every field", async () => {
    await savedCustomDialog("get-tuya");
    const tuya = await presetView(page());
    assert.equal(tuya.region, "central-europe", "the region its saved URLs name");
    assert.equal(tuya.key, texts.preset.tuya.key);
    const sign = await field(page(), "sign");
    assert.equal(sign, typed(presets.tuya.fields.sign), "the saved multi-line sign, line breaks kept as tabs");
    await closeDialog(page(), "#node-config-dialog-cancel");
    await closeDialog(page(), "#node-dialog-cancel");

    await savedCustomDialog("get-huawei");
    const huawei = sim().accounts["huawei-iam"];
    assert.deepEqual((await presetView(page())).params, [
      ["domain", huawei.domainName],
      ["project", huawei.projectName],
    ]);
    // The Parameters expression edited by hand is read back into the inputs.
    await page().evaluate(() => {
      (globalThis as any)
        .$("#node-config-input-params")
        .typedInput("value", '{"domain": "other", "project": "cn-north-4", "extra": "kept"}');
    });
    assert.deepEqual((await presetView(page())).params, [
      ["domain", "other"],
      ["project", "cn-north-4"],
    ]);
    await page().locator("#access-token-param-domain").fill("again");
    assert.equal(await field(page(), "params"), '{"domain": "again", "project": "cn-north-4", "extra": "kept"}');
    // An expression of the user's: the inputs step aside, the Parameters field holds it.
    await page().evaluate(() => {
      (globalThis as any).$("#node-config-input-params").typedInput("value", '{"domain": $env("DOMAIN")}');
    });
    assert.deepEqual((await presetView(page())).params, []);
    // Blank: the fields as they were, the preset's labels, help, picker and inputs gone.
    const request = await field(page(), "request");
    await page().locator("#node-config-input-preset").selectOption("");
    assert.deepEqual(await presetView(page()), {
      preset: "",
      key: texts.label.key,
      secret: texts.label.secret,
      help: "",
      region: "",
      regions: ["custom"],
      params: [],
    });
    assert.equal(await field(page(), "request"), request, "blank keeps the fields");
    assert.equal(await field(page(), "tokenUrl"), presets["huawei-iam"].regions["cn-north-4"].tokenUrl);
    await cancelDialogs();
  });

  it("a deployed node with multi-line expressions tests with its secret unchanged: the dialog sends them as saved", async () => {
    await savedCustomDialog("get-aliyun");
    assert.equal(await page().locator("#node-config-input-secret").inputValue(), "__PWRD__");
    assert.equal(await field(page(), "sign"), typed(presets["aliyun-iot"].fields.sign));
    const { pressed: _pressed, ...result } = await pressTest(page());
    assert.equal(result.kind, "success", result.text);
    assert.equal(result.text.split("\n")[0], catalog.common.test["signing-only"]);
    const sent = JSON.parse(
      (await lastExchange(session.exchanges, "/access-token/credentials/test")).requestBody,
    ) as Record<string, unknown>;
    assert.equal(sent.sign, presets["aliyun-iot"].fields.sign, "the saved text, line breaks and all");
    await cancelDialogs();
  });

  it("an empty token URL needs Sign every request: both fields say so until one is there", async () => {
    await newCustomDialog();
    const marked = () =>
      page().evaluate(() =>
        ["tokenUrl", "sign"].filter((name) =>
          (globalThis as any).$(`#node-config-input-${name}`).hasClass("input-error"),
        ),
      );
    await page().locator("#node-config-input-tokenUrl").fill("");
    await page().locator("#node-config-input-tokenUrl").blur();
    await page().waitForFunction(() => (globalThis as any).$("#node-config-input-sign").hasClass("input-error"));
    assert.deepEqual(await marked(), ["tokenUrl", "sign"]);
    await page().evaluate(() =>
      (globalThis as any).$("#node-config-input-sign").typedInput("value", '{"headers": {"x-key": $key}}'),
    );
    await page().waitForFunction(() => !(globalThis as any).$("#node-config-input-tokenUrl").hasClass("input-error"));
    assert.deepEqual(await marked(), []);
    await cancelDialogs();
  });

  it("Add saves what the dialog shows: the preset, its fields and the parameters", async () => {
    await newCustomDialog();
    await page().locator("#node-config-input-preset").selectOption("huawei-iam");
    await page().locator("#access-token-param-domain").fill("acme");
    await page().locator("#access-token-param-project").fill("cn-north-4");
    await page().locator("#node-config-input-key").fill("iot_api_user");
    await page().locator("#node-config-input-secret").fill("not a real password");
    await closeDialog(page(), "#node-config-dialog-ok");
    const id = await page().locator("#node-input-custom").inputValue();
    const saved = await page().evaluate((nodeId) => {
      const node = (globalThis as any).RED.nodes.node(nodeId);
      return {
        preset: node.preset,
        params: node.params,
        token: node.token,
        authHeader: node.authHeader,
        valid: node.valid,
      };
    }, id);
    assert.deepEqual(saved, {
      preset: "huawei-iam",
      params: '{"domain": "acme", "project": "cn-north-4"}',
      token: presets["huawei-iam"].fields.token,
      authHeader: "X-Auth-Token",
      valid: true,
    });
    await closeDialog(page(), "#node-dialog-cancel");
    assert.deepEqual(
      session.editor.errors.filter((error) => error.startsWith("pageerror")),
      [],
      "no page errors",
    );
  });
});

/** A tab with a get token node per saved custom node (and one for new dialogs), and the saved nodes. */
function savedFlow(sim: ProviderSimulator): Array<Record<string, unknown>> {
  const tab = "presets-tab";
  const europe = presets.tuya.regions["central-europe"];
  const huawei = sim.accounts["huawei-iam"];
  /** A node as the editor saves it: every property, the preset's or else its default. */
  const saved = (preset: PresetId) => ({
    ...Object.fromEntries(CUSTOM_PROPERTIES.map((property) => [property.name, property.default])),
    ...presets[preset].fields,
    preset,
    timeout: 10,
    proxy: "",
    tls: "",
    version: CONFIG_VERSION,
  });
  const getToken = (id: string, credentials: string, y: number) => ({
    id,
    type: "access-token",
    z: tab,
    name: id,
    provider: "custom",
    custom: credentials,
    scope: "none",
    store: "",
    key: "accessToken",
    margin: 300,
    headers: true,
    x: 200,
    y,
    wires: [[]],
  });
  return [
    { id: tab, type: "tab", label: "presets e2e", disabled: false, info: "" },
    {
      id: "cfg-tuya-saved",
      type: TYPE,
      name: "Tuya saved",
      ...saved("tuya"),
      tokenUrl: europe.tokenUrl,
      apiUrl: europe.apiUrl,
      credentials: { key: sim.accounts.tuya.accessId, secret: sim.accounts.tuya.accessSecret },
    },
    {
      id: "cfg-huawei-saved",
      type: TYPE,
      name: "Huawei saved",
      ...saved("huawei-iam"),
      params: `{"domain": "${huawei.domainName}", "project": "${huawei.projectName}"}`,
      tokenUrl: presets["huawei-iam"].regions["cn-north-4"].tokenUrl,
      apiUrl: presets["huawei-iam"].regions["cn-north-4"].apiUrl,
      credentials: { key: huawei.userName, secret: huawei.password },
    },
    {
      id: "cfg-aliyun-saved",
      type: TYPE,
      name: "Alibaba saved",
      ...saved("aliyun-iot"),
      tokenUrl: "",
      apiUrl: sim.url,
      credentials: {
        key: sim.accounts["aliyun-iot"].accessKeyId,
        secret: sim.accounts["aliyun-iot"].accessKeySecret,
      },
    },
    getToken("get-custom", "", 80),
    getToken("get-tuya", "cfg-tuya-saved", 160),
    getToken("get-huawei", "cfg-huawei-saved", 240),
    getToken("get-aliyun", "cfg-aliyun-saved", 320),
  ];
}
