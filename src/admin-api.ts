// Where the credentials nodes' admin routes live under Node-RED's admin root: the runtime serves
// them (src/nodes/admin-routes.ts) and the editor's Test button and state panel call them.
export const ADMIN_ROOT = "/access-token/credentials";
