// A real control plane for the end-to-end tier: etcd and kube-apiserver (built by
// test/k8s/build-binaries.sh, cached outside the repo) started on loopback, or inside a network
// namespace the test created, with a generated service-account key, a static admin token and the
// API server's self-signed serving certificate. It writes a kubeconfig, runs kubectl, restarts the
// API server on demand (etcd stays up, so resource versions continue) and tears everything down.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, closeSync } from 'node:fs';
import { createServer } from 'node:net';
import { request } from 'node:https';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';

/** K8S_VERSION and ETCD_VERSION are the pinned versions build-binaries.sh produces. */
export const K8S_VERSION = process.env.LBCTL_K8S_VERSION ?? 'v1.36.3';

/** binDir is where build-binaries.sh caches the binaries. */
export function binDir(): string {
  if (process.env.LBCTL_K8S_BIN_DIR) return process.env.LBCTL_K8S_BIN_DIR;
  const cache = process.env.XDG_CACHE_HOME || path.join(homedir(), '.cache');
  return path.join(cache, 'lbctl-k8s', K8S_VERSION);
}

/** binariesAvailable tells whether the e2e tier can run, and why not. */
export function binariesAvailable(): { ok: boolean; why?: string } {
  const missing = ['etcd', 'kube-apiserver', 'kubectl'].filter((b) => !existsSync(path.join(binDir(), b)));
  if (missing.length) return { ok: false, why: `${missing.join(', ')} not built in ${binDir()} (run test/k8s/build-binaries.sh)` };
  return { ok: true };
}

/** KubectlResult is one kubectl run. */
export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** ControlPlaneOptions place the control plane. */
export interface ControlPlaneOptions {
  /** netns runs etcd, the API server and kubectl inside this (existing) network namespace. */
  netns?: string;
  /** address the API server binds and advertises (default 127.0.0.1; a netns needs a non-loopback one). */
  address?: string;
  /** compactionInterval makes etcd compact often (e.g. '5s'), to provoke 410 Gone in watch tests. */
  compactionInterval?: string;
  /** serviceCIDRs is --service-cluster-ip-range (default 10.0.0.0/24; add an IPv6 range for dual-stack). */
  serviceCIDRs?: string;
  /** extraArgs are appended to the kube-apiserver flags. */
  extraArgs?: string[];
}

/** ControlPlane is a running etcd + kube-apiserver. */
export interface ControlPlane {
  dir: string;
  server: string;
  /** etcdUrl is etcd's client URL (loopback of the control plane's namespace). */
  etcdUrl: string;
  kubeconfig: string;
  token: string;
  kubectl(args: string[], opts?: { input?: string; timeoutMs?: number }): Promise<KubectlResult>;
  /** kubectlOk runs kubectl and throws with stderr unless it exits 0. */
  kubectlOk(args: string[], opts?: { input?: string; timeoutMs?: number }): Promise<string>;
  stopApiserver(): Promise<void>;
  startApiserver(): Promise<void>;
  restartApiserver(): Promise<void>;
  /** logTail returns the end of a component's log (for failure messages). */
  logTail(component: 'etcd' | 'apiserver', lines?: number): string;
  stop(): Promise<void>;
}

/** freePort asks the kernel for an unused TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

// Every etcd and kube-apiserver still running is killed when the test process ends, however it
// ends (a failed before-hook skips the suites' after-hooks; Ctrl-C skips everything).
const live = new Set<ChildProcess>();
let exitHooked = false;
function hookExit(): void {
  if (exitHooked) return;
  exitHooked = true;
  const killAll = () => { for (const p of live) { try { p.kill('SIGKILL'); } catch { /* gone */ } } };
  process.once('exit', killAll);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => { killAll(); process.exit(130); });
}

/** killOnExit makes sure a child process does not outlive the test process. */
export function killOnExit<T extends ChildProcess>(p: T): T {
  hookExit();
  live.add(p);
  p.once('exit', () => live.delete(p));
  return p;
}

function spawnLogged(cmd: string, args: string[], logFile: string, netns?: string): ChildProcess {
  const fd = openSync(logFile, 'a');
  const [c, a] = netns ? ['ip', ['netns', 'exec', netns, cmd, ...args]] : [cmd, args];
  const p = spawn(c, a, { stdio: ['ignore', fd, fd] });
  closeSync(fd);
  return killOnExit(p);
}

async function stopProcess(p: ChildProcess | undefined, graceMs = 10_000): Promise<void> {
  if (!p || p.exitCode !== null || p.signalCode !== null) return;
  const exited = new Promise<void>((r) => p.once('exit', () => r()));
  p.kill('SIGTERM');
  const timer = setTimeout(() => p.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** waitHttp polls a URL until it answers 200 (or the process dies, or the deadline passes). */
async function waitHttp(probe: () => Promise<string>, proc: ChildProcess, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`${what} exited (${proc.exitCode ?? proc.signalCode}) before becoming ready`);
    last = await probe();
    if (last === '200') return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} not ready after ${timeoutMs} ms (last: ${last})`);
}

function get(url: string, ca: Buffer | undefined): Promise<string> {
  return new Promise((resolve) => {
    if (url.startsWith('http:')) {
      fetch(url, { signal: AbortSignal.timeout(2000) }).then((r) => resolve(String(r.status)), (e) => resolve(String(e.cause?.code ?? e.message)));
      return;
    }
    const req = request(url, { ca, timeout: 2000 }, (res) => { res.resume(); resolve(String(res.statusCode)); });
    req.on('error', (e) => resolve((e as NodeJS.ErrnoException).code ?? e.message));
    req.on('timeout', () => { req.destroy(); resolve('timeout'); });
    req.end();
  });
}

/** startControlPlane starts etcd, then kube-apiserver, and waits until both are ready. */
export async function startControlPlane(opts: ControlPlaneOptions = {}): Promise<ControlPlane> {
  const avail = binariesAvailable();
  if (!avail.ok) throw new Error(`k8s harness: ${avail.why}`);
  const bin = binDir();
  const dir = mkdtempSync(path.join(tmpdir(), 'lbk8s-cp-'));
  const address = opts.address ?? '127.0.0.1';
  const [etcdPort, peerPort, apiPort] = [await freePort(), await freePort(), await freePort()];
  const token = randomBytes(24).toString('hex');
  writeFileSync(path.join(dir, 'tokens.csv'), `${token},lbk8s-admin,lbk8s-admin-uid,system:masters\n`, { mode: 0o600 });
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
  writeFileSync(path.join(dir, 'sa.key'), privateKey, { mode: 0o600 });
  mkdirSync(path.join(dir, 'pki'));
  const caFile = path.join(dir, 'pki', 'apiserver.crt');
  const server = `https://${address.includes(':') ? `[${address}]` : address}:${apiPort}`;
  const kubeconfig = path.join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, kubeconfigText(server, caFile, token), { mode: 0o600 });

  const etcdUrl = `http://127.0.0.1:${etcdPort}`;
  const etcdArgs = ['--name=lbk8s', `--data-dir=${path.join(dir, 'etcd')}`, `--listen-client-urls=${etcdUrl}`, `--advertise-client-urls=${etcdUrl}`,
    `--listen-peer-urls=http://127.0.0.1:${peerPort}`, `--initial-advertise-peer-urls=http://127.0.0.1:${peerPort}`,
    `--initial-cluster=lbk8s=http://127.0.0.1:${peerPort}`, '--unsafe-no-fsync', '--log-level=warn'];
  if (opts.compactionInterval) etcdArgs.push('--auto-compaction-mode=periodic', `--auto-compaction-retention=${opts.compactionInterval}`);
  const apiArgs = [`--etcd-servers=${etcdUrl}`, `--bind-address=${address}`, `--advertise-address=${address}`, `--secure-port=${apiPort}`,
    `--cert-dir=${path.join(dir, 'pki')}`, `--service-cluster-ip-range=${opts.serviceCIDRs ?? '10.0.0.0/24'}`,
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    `--service-account-key-file=${path.join(dir, 'sa.key')}`, `--service-account-signing-key-file=${path.join(dir, 'sa.key')}`,
    `--token-auth-file=${path.join(dir, 'tokens.csv')}`, '--authorization-mode=RBAC', '--allow-privileged=true',
    '--disable-admission-plugins=ServiceAccount', '--profiling=false', '--event-ttl=1h'];
  // Loopback cannot be advertised (the kubernetes Endpoints would be invalid); nothing here needs them.
  if (address.startsWith('127.')) apiArgs.push('--endpoint-reconciler-type=none');
  if (opts.compactionInterval) apiArgs.push(`--etcd-compaction-interval=${opts.compactionInterval}`);
  apiArgs.push(...(opts.extraArgs ?? []));

  const etcdLog = path.join(dir, 'etcd.log');
  const apiLog = path.join(dir, 'apiserver.log');
  let etcd: ChildProcess | undefined;
  let api: ChildProcess | undefined;

  const kubectl = (args: string[], o: { input?: string; timeoutMs?: number } = {}): Promise<KubectlResult> => new Promise((resolve) => {
    const [c, a] = opts.netns ? ['ip', ['netns', 'exec', opts.netns, path.join(bin, 'kubectl'), ...args]] : [path.join(bin, 'kubectl'), args];
    const child = execFile(c, a, { env: { ...process.env, KUBECONFIG: kubeconfig }, timeout: o.timeoutMs ?? 60_000, maxBuffer: 16 << 20 },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout: String(stdout), stderr: String(stderr) }));
    if (o.input !== undefined) child.stdin?.end(o.input);
  });
  const kubectlOk = async (args: string[], o: { input?: string; timeoutMs?: number } = {}): Promise<string> => {
    const r = await kubectl(args, o);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr.trim()}`);
    return r.stdout;
  };
  const probeApi = async (): Promise<string> => {
    if (!opts.netns) return get(`${server}/readyz`, existsSync(caFile) ? readFileSync(caFile) : undefined);
    const r = await kubectl(['get', '--raw', '/readyz'], { timeoutMs: 5000 });
    return r.code === 0 ? '200' : r.stderr.trim().slice(0, 120);
  };
  const startApiserver = async (): Promise<void> => {
    api = spawnLogged(path.join(bin, 'kube-apiserver'), apiArgs, apiLog, opts.netns);
    await waitHttp(probeApi, api, 'kube-apiserver', 120_000);
  };
  const stopApiserver = async (): Promise<void> => { await stopProcess(api); api = undefined; };
  const stop = async (): Promise<void> => {
    await stopApiserver();
    await stopProcess(etcd);
    etcd = undefined;
    if (!process.env.LBCTL_K8S_KEEP) rmSync(dir, { recursive: true, force: true });
  };
  const logTail = (c: 'etcd' | 'apiserver', lines = 30): string => {
    try { return readFileSync(c === 'etcd' ? etcdLog : apiLog, 'utf8').split('\n').slice(-lines).join('\n'); } catch { return ''; }
  };

  try {
    etcd = spawnLogged(path.join(bin, 'etcd'), etcdArgs, etcdLog, opts.netns);
    await waitHttp(() => (opts.netns ? Promise.resolve('200') : get(`${etcdUrl}/health`, undefined)), etcd, 'etcd', 60_000);
    await startApiserver();
  } catch (err) {
    const tail = `\n--- etcd ---\n${logTail('etcd', 15)}\n--- kube-apiserver ---\n${logTail('apiserver', 25)}`;
    await stop();
    throw new Error(`${(err as Error).message}${tail}`);
  }
  return {
    dir, server, etcdUrl, kubeconfig, token, kubectl, kubectlOk, stopApiserver, startApiserver,
    restartApiserver: async () => { await stopApiserver(); await startApiserver(); },
    logTail, stop,
  };
}

/** kubeconfigText renders a one-context kubeconfig for the admin token. */
export function kubeconfigText(server: string, caFile: string, token: string): string {
  return [
    'apiVersion: v1', 'kind: Config', 'current-context: lbk8s',
    'clusters:', '- name: lbk8s', '  cluster:', `    server: ${server}`, `    certificate-authority: ${caFile}`,
    'users:', '- name: lbk8s-admin', '  user:', `    token: ${token}`,
    'contexts:', '- name: lbk8s', '  context:', '    cluster: lbk8s', '    user: lbk8s-admin', '',
  ].join('\n');
}
