// Who may use the credentials nodes' admin routes: the Node-RED permissions each needs under
// adminAuth (without it Node-RED lets every request through), in one place for every route.
import type { AdminHandler, NodeAPI } from "./node-red";

/**
 * One check per permission, each in turn (Node-RED's needsPermission takes one): a route needs them
 * all. A user who is logged in but lacks one is answered 403 (RFC 9110 15.5.4): Node-RED itself says
 * 401 then, which a client reads as "log in", while a request without a login keeps Node-RED's 401.
 */
export function needsPermissions(RED: NodeAPI, permissions: readonly string[]): AdminHandler[] {
  return permissions.map((permission) => forbiddingLoggedIn(RED.auth.needsPermission(permission)));
}

/**
 * Node-RED's check, whose one `res.status(401)` is sent only for a known user without the permission
 * (a missing login is refused by its passport strategies, which set statusCode and never call
 * status), answering 403 instead. On this request's own response object: the routes behind it send
 * no 401 of their own.
 */
function forbiddingLoggedIn(check: AdminHandler): AdminHandler {
  return (req, res, next) => {
    const status = res.status.bind(res);
    res.status = (code: number) => status(code === 401 ? 403 : code);
    check(req, res, next);
  };
}
