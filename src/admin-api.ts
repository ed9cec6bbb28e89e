// Where the credentials nodes' admin routes live under Node-RED's admin root: the runtime serves
// them (src/nodes/admin-routes.ts, src/nodes/sidebar-routes.ts) and the editor's Test button, state
// panel and Tokens sidebar call them.
export const ADMIN_ROOT = "/access-token/credentials";

/**
 * The comms topic on which the runtime says that a credentials node's state changed: only its id
 * and what kind of change, never the state itself (comms reaches every editor, whatever the user's
 * permissions); the Tokens sidebar then reads the state through the admin route, which checks them.
 */
export const STATE_TOPIC = "access-token/credentials/state";
