// The editor's window on the credentials nodes, through Node-RED's admin API (the user's login and
// permissions apply): "Test" fetches a token with what a dialog holds (or with the deployed node)
// and says whether it worked, and "state" tells what a deployed node holds. Neither ever returns a
// token or a secret, and a secret the dialog did not change stays on the server (the dialog holds
// only Node-RED's placeholder for it) and is used only for exactly what the node was deployed with.
import { ADMIN_ROOT, STATE_PERMISSIONS, TEST_PERMISSIONS } from "../admin-api";
import { providers } from "../providers";
import type { ProviderAdapter } from "../providers/types";
import { asTokenError } from "./catchable-error";
import { needsPermissions } from "./admin-permissions";
import { comparableConfig, dialogProperties } from "./comparable-config";
import { CONFIG_VERSION, migrateConfig } from "./config-version";
import { CredentialsConfig, credentialsOf } from "./credentials-node";
import type { AdminRequest, NodeAPI, NodeDef } from "./node-red";
import { translator, type Translate } from "./translate";
import { usedFields } from "../providers/custom-settings";

/** A password field the dialog did not change comes back as this placeholder (Node-RED's own). */
const UNCHANGED_SECRET = "__PWRD__";

export interface TestAnswer {
  ok: boolean;
  vendor: string;
  /** On success: when the token expires (epoch ms) and how long it lives from now (s). */
  expiresAt?: number;
  expiresIn?: number;
  /** On failure: the text a Catch node would get, in the runtime's language. */
  message?: string;
  code?: string;
  /** Credentials without a token endpoint: nothing to fetch; their `sign` was evaluated for a sample call instead. */
  signingOnly?: boolean;
  /** The custom provider: the expressions the test used (those set of the token request, its answer and sign). */
  fields?: string[];
}

export function registerAdminRoutes(RED: NodeAPI): void {
  const t = translator(RED);
  RED.httpAdmin.post(`${ADMIN_ROOT}/test`, ...needsPermissions(RED, TEST_PERMISSIONS), (req, res) => {
    testCredentials(RED, req).then(
      (answer) => res.json(answer),
      (err: unknown) => res.status(500).json({ ok: false, message: asTokenError(err, "access-token").localize(t) }),
    );
  });

  RED.httpAdmin.get(`${ADMIN_ROOT}/:id/state`, ...needsPermissions(RED, STATE_PERMISSIONS), (req, res) => {
    const config = credentialsOf(RED.nodes.getNode(req.params.id));
    if (!config) {
      res.status(404).json({ message: t("access-token.admin.not-deployed") });
      return;
    }
    res.json(config.state(t));
  });
}

/**
 * With `id` alone: the deployed node's token (its cache: a held token answers at once). With the
 * dialog's type and properties: a one-off token request with exactly those, a secret left
 * unchanged taken from the deployed node `id`; the token is dropped, never cached or shared.
 */
async function testCredentials(RED: NodeAPI, req: AdminRequest): Promise<TestAnswer> {
  const t = translator(RED);
  const body = (req.body ?? {}) as Record<string, unknown>;
  const id = typeof body.id === "string" ? body.id : "";
  const adapter = Object.values(providers).find((p) => p.configType === body.type);
  if (!adapter) {
    const deployed = credentialsOf(RED.nodes.getNode(id));
    if (!deployed) return { ok: false, vendor: "", message: t("access-token.admin.not-deployed") };
    return answerFor(deployed.adapter, () => deployed.token({}), t);
  }
  // What a dialog holds is this release's config (the editor saves it with this version).
  const dialog: NodeDef = { id: id || "dialog", type: adapter.configType, version: CONFIG_VERSION };
  // Anything else in the body is ignored.
  for (const name of dialogProperties(adapter))
    if (body[name] !== undefined) dialog[name] = withEnvironment(body[name]);
  const config = migrateConfig(dialog);
  const { credentials, keptSecret } = dialogCredentials(RED, adapter, id, body.credentials);
  // A user's sign-in lives in the deployed node alone: a one-off probe has none to test with.
  const signIn = adapter.form.signIn;
  if (signIn?.values.includes(String(config[signIn.property]))) {
    const deployed = credentialsOf(RED.nodes.getNode(id));
    if (deployed?.comparable !== comparableConfig(config, adapter, credentials))
      return { ok: false, vendor: adapter.vendor, message: t("access-token.admin.sign-in-test") };
    return answerFor(adapter, () => deployed.token({}), t);
  }
  // A stored secret is used only with everything else as deployed: whoever may test must not be
  // able to send it to a host of their own, nor have an expression answer with it.
  if (
    keptSecret &&
    credentialsOf(RED.nodes.getNode(id))?.comparable !== comparableConfig(config, adapter, credentials)
  ) {
    return { ok: false, vendor: adapter.vendor, message: t("access-token.admin.retype-secret") };
  }
  const quiet = { credentials, warn: () => undefined, error: () => undefined, log: () => undefined };
  const probe = new CredentialsConfig(RED, config, adapter, quiet, false);
  const fields = adapter.id === "custom" ? usedFields(config) : undefined;
  try {
    if (probe.account?.provider.tokenless) return { ...(await signingAnswer(adapter, probe, t)), fields };
    return { ...(await answerFor(adapter, () => probe.token({}), t)), fields };
  } finally {
    await probe.close();
  }
}

/**
 * The dialog's credentials, each unchanged secret (or one left out) taken from the deployed node;
 * `keptSecret` when a stored secret is among them.
 */
function dialogCredentials(
  RED: NodeAPI,
  adapter: ProviderAdapter,
  id: string,
  given: unknown,
): { credentials: Record<string, string | undefined>; keptSecret: boolean } {
  const typed = given !== null && typeof given === "object" ? (given as Record<string, unknown>) : {};
  const stored = id ? (RED.nodes.getCredentials(id) ?? {}) : {};
  const credentials: Record<string, string | undefined> = {};
  let keptSecret = false;
  for (const field of adapter.credentialFields) {
    const value = typed[field];
    const fresh = typeof value === "string" && value !== UNCHANGED_SECRET;
    const kept = typeof stored[field] === "string" ? stored[field] : undefined;
    credentials[field] = withEnvironment(fresh ? value : kept);
    if (!fresh && kept && adapter.secretFields.includes(field)) keptSecret = true;
  }
  return { credentials, keptSecret };
}

/** `${NAME}` in a dialog value, as Node-RED substitutes it in a deployed node (process environment). */
function withEnvironment<T>(value: T): T {
  if (typeof value !== "string") return value;
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => process.env[name] ?? "") as T;
}

/** Credentials that sign each call: `sign` evaluated for a sample call to their API URL. */
async function signingAnswer(adapter: ProviderAdapter, probe: CredentialsConfig, t: Translate): Promise<TestAnswer> {
  try {
    await probe.signSample();
    return { ok: true, vendor: adapter.vendor, signingOnly: true };
  } catch (err) {
    const error = asTokenError(err, adapter.vendor);
    return { ok: false, vendor: adapter.vendor, message: error.localize(t), code: error.code };
  }
}

/** A token request's outcome as the editor shows it: the expiry on success, the error a Catch node would get. */
export async function answerFor(
  adapter: ProviderAdapter,
  fetch: () => Promise<{ expiresAt: number }>,
  t: (key: string, params?: Record<string, string | number | undefined>) => string,
): Promise<TestAnswer> {
  try {
    const token = await fetch();
    const expiresIn = Math.max(0, Math.round((token.expiresAt - Date.now()) / 1000));
    return { ok: true, vendor: adapter.vendor, expiresAt: token.expiresAt, expiresIn };
  } catch (err) {
    const error = asTokenError(err, adapter.vendor);
    return { ok: false, vendor: adapter.vendor, message: error.localize(t), code: error.code };
  }
}
