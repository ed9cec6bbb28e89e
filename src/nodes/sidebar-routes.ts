// The Tokens sidebar's admin routes: what every deployed credentials node holds, in one answer (one
// request however many nodes the workspace has; the state route's permissions), and a forced
// refresh of one node's token (the Test route's permissions). Neither answer
// ever holds a token or a secret.
import { ADMIN_ROOT, STATE_PERMISSIONS, TEST_PERMISSIONS } from "../admin-api";
import { needsPermissions } from "./admin-permissions";
import { answerFor } from "./admin-routes";
import { asTokenError } from "./catchable-error";
import { credentialsOf } from "./credentials-node";
import type { CredentialsState } from "./credentials-state";
import type { NodeAPI } from "./node-red";
import { translator } from "./translate";

export function registerSidebarRoutes(RED: NodeAPI): void {
  const t = translator(RED);
  const read = needsPermissions(RED, STATE_PERMISSIONS);
  // A refresh fetches a token with the node's settings, as the Test route does: the same permissions.
  const act = needsPermissions(RED, TEST_PERMISSIONS);

  /** Node id -> its state, for every credentials node of the deployed flows. */
  RED.httpAdmin.get(`${ADMIN_ROOT}/states`, ...read, (_req, res) => {
    const states: Record<string, CredentialsState> = {};
    RED.nodes.eachNode((node) => {
      const config = credentialsOf(RED.nodes.getNode(node.id));
      if (config) states[node.id] = config.state(t);
    });
    res.json(states);
  });

  /** A new token for the deployed node, even though the held one is still valid: answered as the Test route answers. */
  RED.httpAdmin.post(`${ADMIN_ROOT}/:id/refresh`, ...act, (req, res) => {
    const config = credentialsOf(RED.nodes.getNode(req.params.id));
    if (!config) {
      res.status(404).json({ message: t("access-token.admin.not-deployed") });
      return;
    }
    answerFor(config.adapter, () => config.token({ forceRefresh: true }), t).then(
      (answer) => res.json(answer),
      (err: unknown) => res.status(500).json({ ok: false, message: asTokenError(err, "access-token").localize(t) }),
    );
  });
}
