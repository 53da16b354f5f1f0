// The two-namespace BGP lab: our speaker in `spk` (192.0.2.1, 2001:db8::1), a router in `rtr`
// (192.0.2.2, 2001:db8::2), joined by a veth pair. Everything lives inside the namespaces.
import { Lab, canUseNetns, hasCommand, type Netns } from './netns.js';
import { routerBinary, type RouterKind } from './routers.js';
import { SpeakerProc } from './speaker-proc.js';

/** SPK holds our speaker's addresses in the lab. */
export const SPK = { v4: '192.0.2.1', v6: '2001:db8::1' };
/** RTR holds the router's addresses in the lab. */
export const RTR = { v4: '192.0.2.2', v6: '2001:db8::2' };

/** BgpLab is a lab with both namespaces and our speaker process running. */
export interface BgpLab {
  lab: Lab;
  spk: Netns;
  rtr: Netns;
  speaker: SpeakerProc;
}

/** bgpLabMissing returns why the lab cannot run here (no root, missing daemons), or undefined. */
export function bgpLabMissing(kinds: RouterKind[] = []): string | undefined {
  const ns = canUseNetns();
  if (!ns.ok) return ns.why;
  for (const k of kinds) if (!hasCommand(routerBinary(k))) return `${routerBinary(k)} is not installed`;
  return undefined;
}

/** openBgpLab builds the namespaces and link, and starts our speaker in `spk`. */
export async function openBgpLab(prefix: string, speakerOpts: { nextHopV6?: string; connectTimeoutMs?: number } = {}): Promise<BgpLab> {
  const lab = new Lab(prefix);
  try {
    const spk = lab.ns('spk');
    const rtr = lab.ns('rtr');
    lab.link(spk, `${lab.id}s`, rtr, `${lab.id}r`);
    spk.exec('ip', ['addr', 'add', `${SPK.v4}/24`, 'dev', `${lab.id}s`]);
    rtr.exec('ip', ['addr', 'add', `${RTR.v4}/24`, 'dev', `${lab.id}r`]);
    spk.exec('ip', ['addr', 'add', `${SPK.v6}/64`, 'dev', `${lab.id}s`, 'nodad']);
    rtr.exec('ip', ['addr', 'add', `${RTR.v6}/64`, 'dev', `${lab.id}r`, 'nodad']);
    const speaker = await SpeakerProc.start(lab, spk, speakerOpts);
    return { lab, spk, rtr, speaker };
  } catch (e) {
    lab.cleanup();
    throw e;
  }
}

/** closeBgpLab stops the speaker and removes everything. */
export async function closeBgpLab(l: BgpLab | undefined): Promise<void> {
  if (!l) return;
  await l.speaker.stop().catch(() => undefined);
  l.lab.cleanup();
}
