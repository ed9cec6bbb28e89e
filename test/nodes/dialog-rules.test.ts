// What a credentials dialog derives from values (resources/dialog-rules.js, the file Node-RED serves
// to the editor), run on the definitions the build hands the editor: the region of a saved URL, the
// API URL of a node saved before apiUrl existed, what the Test route takes, and the custom dialog's
// Start from: the fields a preset fills in, the region its URLs name, its parameters in `params`.
import assert from "node:assert/strict";
import * as path from "node:path";
import { CONFIG_VERSION } from "../../src/nodes/config-version";
import { providers } from "../../src/providers";
import { CUSTOM_PROPERTIES } from "../../src/providers/custom-settings";
import { editorDefinitions, type EditorPreset, type EditorProvider } from "../../src/providers/editor-definitions";
import { PRESET_IDS, presets } from "../../src/providers/presets";

interface DialogRules {
  regionOf(url: unknown, regions: Record<string, string>): string;
  legacyApiUrl(definition: EditorProvider, node: Record<string, unknown>): string | undefined;
  testedProperties(definition: EditorProvider): string[];
  typedText(text: unknown): string;
  sentValue(dialogValue: unknown, saved: unknown): unknown;
  presetOf(definition: EditorProvider, id: string): EditorPreset | undefined;
  presetRegionOf(
    tokenUrl: unknown,
    apiUrl: unknown,
    regions: Record<string, { tokenUrl: string; apiUrl: string }>,
  ): string;
  readParams(text: unknown, names: readonly string[]): { readable: boolean; values: Record<string, string> };
  writeParams(text: unknown, names: readonly string[], values: Record<string, unknown>): string;
  presetValues(definition: EditorProvider, id: string): Record<string, string | number>;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the editor's script as Node-RED serves it, by path
const dialogRules = require(
  path.join(path.dirname(__dirname), "..", "..", "resources", "dialog-rules.js"),
) as DialogRules;
/** As the editor has them: JSON, as the build writes them into the editor file. */
const definitions = JSON.parse(JSON.stringify(editorDefinitions(CONFIG_VERSION))) as ReturnType<
  typeof editorDefinitions
>;
const definition = (id: string) => definitions.providers.find((provider) => provider.id === id)!;
const custom = definition("custom");

describe("dialog rules (resources/dialog-rules.js)", () => {
  it("picks the region whose URL is saved, case and trailing slashes aside, else custom", () => {
    const regions = definition("orionstar").regions!;
    assert.ok(Object.keys(regions).length > 1, "OrionStar has regions");
    for (const url of Object.values(regions)) {
      assert.equal(dialogRules.regionOf(url, regions), url);
      assert.equal(dialogRules.regionOf(` ${url.toUpperCase()}// `, regions), url);
    }
    assert.equal(dialogRules.regionOf("https://orionstar.example.com", regions), "custom");
    assert.equal(dialogRules.regionOf(undefined, regions), "custom");
  });

  it("shows a node saved before apiUrl existed its token URL's origin as API URL, and leaves any other alone", () => {
    const oauth2 = definition("oauth2");
    assert.equal(
      dialogRules.legacyApiUrl(oauth2, { tokenUrl: " https://auth.example.com:8443/oauth/token " }),
      "https://auth.example.com:8443",
    );
    assert.equal(dialogRules.legacyApiUrl(oauth2, { tokenUrl: "http://localhost:9000/t" }), "http://localhost:9000");
    assert.equal(dialogRules.legacyApiUrl(oauth2, { tokenUrl: "ftp://auth.example.com/t" }), "");
    assert.equal(dialogRules.legacyApiUrl(oauth2, { tokenUrl: "" }), "");
    assert.equal(dialogRules.legacyApiUrl(oauth2, { tokenUrl: "https://a.example.com/t", apiUrl: "" }), undefined);
    assert.equal(dialogRules.legacyApiUrl(definition("orionstar"), { baseUrl: "https://a.example.com" }), undefined);
  });

  it("hands the Test route the URL, the timeout and the provider's own properties", () => {
    for (const provider of definitions.providers) {
      const own = (providers[provider.id].form.properties ?? []).map((property) => property.name);
      assert.deepEqual(dialogRules.testedProperties(provider), [provider.urlProperty, "timeout", ...own], provider.id);
    }
  });

  it("keeps a multi-line expression's line breaks as the expression editor does (tabs), and sends the saved text when unchanged", () => {
    const saved = "(\n  $a := 1;\r\n  $a\n)";
    assert.equal(dialogRules.typedText(saved), "(\t  $a := 1;\t  $a\t)");
    assert.equal(dialogRules.typedText("body.token"), "body.token");
    assert.equal(dialogRules.typedText(undefined), "");
    assert.equal(dialogRules.sentValue(dialogRules.typedText(saved), saved), saved, "unchanged: as deployed");
    assert.equal(dialogRules.sentValue("(\t  $a := 2;\t  $a\t)", saved), "(\t  $a := 2;\t  $a\t)", "changed: as typed");
    assert.equal(dialogRules.sentValue("10", 10), "10", "not a text");
  });

  describe("Start from (the custom dialog's presets)", () => {
    it("are handed to the editor: every preset, in the select's order, with its fields, regions and parameters", () => {
      assert.deepEqual(
        custom.presets!.map((preset) => preset.id),
        [...PRESET_IDS],
      );
      for (const preset of custom.presets!) {
        const source = presets[preset.id as keyof typeof presets];
        assert.deepEqual(
          preset,
          JSON.parse(
            JSON.stringify({ id: source.id, fields: source.fields, regions: source.regions, params: source.params }),
          ),
        );
      }
      assert.equal(dialogRules.presetOf(custom, "tuya")?.id, "tuya");
      assert.equal(dialogRules.presetOf(custom, ""), undefined, "blank");
      assert.equal(dialogRules.presetOf(custom, "a-later-cloud"), undefined);
      assert.equal(dialogRules.presetOf(definition("oauth2"), "tuya"), undefined, "no presets elsewhere");
    });

    it("a pick fills every property from the preset or its default, and the first region's URLs; the API hosts stay", () => {
      for (const id of PRESET_IDS) {
        const preset = presets[id];
        const values = dialogRules.presetValues(custom, id);
        const [first] = Object.values(preset.regions);
        for (const property of CUSTOM_PROPERTIES) {
          if (property.name === "preset" || property.name === "apiHosts") {
            assert.ok(!(property.name in values), `${id}: ${property.name} is not filled`);
            continue;
          }
          const expected =
            property.name === "apiUrl"
              ? first.apiUrl
              : property.name === "params" && !("params" in preset.fields)
                ? dialogRules.writeParams("", preset.params, {})
                : (preset.fields[property.name] ?? property.default);
          assert.deepEqual(values[property.name], expected, `${id}: ${property.name}`);
        }
        assert.equal(values.tokenUrl, first.tokenUrl, `${id}: token URL`);
      }
      // What the presets say of themselves, through the fill.
      assert.equal(dialogRules.presetValues(custom, "tuya").authHeader, "");
      assert.equal(dialogRules.presetValues(custom, "tuya").tokenUrl, "https://openapi.tuyacn.com/v1.0/token");
      assert.equal(dialogRules.presetValues(custom, "thingsboard").lifetime, 3600, "a default");
      assert.equal(dialogRules.presetValues(custom, "thingsboard").sign, "", "none: the default");
      assert.equal(dialogRules.presetValues(custom, "aliyun-iot").tokenUrl, "", "no token: every call signed");
      assert.equal(dialogRules.presetValues(custom, "aliyun-iot").params, '{"IotInstanceId": ""}', "the preset's own");
      assert.equal(dialogRules.presetValues(custom, "huawei-iam").params, '{"domain": "", "project": ""}');
      assert.equal(dialogRules.presetValues(custom, "ezviz").params, "", "no parameters");
      assert.throws(() => dialogRules.presetValues(custom, ""), /no preset/);
    });

    it("the region is the one whose token URL and API URL both are the saved ones, else custom", () => {
      const tuya = presets.tuya.regions;
      for (const [name, region] of Object.entries(tuya)) {
        assert.equal(dialogRules.presetRegionOf(region.tokenUrl, region.apiUrl, tuya), name);
        assert.equal(
          dialogRules.presetRegionOf(` ${region.tokenUrl.toUpperCase()}/ `, `${region.apiUrl}/`, tuya),
          name,
        );
      }
      const china = tuya.china;
      assert.equal(dialogRules.presetRegionOf(china.tokenUrl, tuya["central-europe"].apiUrl, tuya), "custom", "mixed");
      assert.equal(
        dialogRules.presetRegionOf("http://127.0.0.1:9000/v1.0/token", "http://127.0.0.1:9000", tuya),
        "custom",
      );
      // Without a token endpoint the region is the API URL's, the token URL empty.
      const aliyun = presets["aliyun-iot"].regions;
      assert.equal(dialogRules.presetRegionOf("", "https://iot.eu-central-1.aliyuncs.com", aliyun), "eu-central-1");
      assert.equal(
        dialogRules.presetRegionOf(undefined, "https://iot.eu-central-1.aliyuncs.com", aliyun),
        "eu-central-1",
      );
      assert.equal(
        dialogRules.presetRegionOf("https://x.example.com/t", "https://iot.eu-central-1.aliyuncs.com", aliyun),
        "custom",
      );
      assert.equal(dialogRules.presetRegionOf("", "", undefined as never), "custom");
    });

    it("reads the parameters from a plain object of texts, and nothing from any other expression", () => {
      const names = ["domain", "project"];
      assert.deepEqual(dialogRules.readParams('{"domain": "acme", "project": "cn-north-4"}', names), {
        readable: true,
        values: { domain: "acme", project: "cn-north-4" },
      });
      assert.deepEqual(dialogRules.readParams('{"domain": "acme", "RegionId": "x"}', names), {
        readable: true,
        values: { domain: "acme", project: "" },
      });
      assert.deepEqual(dialogRules.readParams("", names), { readable: true, values: { domain: "", project: "" } });
      assert.deepEqual(dialogRules.readParams(undefined, names), {
        readable: true,
        values: { domain: "", project: "" },
      });
      for (const text of ['{"domain": $env("DOMAIN")}', '{"domain": 42}', '["acme"]', "null", '"acme"', "{"])
        assert.deepEqual(dialogRules.readParams(text, names), { readable: false, values: {} }, text);
    });

    it("writes the parameters as a JSONata object of texts, trimmed, keeping the names it does not ask for", () => {
      const names = ["domain", "project"];
      assert.equal(
        dialogRules.writeParams("", names, { domain: " acme ", project: "cn-north-4" }),
        '{"domain": "acme", "project": "cn-north-4"}',
      );
      assert.equal(
        dialogRules.writeParams('{"RegionId": "cn-shanghai", "project": "old"}', names, {
          domain: "acme",
          project: "new",
        }),
        '{"RegionId": "cn-shanghai", "project": "new", "domain": "acme"}',
      );
      assert.equal(dialogRules.writeParams("", names, {}), '{"domain": "", "project": ""}');
      assert.equal(dialogRules.writeParams("", [], {}), "", "no parameter: no object");
      assert.equal(dialogRules.writeParams('{"a": "1"}', [], {}), '{"a": "1"}');
      // A value with quotes or backslashes stays one JSON text.
      const written = dialogRules.writeParams("", ["domain"], { domain: 'a"b\\c' });
      assert.deepEqual(JSON.parse(written), { domain: 'a"b\\c' });
      // What is written reads back the same.
      const values = { domain: "acme corp", project: "0b5f3a9c2e6d4f71a8c3e5b7d9f1a2c4" };
      assert.deepEqual(dialogRules.readParams(dialogRules.writeParams("", names, values), names), {
        readable: true,
        values,
      });
    });
  });
});
