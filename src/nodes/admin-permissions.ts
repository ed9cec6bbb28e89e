// Who may act through the credentials nodes' admin routes: fetching a token (the Test button, the
// Tokens sidebar's Refresh) runs the node's settings (a custom provider's expressions) on the
// server and asks the vendor, so it needs both permissions. Each is checked by its own
// RED.auth.needsPermission handler, chained in the route.
export const ACTION_PERMISSIONS = ["access-token.write", "flows.write"] as const;

/** Reading what deployed nodes hold (never a token or a secret). */
export const READ_PERMISSION = "access-token.read";
