// The OAuth2 grants a credentials node can use (the `grant` property): what each adds to a token
// request, and which credentials it needs besides the client's. One list; the first is the default.
import type { Credentials } from "./types";

export const GRANTS = ["client_credentials", "password", "authorization_code"] as const;
export type Grant = (typeof GRANTS)[number];

/** The credentials each grant needs besides the client's own: the dialog shows and requires only those. */
export const GRANT_CREDENTIALS: Readonly<Record<Grant, readonly string[]>> = {
  client_credentials: [],
  password: ["username", "password"],
  // A user's sign-in (oauth2-authorization-code.ts): the user's own credentials never reach Node-RED.
  authorization_code: [],
};

/** The grant's fields of a token request (RFC 6749 4.4.2, 4.3.2), and the values among them to mask. */
export function grantForm(grant: Grant, credentials: Credentials): { form: Record<string, string>; secrets: string[] } {
  switch (grant) {
    case "client_credentials":
      return { form: { grant_type: "client_credentials" }, secrets: [] };
    case "password": {
      const username = credentials.username ?? "";
      const password = credentials.password ?? "";
      return { form: { grant_type: "password", username, password }, secrets: [username, password] };
    }
    case "authorization_code":
      // Its first token comes from the sign-in's code exchange, the next ones from refreshes.
      throw new Error("the authorization code grant has no token request of its own");
  }
}
