/** A one-route local HTTP server for model-download tests: counts what it sends and the sockets left open. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

let server: Server | null = null;

export interface ITestServer {
    url: string;
    /** Bytes the handler managed to write before the client went away. */
    sent: () => number;
    /** Resolves when the first request arrives. */
    requested: Promise<void>;
    /** Resolves once no client socket is open (polled; rejects after 5 s). */
    allClosedAsync: () => Promise<void>;
}

/** A local HTTP server whose one route is `handler`; counts what it sends. */
export async function serve(handler: (res: ServerResponse, count: (n: number) => void, req: IncomingMessage) => void): Promise<ITestServer> {
    let sent = 0;
    let open = 0;
    let onRequest: () => void = () => {};
    const requested = new Promise<void>((resolve) => (onRequest = resolve));
    server = createServer((req, res) => {
        onRequest();
        handler(res, (n) => (sent += n), req);
    });
    server.on("connection", (socket) => {
        open++;
        socket.on("close", () => open--);
    });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    const allClosedAsync = async () => {
        for (let waited = 0; open > 0; waited += 20) {
            if (waited > 5000) throw new Error(`${open} socket(s) still open after 5 s`);
            await new Promise((resolve) => setTimeout(resolve, 20));
        }
    };
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/model.onnx`, sent: () => sent, requested, allClosedAsync };
}

/** Closes the server and any connection left open (call after each test). */
export async function stopServer(): Promise<void> {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
    server = null;
}
