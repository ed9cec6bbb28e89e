// Which hosts count as this machine: plain HTTP is allowed to them without the opt-in. Written as
// data so that the editor's URL check (handed this by the build) applies the very same rule.
export const LOOPBACK = {
  names: ["localhost", "::1"],
  /** IPv4 127.0.0.0/8, anchored: "127.0.0.1.example.com" is not loopback. */
  ipv4: "^127(\\.\\d{1,3}){3}$",
} as const;

const IPV4_LOOPBACK = new RegExp(LOOPBACK.ipv4);

export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return (LOOPBACK.names as readonly string[]).includes(host) || IPV4_LOOPBACK.test(host);
}
