// One redis-server for the topology tests, each in a temporary directory of its own, ended by
// stop(): over TLS only (a fresh self-signed certificate, the CA to trust), or on a unix socket only.
import * as fs from "node:fs";
import * as path from "node:path";
import { freePort } from "../support/ports";
import { selfSignedCertificate } from "../support/tls";
import { connect, Group, SERVER_READY, serverArgs, type Client } from "./redis-processes";

export interface TlsRedis {
  /** rediss://127.0.0.1:<tls port>/0 */
  url: string;
  /** The self-signed certificate the server presents, in PEM: the CA to trust. */
  ca: string;
  admin(): Promise<Client>;
  stop(): Promise<void>;
}

/** A redis-server that speaks only TLS (no plain port), with a fresh self-signed certificate. */
export async function startTlsRedis(): Promise<TlsRedis> {
  const certificate = selfSignedCertificate();
  if (!certificate) throw new Error("openssl is not installed: apt-get install openssl");
  const group = new Group();
  const cert = path.join(group.dir, "cert.pem");
  const key = path.join(group.dir, "key.pem");
  fs.writeFileSync(cert, certificate.cert);
  fs.writeFileSync(key, certificate.key, { mode: 0o600 });
  const port = await freePort();
  await group.start(
    "redis-server",
    serverArgs(
      group.dir,
      "--port",
      "0",
      "--tls-port",
      String(port),
      "--tls-cert-file",
      cert,
      "--tls-key-file",
      key,
    ).concat(["--tls-ca-cert-file", cert, "--tls-auth-clients", "no"]),
    SERVER_READY,
  );
  const url = `rediss://127.0.0.1:${port}/0`;
  return {
    url,
    ca: certificate.cert,
    admin: () => connect({ url, socket: { tls: true, ca: certificate.cert } }),
    stop: () => group.stop(),
  };
}

export interface UnixRedis {
  /** unix:///tmp/.../redis.sock */
  url: string;
  socketPath: string;
  admin(): Promise<Client>;
  stop(): Promise<void>;
}

/** A redis-server on a unix socket only (port 0: no TCP at all). */
export async function startUnixRedis(): Promise<UnixRedis> {
  const group = new Group();
  const socketPath = path.join(group.dir, "redis.sock");
  await group.start(
    "redis-server",
    serverArgs(group.dir, "--port", "0", "--unixsocket", socketPath, "--unixsocketperm", "700"),
    SERVER_READY,
  );
  return {
    url: `unix://${socketPath}`,
    socketPath,
    admin: () => connect({ socket: { path: socketPath, tls: false } }),
    stop: () => group.stop(),
  };
}
