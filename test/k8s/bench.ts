// Figures of the real-API-server tier: control plane start, API server restart, `kubectl apply -k
// manifests/`, and how long `lbctl controller --source k8s` takes to give N LoadBalancer Services
// their IPs through the API server (created in one `kubectl apply`, polled every 100 ms).
//   npx tsx test/k8s/bench.ts [N=50]          (needs test/k8s/build-binaries.sh and `npm run build`)
import { startControlPlane } from './harness.js';
import { apply, getJson, installLbctl, NS, serviceAccountKubeconfig, serviceManifest, startDaemon } from '../integration/k8s/support.js';

const n = Number(process.argv[2] ?? 50);

async function main(): Promise<void> {
  const t0 = Date.now();
  const cp = await startControlPlane();
  const started = Date.now() - t0;
  try {
    let t = Date.now();
    await cp.restartApiserver();
    const restarted = Date.now() - t;
    t = Date.now();
    await installLbctl(cp);
    const installed = Date.now() - t;
    await apply(cp, JSON.stringify({ apiVersion: 'metallb.io/v1beta1', kind: 'IPAddressPool', metadata: { name: 'bench', namespace: NS }, spec: { addresses: ['198.51.100.0/24'] } }));
    const ctl = startDaemon(cp, 'bench-controller', ['controller', '--source', 'k8s', '--kubeconfig', await serviceAccountKubeconfig(cp, 'lbctl-controller'), '--metrics-listen', '127.0.0.1:0']);
    try {
      await apply(cp, serviceManifest({ name: 'warmup' }));
      for (let i = 0; i < 200 && !(await getJson(cp, ['service', 'warmup']))?.status?.loadBalancer?.ingress; i++) await new Promise((r) => setTimeout(r, 100));
      const list = { apiVersion: 'v1', kind: 'List', items: Array.from({ length: n }, (_, i) => JSON.parse(serviceManifest({ name: `bench-${i}` }))) };
      t = Date.now();
      await apply(cp, JSON.stringify(list));
      const applied = Date.now() - t;
      let done = 0;
      for (let i = 0; i < 1200 && done < n; i++) {
        const svcs = await getJson(cp, ['services', '-l', '!nonexistent']);
        done = (svcs?.items ?? []).filter((s: any) => s.metadata.name.startsWith('bench-') && s.status?.loadBalancer?.ingress?.length).length;
        if (done < n) await new Promise((r) => setTimeout(r, 100));
      }
      const allocated = Date.now() - t;
      console.log(JSON.stringify({ services: n, controlPlaneStartMs: started, apiserverRestartMs: restarted, applyKustomizeAndEstablishMs: installed, kubectlApplyMs: applied, allIngressWrittenMs: allocated, allocated: done }));
    } finally {
      await ctl.stop();
    }
  } finally {
    await cp.stop();
  }
}

void main().catch((err) => { console.error(err); process.exitCode = 1; });
