// The HTTP endpoint of a daemon: /metrics (Prometheus text), /healthz (the process is serving) and
// /readyz (the daemon has synced and has a config; 503 with the reason otherwise).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

/** Readiness is what /readyz reports: ready, or why not. */
export type Readiness = { ready: true } | { ready: false; reason: string };

/** MetricsServer is a started HTTP server; `address` is where it listens. */
export interface MetricsServer {
  address: string;
  close(): Promise<void>;
}

/** parseListen splits `host:port` (IPv6 hosts in brackets); port 0 picks a free port. */
export function parseListen(listen: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(listen);
  if (!m) throw new Error(`metrics: listen address ${JSON.stringify(listen)} is not host:port`);
  const port = Number(m[3]);
  if (port > 65535) throw new Error(`metrics: port ${port} in ${JSON.stringify(listen)} is out of range`);
  return { host: m[1] ?? (m[2] || '0.0.0.0'), port };
}

/** startMetricsServer serves the registry and the probes on `listen`. */
export async function startMetricsServer(listen: string, registry: Registry, readiness: () => Readiness): Promise<MetricsServer> {
  const { host, port } = parseListen(listen);
  const server = http.createServer((req, res) => {
    const url = (req.url ?? '/').split('?')[0];
    if (url === '/metrics') {
      registry.metrics().then((text) => {
        res.writeHead(200, { 'content-type': registry.contentType });
        res.end(text);
      }, (err: Error) => { res.writeHead(500); res.end(err.message); });
    } else if (url === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok\n');
    } else if (url === '/readyz') {
      const r = readiness();
      res.writeHead(r.ready ? 200 : 503, { 'content-type': 'text/plain' });
      res.end(r.ready ? 'ok\n' : `not ready: ${r.reason}\n`);
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found\n');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const a = server.address() as AddressInfo;
  return {
    address: `${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}`,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
