// Shared steps of the Kubernetes end-to-end suites: a control plane with lbctl installed from
// manifests/ (kustomize), least-privilege kubeconfigs for the daemons' ServiceAccounts, daemons
// started as `lbctl controller|speaker --source k8s`, and kubectl-based waits.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync, readFileSync, openSync, closeSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startControlPlane, binariesAvailable, killOnExit, type ControlPlane, type ControlPlaneOptions } from '../../k8s/harness.js';
import { waitFor } from '../../support/netns.js';

/** ROOT is the repository root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** NS is lbctl's namespace in the manifests. */
export const NS = 'metallb-system';

/** e2eSkipReason says why the e2e tier cannot run here (undefined when it can). */
export function e2eSkipReason(): string | undefined {
  if (process.env.LBCTL_SKIP_K8S_E2E) return 'LBCTL_SKIP_K8S_E2E is set';
  const b = binariesAvailable();
  return b.ok ? undefined : b.why;
}

/** cliBuilt tells whether `node bin/run.js <cmd>` exists (npm test builds dist/ first). */
export function cliBuilt(cmd: 'controller' | 'speaker' | 'migrate'): boolean {
  return existsSync(path.join(ROOT, 'dist', 'cli', 'commands', `${cmd}.js`));
}

/** installLbctl applies `kubectl apply -k manifests/` and waits for every CRD to be Established. */
export async function installLbctl(cp: ControlPlane): Promise<string> {
  const out = await cp.kubectlOk(['apply', '-k', path.join(ROOT, 'manifests')], { timeoutMs: 120_000 });
  await cp.kubectlOk(['wait', '--for=condition=Established', '--timeout=60s', 'crd', '-l', 'app.kubernetes.io/name=lbctl'], { timeoutMs: 90_000 });
  return out;
}

/** startCluster starts a control plane with lbctl installed. */
export async function startCluster(opts: ControlPlaneOptions = {}): Promise<ControlPlane> {
  const cp = await startControlPlane(opts);
  try {
    await installLbctl(cp);
  } catch (err) {
    await cp.stop();
    throw err;
  }
  return cp;
}

/**
 * serviceAccountKubeconfig writes a kubeconfig that authenticates as a ServiceAccount of the
 * manifests (token from the TokenRequest API), so the daemons run with exactly the shipped RBAC.
 */
export async function serviceAccountKubeconfig(cp: ControlPlane, sa: string): Promise<string> {
  const token = (await cp.kubectlOk(['create', 'token', sa, '-n', NS, '--duration=2h'])).trim();
  const admin = readFileSync(cp.kubeconfig, 'utf8');
  const file = path.join(cp.dir, `${sa}.kubeconfig`);
  writeFileSync(file, admin.replace(/token: .*/, `token: ${token}`), { mode: 0o600 });
  return file;
}

/** Daemon is a running `lbctl controller|speaker`. */
export interface Daemon {
  proc: ChildProcess;
  log: string;
  stop(): Promise<void>;
  output(): string;
}

/** startDaemon runs `node bin/run.js <args>` (optionally inside a netns), logging to a file. */
export function startDaemon(cp: ControlPlane, name: string, args: string[], netns?: string, env: Record<string, string> = {}): Daemon {
  const log = path.join(cp.dir, `${name}.log`);
  const fd = openSync(log, 'a');
  const node = process.execPath;
  const argv = [path.join(ROOT, 'bin', 'run.js'), ...args];
  const [cmd, a] = netns ? ['ip', ['netns', 'exec', netns, node, ...argv]] : [node, argv];
  const proc = killOnExit(spawn(cmd, a, { cwd: ROOT, stdio: ['ignore', fd, fd], env: { ...process.env, LBCTL_LOG_LEVEL: process.env.LBCTL_E2E_LOG_LEVEL ?? 'debug', ...env } }));
  closeSync(fd);
  const output = () => { try { return readFileSync(log, 'utf8'); } catch { return ''; } };
  return {
    proc, log, output,
    stop: async () => {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const done = new Promise<void>((r) => proc.once('exit', () => r()));
      proc.kill('SIGTERM');
      const t = setTimeout(() => proc.kill('SIGKILL'), 8000);
      await done;
      clearTimeout(t);
    },
  };
}

/** getJson runs `kubectl get -o json` and parses it (undefined when the object is absent). */
export async function getJson(cp: ControlPlane, args: string[]): Promise<any> {
  const r = await cp.kubectl(['get', ...args, '-o', 'json']);
  if (r.code !== 0) return undefined;
  return JSON.parse(r.stdout);
}

/** ingressOf reads status.loadBalancer.ingress[].ip of a Service. */
export async function ingressOf(cp: ControlPlane, ns: string, name: string): Promise<string[]> {
  const svc = await getJson(cp, ['service', name, '-n', ns]);
  return (svc?.status?.loadBalancer?.ingress ?? []).map((i: { ip?: string }) => i.ip).filter(Boolean);
}

/** until is test/support/netns.ts's waitFor with the slower defaults an apiserver round trip wants. */
export async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 30_000, everyMs = 250): Promise<T> {
  return waitFor(what, check, timeoutMs, everyMs);
}

/** ServiceSpec is the part of a test Service that varies between cases. */
export interface ServiceSpec {
  name: string;
  namespace?: string;
  annotations?: Record<string, string>;
  labels?: Record<string, string>;
  loadBalancerIP?: string;
  loadBalancerClass?: string;
  port?: number;
  protocol?: 'TCP' | 'UDP';
  selector?: Record<string, string>;
  externalTrafficPolicy?: 'Cluster' | 'Local';
  type?: string;
  ipFamilies?: ('IPv4' | 'IPv6')[];
  ipFamilyPolicy?: 'SingleStack' | 'PreferDualStack' | 'RequireDualStack';
}

/** serviceManifest renders a LoadBalancer Service as JSON (kubectl apply accepts it). */
export function serviceManifest(s: ServiceSpec): string {
  const spec: Record<string, unknown> = {
    type: s.type ?? 'LoadBalancer',
    ports: [{ name: 'p', port: s.port ?? 80, protocol: s.protocol ?? 'TCP', targetPort: 8080 }],
    selector: s.selector ?? { app: s.name },
  };
  if (s.loadBalancerIP) spec.loadBalancerIP = s.loadBalancerIP;
  if (s.loadBalancerClass) spec.loadBalancerClass = s.loadBalancerClass;
  if (s.externalTrafficPolicy) spec.externalTrafficPolicy = s.externalTrafficPolicy;
  if (s.ipFamilies) spec.ipFamilies = s.ipFamilies;
  if (s.ipFamilyPolicy) spec.ipFamilyPolicy = s.ipFamilyPolicy;
  return JSON.stringify({
    apiVersion: 'v1', kind: 'Service',
    metadata: { name: s.name, namespace: s.namespace ?? 'default', annotations: s.annotations ?? {}, labels: s.labels ?? {} },
    spec,
  });
}

/** apply pipes manifests into `kubectl apply -f -`. */
export async function apply(cp: ControlPlane, text: string): Promise<string> {
  return cp.kubectlOk(['apply', '-f', '-'], { input: text });
}
