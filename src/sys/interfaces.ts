// Interface scan from sysfs and procfs, as MetalLB's announcer does every 10 s: flags, MAC, ifindex,
// bond/bridge membership (`master` link) and whether an IPv6 link-local address exists. Read-only;
// the eligibility decision itself is pure and lives in src/speaker/l2/eligibility.ts.
import { existsSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import type { InterfaceInfo } from '../speaker/l2/types.js';

const IFF_UP = 0x1;
const IFF_BROADCAST = 0x2;
const IFF_NOARP = 0x80;

/** ScanPaths lets tests point the scan at a fake sysfs/procfs tree. */
export interface ScanPaths {
  sysClassNet: string;
  ifInet6: string;
}

/** defaultScanPaths are the real kernel locations. */
export const defaultScanPaths: ScanPaths = { sysClassNet: '/sys/class/net', ifInet6: '/proc/net/if_inet6' };

/** scanInterfaces lists every interface with what eligibility needs; unreadable entries are skipped. */
export function scanInterfaces(paths: ScanPaths = defaultScanPaths): InterfaceInfo[] {
  const linkLocal = linkLocalInterfaces(paths.ifInet6);
  const out: InterfaceInfo[] = [];
  for (const name of safeReaddir(paths.sysClassNet).sort()) {
    const info = readInterface(path.join(paths.sysClassNet, name), name, linkLocal);
    if (info) out.push(info);
  }
  return out;
}

function readInterface(dir: string, name: string, linkLocal: Set<string>): InterfaceInfo | undefined {
  // An interface can vanish between readdir and read; skip it rather than fail the whole scan.
  try {
    const flags = parseInt(readFileSync(path.join(dir, 'flags'), 'utf8').trim(), 16);
    const index = Number(readFileSync(path.join(dir, 'ifindex'), 'utf8').trim());
    const mac = parseHardwareAddress(readFileSync(path.join(dir, 'address'), 'utf8').trim());
    const masterLink = path.join(dir, 'master');
    const master = existsSync(masterLink) ? path.basename(readlinkSync(masterLink)) : undefined;
    return {
      name,
      index,
      mac,
      up: (flags & IFF_UP) !== 0,
      broadcast: (flags & IFF_BROADCAST) !== 0,
      noARP: (flags & IFF_NOARP) !== 0,
      ...(master ? { master } : {}),
      linkLocalV6: linkLocal.has(name),
    };
  } catch {
    return undefined;
  }
}

/** parseHardwareAddress reads sysfs `address` (colon-separated hex of any length; empty for none). */
export function parseHardwareAddress(text: string): Buffer {
  if (text === '') return Buffer.alloc(0);
  return Buffer.from(text.split(':').map((h) => parseInt(h, 16) & 0xff));
}

/**
 * linkLocalInterfaces reads /proc/net/if_inet6 (address, ifindex, prefix length, scope, flags, name)
 * and returns the names that hold a link-scope (0x20) address.
 */
export function linkLocalInterfaces(file: string): Set<string> {
  const out = new Set<string>();
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return out; // IPv6 disabled: no interface speaks NDP
  }
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length >= 6 && parseInt(f[3]!, 16) === 0x20) out.add(f[5]!);
  }
  return out;
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
