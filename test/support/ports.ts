// Ports on 127.0.0.1 for tests: bound once by the OS, then released.
import * as net from "node:net";

/**
 * A port that was free a moment ago: for a server the test starts next (the small race is
 * acceptable on a test machine), or, left unused, a port where a connection is refused.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
