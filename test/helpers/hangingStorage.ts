import { createConnection, createServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";

const WRITES = new Set(["POST", "PUT", "PATCH", "MERGE", "DELETE"]);

/**
 * A loopback TCP proxy in front of a storage endpoint (Azurite) that can be switched to hang: it then accepts
 * every connection and never answers, the way an overloaded or half-dead storage endpoint does (a refused
 * connection is the easy case; this is the one that used to hold a card action for as long as it hung).
 * In "pass" mode it forwards bytes both ways, so the bot can start, seed and work normally first.
 */
export class HangingStorageProxy {
  private mode: "pass" | "hang" = "pass";
  /** In "pass" mode: how late the answers to writes come back (0: at once). Reads are answered at once. */
  private writeAnswerDelayMs = 0;
  private readonly server: Server;
  private readonly open = new Set<Socket>();
  /** Connections accepted while hanging: held open, read and never answered. */
  hungConnections = 0;

  constructor(private readonly upstream: { host: string; port: number }) {
    this.server = createServer((client) => this.accept(client));
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return this;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Points a storage connection string at this proxy instead of its endpoint. */
  connectionString(upstreamConnectionString: string): string {
    return upstreamConnectionString.replace(/TableEndpoint=http:\/\/[^/;]+/i, `TableEndpoint=http://127.0.0.1:${this.port}`);
  }

  /**
   * From now on nothing answers. Connections already open (the SDK keeps them alive) are cut, so every later
   * request opens a new connection, and that one hangs.
   */
  hang(): void {
    this.mode = "hang";
    this.closeAll();
  }

  /** Storage is back: new connections reach it again (hung ones are cut; their requests were given up already). */
  recover(): void {
    this.mode = "pass";
    this.writeAnswerDelayMs = 0;
    this.closeAll();
  }

  /**
   * Writes reach storage at once and are carried out, but their answers come `delayMs` late: a storage account
   * under load, or a network that drops the way back. Reads are answered at once.
   */
  answerWritesLate(delayMs: number): void {
    this.writeAnswerDelayMs = delayMs;
    this.closeAll();
  }

  async stop(): Promise<void> {
    this.closeAll();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    this.open.add(client);
    client.on("close", () => this.open.delete(client));
    client.on("error", () => client.destroy());
    if (this.mode === "hang") {
      this.hungConnections++;
      client.resume(); // read and drop the request: the other side sees a server that took it and never answers
      return;
    }
    const server = createConnection(this.upstream);
    this.open.add(server);
    server.on("close", () => (this.open.delete(server), client.destroy()));
    server.on("error", () => server.destroy());
    client.on("close", () => server.destroy());
    // The SDK sends one request at a time on a connection and waits for its answer, so the answer flowing back is
    // the one to the request last seen going out.
    let delayMs = 0;
    client.on("data", (chunk: Buffer) => {
      const method = /^([A-Z]+) /.exec(chunk.subarray(0, 10).toString("latin1"))?.[1];
      if (method) delayMs = WRITES.has(method) ? this.writeAnswerDelayMs : 0;
      server.write(chunk);
    });
    server.on("data", (chunk: Buffer) => {
      if (delayMs === 0) client.write(chunk);
      else setTimeout(() => client.writable && client.write(chunk), delayMs).unref();
    });
  }

  private closeAll(): void {
    for (const socket of this.open) socket.destroy();
    this.open.clear();
  }
}
