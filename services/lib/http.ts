/**
 * What every Carechain HTTP service (services/responder, services/gateway) does the same way:
 * JSON answers (bigints as decimal strings) and listening on a loopback port with a clean close.
 */
import type http from "node:http";
import type { AddressInfo } from "node:net";

/** Writes `json` with `status` unless an answer was already sent. */
export function sendJson(res: http.ServerResponse, status: number, json: unknown): void {
  if (res.headersSent) return;
  const text = JSON.stringify(json, (_, v) => (typeof v === "bigint" ? v.toString() : v));
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

/** Listens on `host:port` (default 127.0.0.1, a free port); resolves the URL and a close that drops open connections. */
export async function listen(
  server: http.Server,
  port = 0,
  host = "127.0.0.1",
): Promise<{ url: string; close(): Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const a = server.address() as AddressInfo;
  return {
    url: `http://${a.address}:${a.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
