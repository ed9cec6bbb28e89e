// TLS for tests: a self-signed certificate for 127.0.0.1 made at run time with the openssl CLI (no
// private key is ever committed), and a front that listens on 127.0.0.1 — with TLS or as plain TCP —
// and relays every connection to the plain-HTTP simulator.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import * as tls from "node:tls";

export interface TestCertificate {
  cert: string;
  key: string;
}

/** A fresh self-signed certificate for 127.0.0.1, or undefined when no openssl CLI is installed. */
export function selfSignedCertificate(): TestCertificate | undefined {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "access-token-tls-"));
  try {
    const keyFile = path.join(dir, "key.pem");
    const certFile = path.join(dir, "cert.pem");
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        keyFile,
        "-out",
        certFile,
        "-days",
        "1",
        "-subj",
        "/CN=127.0.0.1",
        "-addext",
        "subjectAltName=IP:127.0.0.1",
      ],
      { stdio: "ignore", timeout: 10_000 },
    );
    return { cert: fs.readFileSync(certFile, "utf8"), key: fs.readFileSync(keyFile, "utf8") };
  } catch {
    return undefined;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Listens on 127.0.0.1 and pipes each connection to 127.0.0.1:targetPort. */
export class Relay {
  private readonly sockets = new Set<net.Socket>();
  private server?: net.Server;

  constructor(
    private readonly targetPort: number,
    private readonly certificate?: TestCertificate,
  ) {}

  get port(): number {
    return (this.server?.address() as net.AddressInfo).port;
  }

  /** Listen on `port` (0: any free one). With a certificate, clients must speak TLS. */
  async listen(port = 0): Promise<this> {
    const onSocket = (socket: net.Socket) => this.relay(socket);
    const server = this.certificate ? tls.createServer(this.certificate, onSocket) : net.createServer(onSocket);
    // Failed handshakes (the client refused our certificate) are the point of some tests, not errors.
    server.on("tlsClientError", () => undefined);
    server.on("connection", (socket: net.Socket) => this.track(socket));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => resolve());
    });
    this.server = server;
    return this;
  }

  close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }

  private track(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.once("close", () => this.sockets.delete(socket));
    socket.on("error", () => socket.destroy());
  }

  private relay(socket: net.Socket): void {
    this.track(socket);
    const upstream = net.connect(this.targetPort, "127.0.0.1");
    this.track(upstream);
    upstream.pipe(socket);
    socket.pipe(upstream);
    upstream.once("close", () => socket.destroy());
    socket.once("close", () => upstream.destroy());
  }
}
