// Layer2Announcer: the one object the speaker daemon drives for layer 2. It is told which IPs this
// node owns (setAnnouncements, diffed), answers ARP/NDP for them on eligible interfaces, sends the
// unsolicited burst when it gains an IP and stops it when it loses one, rescans interfaces
// periodically and keeps counters. Sockets, scan and clock are parameters (fakes in unit tests).
import { formatIP, parseIP, toBytes, type Family } from '../../model/ip.js';
import { createLogger, type Logger } from '../../log.js';
import { ArpOperation, gratuitousARP } from '../../wire/arp.js';
import { multicastMAC, solicitedNodeAddress } from '../../wire/ipv6.js';
import { unsolicitedAdvertisement } from '../../wire/ndp.js';
import { interfacesFor } from './eligibility.js';
import { fastPathTable, withKernelReplies } from './fast-path.js';
import { DEFAULT_GRATUITOUS_TIMING, GratuitousScheduler, type GratuitousTiming } from './gratuitous.js';
import { InterfaceSet, type Responding } from './interface-set.js';
import { GroupMemberships } from './memberships.js';
import { decideARP, decideNDP, type Announced } from './responders.js';
import { L2Stats, type L2StatsSnapshot } from './stats.js';
import { systemClock, type Clock, type FastPath, type FrameKind, type FrameOutcome, type InterfaceInfo, type PacketIO } from './types.js';

/** AnnouncementSpec is how one owned IP is announced: `interfaces` from the L2Advertisements. */
export interface AnnouncementSpec {
  interfaces?: readonly string[];
}

/** AnnouncementStatus reports per IP where it is announced, or why it is not (`announceFailed`). */
export interface AnnouncementStatus {
  ip: string;
  status: 'announced' | 'noInterface' | 'invalidIP' | 'notAnnounced';
  interfaces: string[];
}

/** Layer2AnnouncerOptions are the announcer's collaborators and timings. */
export interface Layer2AnnouncerOptions {
  io: PacketIO;
  scan: () => InterfaceInfo[];
  clock?: Clock;
  /** rescanMs is the interface rescan period (MetalLB: 10 s); 0 disables the timer. */
  rescanMs?: number;
  timing?: GratuitousTiming;
  /** exclude skips interfaces by name (MetalLB's announcedInterfacesToExclude). */
  exclude?: RegExp;
  logger?: Logger;
  /** fastPath answers the common requests in the kernel (KernelResponder); the rest still come here. */
  fastPath?: FastPath;
}

interface Entry extends Announced {
  family: Family;
  bytes: Buffer;
  /** groups: interfaces whose NDP socket holds this IP's solicited-node group. */
  groups: Set<string>;
}

/** Layer2Announcer answers and announces the IPs this node owns. */
export class Layer2Announcer {
  private readonly entries = new Map<string, Entry>();
  private readonly byBytes = new Map<string, Entry>();
  private readonly stats = new L2Stats();
  private readonly groups = new GroupMemberships();
  private readonly ifaces: InterfaceSet;
  private readonly spam: GratuitousScheduler;
  private readonly clock: Clock;
  private readonly log: Logger;
  private rescanTimer: unknown;
  private closed = false;

  constructor(private readonly opts: Layer2AnnouncerOptions) {
    this.clock = opts.clock ?? systemClock;
    this.log = opts.logger ?? createLogger('layer2');
    this.ifaces = new InterfaceSet(opts.io, (r, kind, frame) => this.onFrame(r, kind, frame), (c) => this.groups.forget(c), this.log, (r, kind, o) => this.onOutcome(r, kind, o));
    this.spam = new GratuitousScheduler(this.clock, (ip) => this.sendRound(ip), opts.timing ?? DEFAULT_GRATUITOUS_TIMING);
  }

  /** start scans interfaces now and then every rescanMs. */
  start(): void {
    this.rescan();
    const every = this.opts.rescanMs ?? 10_000;
    if (every <= 0) return;
    const tick = () => {
      if (this.closed) return;
      this.rescan();
      this.rescanTimer = this.clock.setTimeout(tick, every);
    };
    this.rescanTimer = this.clock.setTimeout(tick, every);
  }

  /** rescan re-reads interfaces, opens/closes responders and re-joins multicast groups. */
  rescan(): void {
    if (this.closed) return;
    const scan = this.opts.scan().filter((i) => !this.opts.exclude?.test(i.name));
    const change = this.ifaces.sync(scan);
    if (change.opened.length || change.closed.length) this.log.info(change, 'layer2 interfaces changed');
    for (const e of this.entries.values()) if (e.family === 6) this.syncGroups(e);
    this.syncFastPath();
    // Hosts behind an interface that just came up may hold stale entries: announce there too.
    for (const { name, kind } of change.opened) {
      for (const e of this.entries.values()) {
        const allowed = !e.interfaces || e.interfaces.has(name);
        if (allowed && (e.family === 4) === (kind === 'arp')) this.spam.trigger(e.ip);
      }
    }
  }

  /**
   * setAnnouncements replaces the set of owned IPs. New IPs are answered at once and get an
   * unsolicited burst; dropped IPs stop being answered and their burst stops; IPs whose interface
   * list changed are re-announced. Returns one status per wanted IP.
   */
  setAnnouncements(want: ReadonlyMap<string, AnnouncementSpec> | Record<string, AnnouncementSpec>): AnnouncementStatus[] {
    const wanted = want instanceof Map ? want : new Map(Object.entries(want));
    const out: AnnouncementStatus[] = [];
    const keep = new Set<string>();
    for (const [text, spec] of wanted) {
      const ip = parseIP(text);
      if (!ip) {
        out.push({ ip: text, status: 'invalidIP', interfaces: [] });
        continue;
      }
      const canonical = formatIP(ip);
      keep.add(canonical);
      this.upsert(canonical, ip.family, toBytes(ip), spec);
      out.push(this.status(canonical));
    }
    for (const ip of [...this.entries.keys()]) if (!keep.has(ip)) this.withdraw(ip);
    this.publish();
    this.syncFastPath();
    return out;
  }

  /** reannounce restarts (or extends) the unsolicited burst for an owned IP (MetalLB does on every SetBalancer). */
  reannounce(ip: string): void {
    const canonical = canonicalOf(ip);
    if (canonical && this.entries.has(canonical)) this.spam.trigger(canonical);
  }

  /** status tells where an owned IP is announced. */
  status(ip: string): AnnouncementStatus {
    const e = this.entries.get(canonicalOf(ip) ?? ip);
    if (!e) return { ip, status: 'notAnnounced', interfaces: [] };
    const names = interfacesFor(this.ifaces.names(e.family === 4 ? 'arp' : 'ndp'), e.interfaces);
    return { ip: e.ip, status: names.length ? 'announced' : 'noInterface', interfaces: names };
  }

  /** announced lists the owned IPs. */
  announced(): string[] {
    return [...this.entries.keys()];
  }

  /** responding lists the interfaces with an ARP or NDP responder. */
  responding(): { arp: string[]; ndp: string[] } {
    return { arp: this.ifaces.names('arp'), ndp: this.ifaces.names('ndp') };
  }

  /** counters returns the metrics as plain numbers, the kernel fast path's replies included. */
  counters(): L2StatsSnapshot {
    return withKernelReplies(this.stats.snapshot(), this.opts.fastPath?.answered() ?? []);
  }

  /** kernelAnswering tells whether the kernel fast path is answering on at least one interface. */
  kernelAnswering(): boolean {
    return this.opts.fastPath?.active() ?? false;
  }

  /** close stops timers and bursts and closes every socket. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.clock.clearTimeout(this.rescanTimer);
    this.spam.stopAll();
    this.opts.fastPath?.close();
    this.ifaces.closeEverything();
    this.entries.clear();
    this.byBytes.clear();
  }

  /** publish pushes the announced table to an IO that answers off the main thread (if it does). */
  private publish(): void {
    this.opts.io.publish?.([...this.entries.values()].map((e) => (e.interfaces ? { ip: e.ip, hex: e.bytes.toString('hex'), interfaces: [...e.interfaces] } : { ip: e.ip, hex: e.bytes.toString('hex') })));
  }

  /** syncFastPath hands the kernel the table the user-space responders answer from (see fast-path.ts). */
  private syncFastPath(): void {
    if (!this.opts.fastPath || this.closed) return;
    const { ifindexes, rows } = fastPathTable(this.ifaces, this.entries.values());
    this.opts.fastPath.sync(ifindexes, rows);
  }

  private upsert(ip: string, family: Family, bytes: Buffer, spec: AnnouncementSpec): void {
    const interfaces = spec.interfaces && spec.interfaces.length ? new Set(spec.interfaces) : undefined;
    const old = this.entries.get(ip);
    if (old && sameSet(old.interfaces, interfaces)) return;
    const e: Entry = old ?? { ip, family, bytes, groups: new Set() };
    if (interfaces) e.interfaces = interfaces;
    else delete e.interfaces;
    this.entries.set(ip, e);
    this.byBytes.set(bytes.toString('hex'), e);
    if (family === 6) this.syncGroups(e);
    this.log.info({ ip, interfaces: spec.interfaces ?? 'all', reason: old ? 'interfacesChanged' : 'becameOwner' }, 'announcing');
    this.spam.trigger(ip);
  }

  private withdraw(ip: string): void {
    const e = this.entries.get(ip);
    if (!e) return;
    this.spam.stop(ip);
    this.entries.delete(ip);
    this.byBytes.delete(e.bytes.toString('hex'));
    e.interfaces = new Set();
    if (e.family === 6) this.syncGroups(e);
    this.log.info({ ip, reason: 'notOwner' }, 'stopped announcing');
  }

  /** syncGroups joins the solicited-node group where the IP is answered and leaves it elsewhere. */
  private syncGroups(e: Entry): void {
    const mac = multicastMAC(solicitedNodeAddress(e.bytes));
    const want = new Set(interfacesFor(this.ifaces.names('ndp'), e.interfaces));
    for (const name of [...e.groups]) {
      const conn = this.ifaces.get(name)?.ndp;
      if (want.has(name) && conn) continue;
      e.groups.delete(name);
      if (conn) this.groups.leave(conn, mac);
    }
    for (const name of want) {
      const conn = this.ifaces.get(name)?.ndp;
      if (!conn || e.groups.has(name)) continue;
      try {
        this.groups.join(conn, mac);
        e.groups.add(name);
      } catch (err) {
        this.log.warn({ ip: e.ip, interface: name, error: String(err) }, 'cannot join solicited-node group');
      }
    }
  }

  /** onOutcome counts a frame an off-thread answerer already decided (and replied to). */
  private onOutcome(r: Responding, kind: FrameKind, o: FrameOutcome): void {
    if (o.action === 'drop') {
      this.stats.drop(o.reason);
      if (this.log.isLevelEnabled('debug')) this.log.debug({ interface: r.info.name, kind, reason: o.reason, detail: o.detail }, 'dropped frame');
      return;
    }
    this.stats.request(o.ip);
    if (o.sent) this.stats.response(o.ip);
    else {
      this.stats.sendError();
      this.log.warn({ interface: r.info.name, error: o.error }, 'send failed');
    }
  }

  private onFrame(r: Responding, kind: FrameKind, frame: Buffer): void {
    const lookup = (b: Buffer) => this.byBytes.get(b.toString('hex'));
    const iface = { name: r.info.name, mac: r.info.mac };
    const d = kind === 'arp' ? decideARP(frame, iface, lookup) : decideNDP(frame, iface, lookup);
    if (d.action === 'drop') {
      this.stats.drop(d.reason);
      if (this.log.isLevelEnabled('debug')) this.log.debug({ interface: iface.name, kind, reason: d.reason, detail: d.detail }, 'dropped frame');
      return;
    }
    this.stats.request(d.ip);
    if (this.send(r, kind, d.frame)) this.stats.response(d.ip);
  }

  private sendRound(ip: string): void {
    const e = this.entries.get(ip);
    if (!e) return;
    const kind: FrameKind = e.family === 4 ? 'arp' : 'ndp';
    for (const name of interfacesFor(this.ifaces.names(kind), e.interfaces)) {
      const r = this.ifaces.get(name)!;
      const frames = e.family === 4
        ? [gratuitousARP(e.bytes, r.info.mac, ArpOperation.Request), gratuitousARP(e.bytes, r.info.mac, ArpOperation.Reply)]
        : [unsolicitedAdvertisement(e.bytes, r.info.mac)];
      if (frames.every((f) => this.send(r, kind, f))) this.stats.gratuitousSent(ip);
    }
  }

  private send(r: Responding, kind: FrameKind, frame: Buffer): boolean {
    try {
      r[kind]!.send(frame);
      return true;
    } catch (err) {
      this.stats.sendError();
      this.log.warn({ interface: r.info.name, error: String(err) }, 'send failed');
      return false;
    }
  }
}

function canonicalOf(text: string): string | undefined {
  const ip = parseIP(text);
  return ip && formatIP(ip);
}

function sameSet(a: ReadonlySet<string> | undefined, b: ReadonlySet<string> | undefined): boolean {
  if (!a || !b) return a === b;
  return a.size === b.size && [...a].every((x) => b.has(x));
}
