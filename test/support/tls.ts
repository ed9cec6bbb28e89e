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

/** A test CA with a server certificate for 127.0.0.1 and a client certificate (mutual TLS). */
export interface MutualTlsCertificates {
  /** The CA that signed both certificates (PEM): a tls-config node's CA, the server's client CA. */
  ca: string;
  server: TestCertificate;
  client: TestCertificate;
  /** The client certificate's subject as RFC 4514 text, e.g. `CN=node-red-client`. */
  clientSubjectDn: string;
}

/** A fresh CA, server and client certificate, or undefined when no openssl CLI is installed. */
export function mutualTlsCertificates(clientCommonName = "node-red-client"): MutualTlsCertificates | undefined {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "access-token-mtls-"));
  const file = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => execFileSync("openssl", args, { stdio: "ignore", timeout: 10_000 });
  const ecKey = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  const signed = (name: string, subject: string, extensions: string) => {
    openssl("req", "-new", ...ecKey, "-keyout", file(`${name}.key`), "-out", file(`${name}.csr`), "-subj", subject);
    fs.writeFileSync(file(`${name}.ext`), extensions);
    openssl(
      "x509",
      "-req",
      "-in",
      file(`${name}.csr`),
      "-CA",
      file("ca.pem"),
      "-CAkey",
      file("ca.key"),
      "-CAcreateserial",
      "-days",
      "1",
      "-extfile",
      file(`${name}.ext`),
      "-out",
      file(`${name}.pem`),
    );
    return { cert: fs.readFileSync(file(`${name}.pem`), "utf8"), key: fs.readFileSync(file(`${name}.key`), "utf8") };
  };
  try {
    openssl(
      "req",
      "-x509",
      ...ecKey,
      "-keyout",
      file("ca.key"),
      "-out",
      file("ca.pem"),
      "-days",
      "1",
      "-subj",
      "/CN=access-token test CA",
      "-addext",
      "basicConstraints=critical,CA:TRUE",
      "-addext",
      "keyUsage=critical,keyCertSign",
    );
    const server = signed("server", "/CN=127.0.0.1", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
    const client = signed("client", `/CN=${clientCommonName}`, "extendedKeyUsage=clientAuth\n");
    return { ca: fs.readFileSync(file("ca.pem"), "utf8"), server, client, clientSubjectDn: `CN=${clientCommonName}` };
  } catch {
    return undefined;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
