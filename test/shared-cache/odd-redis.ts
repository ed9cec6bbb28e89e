// A server that speaks Redis's protocol (RESP2) with the replies a test gives it: what a broken
// server, or anyone between us and Redis, could say. It logs the commands it gets.
import * as net from "node:net";

/** The raw RESP reply to one command; `queued` while a MULTI is open (EXEC not yet sent). */
export type OddReply = (args: string[], queued: boolean) => string;

export interface OddRedis {
  url: string;
  commands: string[][];
  close(): Promise<unknown>;
}

export async function oddRedis(reply: OddReply): Promise<OddRedis> {
  const commands: string[][] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket)).on("error", () => undefined);
    let pending = Buffer.alloc(0);
    let queued = false;
    socket.on("data", (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      // Whole commands only: *<n>\r\n then n times $<length>\r\n<bytes>\r\n.
      for (;;) {
        const text = pending.toString("latin1");
        const header = /^\*(\d+)\r\n/.exec(text);
        if (!header) return;
        let at = header[0].length;
        const args: string[] = [];
        for (let n = Number(header[1]); n > 0; n--) {
          const bulk = /^\$(\d+)\r\n/.exec(text.slice(at));
          if (!bulk || text.length < at + bulk[0].length + Number(bulk[1]) + 2) return;
          at += bulk[0].length;
          args.push(text.slice(at, at + Number(bulk[1])));
          at += Number(bulk[1]) + 2;
        }
        pending = pending.subarray(at);
        commands.push(args);
        socket.write(reply(args, queued));
        if (args[0].toUpperCase() === "MULTI") queued = true;
        if (args[0].toUpperCase() === "EXEC") queued = false;
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `redis://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  const close = () => {
    for (const socket of sockets) socket.destroy();
    return new Promise((resolve) => server.close(resolve));
  };
  return { url, commands, close };
}
