// The package's one node set: the credentials config nodes, get token and api request share one
// message catalog (locales/*/access-token.json) and one editor file (access-token.html).
import { registerAdminRoutes } from "./admin-routes";
import { registerApiRequestNode } from "./api-request-node";
import { registerCredentialsNodes } from "./credentials-node";
import { registerGetTokenNode } from "./get-token-node";
import type { NodeAPI } from "./node-red";
import { registerSidebarRoutes } from "./sidebar-routes";
import { registerSignInRoutes } from "./sign-in-routes";

export = function accessTokenNodes(RED: NodeAPI): void {
  registerCredentialsNodes(RED);
  registerGetTokenNode(RED);
  registerApiRequestNode(RED);
  registerAdminRoutes(RED);
  registerSidebarRoutes(RED);
  registerSignInRoutes(RED);
};
