// What the editor (nodes/access-token.html) needs to know about the providers, derived from the
// adapters so that each value has one definition: the build renders the credentials dialogs from
// this and hands it, as JSON, to the editor script. Pure: no Node-RED, no I/O.
import { ADMIN_ROOT, SIGN_IN_CHANNEL, SIGN_IN_ROOT, STATE_TOPIC } from "../admin-api";
import { TEST_PERMISSIONS } from "../admin-api";
import { LOOPBACK } from "../loopback";
import { providers } from "./index";
import type { Provider, ProviderId } from "./index";
import { presets } from "./presets";
import type { PresetRegion } from "./presets";
import type { FormProperty, ShownWhen } from "./types";

/** How the dialog asks for a credential field; the config node's other properties are FormProperty. */
export type FieldInput = "text" | "password";

export interface EditorField {
  /** The property name: its input is node-config-input-<name>, its label <configType>.label.<name>. */
  readonly name: string;
  readonly input: FieldInput;
  /** Kept in Node-RED's credential store, not in the flow file. */
  readonly credential: boolean;
  /** Required while shown. */
  readonly required: boolean;
  /** Several lines (a PEM key): a text area. */
  readonly multiline?: boolean;
  /** Shown, and required, only while a select of the dialog has one of these values. */
  readonly shownWhen?: ShownWhen;
}

export interface EditorProvider {
  readonly id: ProviderId;
  readonly configType: string;
  readonly fields: readonly EditorField[];
  /** The property that holds the URL: "baseUrl" (the vendors) or "tokenUrl" (oauth2, custom). */
  readonly urlProperty: "baseUrl" | "tokenUrl";
  readonly defaultBaseUrl: string;
  /** The provider's own properties (select, number, text, JSONata), shown after the URL. */
  readonly properties: readonly FormProperty[];
  /** Region name (the catalog key <configType>.region.<name>) -> base URL, for a region picker. */
  readonly regions?: Readonly<Record<string, string>>;
  /**
   * The dialog's rows in groups, each under its heading (the catalog key <configType>.group.<heading>;
   * none for the first): every property, credential field and the URL exactly once. Without
   * sections the URL, the fields and the properties follow one another (the vendors).
   */
  readonly sections?: readonly EditorSection[];
  /** The property whose expression proves every call when the URL is empty (custom: sign); else the URL is required. */
  readonly signedWithoutUrl?: string;
  /** What the dialog's Start from (the `preset` property) fills in, in the order it offers them. */
  readonly presets?: readonly EditorPreset[];
  /** A user's sign-in (oauth2's authorization code): when the dialog offers it. */
  readonly signIn?: ShownWhen;
}

export interface EditorSection {
  readonly heading?: string;
  readonly rows: readonly string[];
}

/**
 * A preset as the editor needs it (src/providers/presets/, not packed: the build hands it over):
 * its fields, its regions' URLs (labels: <configType>.preset.<id>.region.<name>), the names of its
 * parameters (labels: <configType>.preset.<id>.params.<name>; values written into `params`).
 * Key and secret labels and a help text: <configType>.preset.<id>.{key,secret,help}.
 */
export interface EditorPreset {
  readonly id: string;
  readonly fields: Readonly<Record<string, string | number>>;
  readonly regions: Readonly<Record<string, PresetRegion>>;
  readonly params: readonly string[];
}

export interface EditorDefinitions {
  /** In the order the get token dialog offers them; a new get token node starts with the first. */
  readonly providers: readonly EditorProvider[];
  /** The hosts plain HTTP may go to without the opt-in: the runtime's rule (src/loopback.ts). */
  readonly loopback: typeof LOOPBACK;
  /** The `version` every node config is saved with (src/nodes/config-version.ts). */
  readonly configVersion: number;
  /** The admin routes of the Test button and the state panel (src/nodes/admin-routes.ts). */
  readonly adminRoot: typeof ADMIN_ROOT;
  /** The comms topic of state changes the Tokens sidebar listens to (src/nodes/state-events.ts). */
  readonly stateTopic: typeof STATE_TOPIC;
  /** The sign-in routes (src/nodes/sign-in-routes.ts) and the channel its page tells the dialog on. */
  readonly signInRoot: typeof SIGN_IN_ROOT;
  readonly signInChannel: typeof SIGN_IN_CHANNEL;
  /** What the sidebar's actions need, as the Test route (the routes check it; the sidebar only disables what would be refused). */
  readonly actionPermissions: typeof TEST_PERMISSIONS;
}

/** The custom dialog's groups (issue #25): Start from and the credentials, then one group per step of a call. */
const CUSTOM_SECTIONS: readonly EditorSection[] = [
  { rows: ["preset", "params", "key", "secret"] },
  { heading: "tokenRequest", rows: ["tokenUrl", "method", "bodyType", "request"] },
  { heading: "tokenAnswer", rows: ["token", "expiresIn", "lifetime", "ok", "errorCode", "errorMessage", "apiBase"] },
  { heading: "refresh", rows: ["refreshToken", "refreshRequest"] },
  { heading: "everyRequest", rows: ["sign", "authHeader", "authValue"] },
  { heading: "apiAnswers", rows: ["apiExpired", "apiOk", "apiErrorCode", "apiErrorMessage"] },
  { heading: "api", rows: ["apiUrl", "apiHosts"] },
];

/** The oauth2 dialog's order: the grant and the client authentication before the fields they show. */
const OAUTH2_SECTIONS: readonly EditorSection[] = [
  {
    rows: [
      "tokenUrl",
      "grant",
      "authorizationUrl",
      "clientAuth",
      "clientId",
      "clientSecret",
      "privateKey",
      "keyId",
      "assertionAudience",
      "username",
      "password",
      "scope",
      "audience",
      "resource",
      "lifetime",
      "apiUrl",
      "apiHosts",
    ],
  },
];

function customDialog(): Pick<EditorProvider, "sections" | "signedWithoutUrl" | "presets"> {
  return {
    sections: CUSTOM_SECTIONS,
    signedWithoutUrl: "sign",
    presets: Object.values(presets).map((preset) => ({
      id: preset.id,
      fields: preset.fields,
      regions: preset.regions,
      params: preset.params,
    })),
  };
}

function credentialField(adapter: Provider, name: string): EditorField {
  // The runtime refuses to fetch a token while a credential it shows is missing, so the dialog requires each.
  const form = adapter.form.credentials?.[name];
  return {
    name,
    input: adapter.secretFields.includes(name) ? "password" : "text",
    credential: true,
    required: true,
    ...(form?.multiline ? { multiline: true } : {}),
    ...(form?.shownWhen ? { shownWhen: form.shownWhen } : {}),
  };
}

export function editorProvider(adapter: Provider): EditorProvider {
  return {
    id: adapter.id,
    configType: adapter.configType,
    fields: adapter.credentialFields.map((name) => credentialField(adapter, name)),
    urlProperty: adapter.form.urlProperty,
    defaultBaseUrl: adapter.form.defaultBaseUrl,
    properties: adapter.form.properties ?? [],
    ...(adapter.form.regions ? { regions: adapter.form.regions } : {}),
    ...(adapter.form.signIn ? { signIn: adapter.form.signIn } : {}),
    ...(adapter.id === "custom" ? customDialog() : {}),
    ...(adapter.id === "oauth2" ? { sections: OAUTH2_SECTIONS } : {}),
  };
}

export function editorDefinitions(configVersion: number): EditorDefinitions {
  return {
    providers: Object.values(providers).map(editorProvider),
    loopback: LOOPBACK,
    configVersion,
    adminRoot: ADMIN_ROOT,
    stateTopic: STATE_TOPIC,
    signInRoot: SIGN_IN_ROOT,
    signInChannel: SIGN_IN_CHANNEL,
    actionPermissions: TEST_PERMISSIONS,
  };
}
