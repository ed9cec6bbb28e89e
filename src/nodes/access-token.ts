// The package's one node set: the three credentials config nodes and the get token node share one
// message catalog (locales/*/access-token.json) and one editor file (access-token.html).
import { registerCredentialsNodes } from "./credentials-node";
import { registerGetTokenNode } from "./get-token-node";
import type { NodeAPI } from "./node-red";

export = function accessTokenNodes(RED: NodeAPI): void {
  registerCredentialsNodes(RED);
  registerGetTokenNode(RED);
};
