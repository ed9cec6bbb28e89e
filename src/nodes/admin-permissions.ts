// Who may use the credentials nodes' admin routes: the Node-RED permissions each needs under
// adminAuth (without it Node-RED lets every request through), in one place for every route.
import type { AdminHandler, NodeAPI } from "./node-red";

/**
 * What the Test route needs: it runs the dialog's JSONata expressions and ${NAME} on the server,
 * which can read what the runtime holds (environment variables, a stored secret), so as much as
 * deploying a flow does (flows.write), and the package's own permission to test (access-token.write).
 */
export const TEST_PERMISSIONS = ["flows.write", "access-token.write"] as const;

/** What the state route needs: it shows whether a token is held, never a token or a secret. */
export const STATE_PERMISSIONS = ["access-token.read"] as const;

/** One check per permission, each in turn (Node-RED's needsPermission takes one): a route needs them all. */
export function needsPermissions(RED: NodeAPI, permissions: readonly string[]): AdminHandler[] {
  return permissions.map((permission) => RED.auth.needsPermission(permission));
}
