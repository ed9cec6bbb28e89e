// Where the credentials nodes' admin routes live under Node-RED's admin root: the runtime serves
// them (src/nodes/admin-routes.ts, src/nodes/sidebar-routes.ts) and the editor's Test button, state
// panel and Tokens sidebar call them.
export const ADMIN_ROOT = "/access-token/credentials";

/**
 * The routes of a user's sign-in (oauth2's authorization code grant): `<root>/authorize?id=<node id>`
 * sends the browser to the vendor's sign-in page; the vendor sends it back to `<root>/callback`, the
 * redirect URI to register with the vendor (absolute: the editor's origin and Node-RED's admin root
 * before it). Authorize needs TEST_PERMISSIONS (it makes a token, as Test does).
 */
export const SIGN_IN_ROOT = "/access-token/oauth2";
export const AUTHORIZE_PATH = `${SIGN_IN_ROOT}/authorize`;
export const CALLBACK_PATH = `${SIGN_IN_ROOT}/callback`;
/** The BroadcastChannel (and message type) on which the callback's page tells the dialog a sign-in ended. */
export const SIGN_IN_CHANNEL = "iot-token-access-token-sign-in";

/**
 * The comms topic on which the runtime says that a credentials node's state changed: only its id
 * and what kind of change, never the state itself (comms reaches every editor, whatever the user's
 * permissions); the Tokens sidebar then reads the state through the admin route, which checks them.
 */
export const STATE_TOPIC = "access-token/credentials/state";

/**
 * What the Test route needs: it runs the dialog's JSONata expressions and ${NAME} on the server,
 * which can read what the runtime holds (environment variables, a stored secret), so as much as
 * deploying a flow does (flows.write), and the package's own permission to test (access-token.write).
 */
export const TEST_PERMISSIONS = ["flows.write", "access-token.write"] as const;

/** What the state route needs: it shows whether a token is held, never a token or a secret. */
export const STATE_PERMISSIONS = ["access-token.read"] as const;
