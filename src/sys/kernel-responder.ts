// The kernel fast path behind the layer-2 announcer (FastPath): one hash map and one program from
// src/bpf/responder.ts, linked to the ingress of every interface the announcer answers on. The table
// is rewritten from the announcer's whole state on every sync (diffed, so unchanged rows keep their
// counters); a removed row's count is kept so the metrics never go backwards. When the kernel
// refuses (no CAP_BPF/CAP_NET_ADMIN), `create` throws and the speaker answers from user space alone.
// An interface the kernel will not attach to (a kernel without tcx, a device that refuses) is left
// to user space alone, reported once, and tried again only if it goes away and comes back. When a
// map call fails, the fast path turns itself off (every link closed, table emptied) so the
// user-space responder answers everything.
import { assemble } from '../bpf/asm.js';
import { KEY_SIZE, VALUE_SIZE, responderProgram } from '../bpf/responder.js';
import type { FastPath, FastPathRow } from '../speaker/l2/types.js';
import { BpfHashMap, attachIngress, closeFd, loadSchedCls } from './bpf.js';

/** MAX_ROWS bounds the map: (interface, IP) pairs beyond it are answered from user space. */
const MAX_ROWS = 65_536;

/** KernelResponderEvents report what the kernel refused; the speaker logs them. */
export interface KernelResponderEvents {
  /** onFailure: the fast path is off for good (a map call failed). */
  onFailure?: (err: Error) => void;
  /** onInterfaceRefused: no fast path on this interface; user space answers there. */
  onInterfaceRefused?: (ifindex: number, err: Error) => void;
}

interface Row {
  ip: string;
  value: Buffer;
}

/** KernelResponder is the real FastPath. */
export class KernelResponder implements FastPath {
  private readonly links = new Map<number, number>();
  private readonly rows = new Map<string, Row>();
  private readonly retired = new Map<string, number>();
  private readonly refused = new Set<number>();
  private disabled = false;

  private constructor(
    private readonly map: BpfHashMap,
    private readonly prog: number,
    private readonly events: KernelResponderEvents,
  ) {}

  /** create makes the map and loads the program; whether tcx attaches shows at the first sync. */
  static create(events: KernelResponderEvents = {}): KernelResponder {
    const map = BpfHashMap.create('lbctl_l2', KEY_SIZE, VALUE_SIZE, MAX_ROWS);
    try {
      return new KernelResponder(map, loadSchedCls('lbctl_l2', assemble(responderProgram(map.fd))), events);
    } catch (e) {
      map.close();
      throw e;
    }
  }

  sync(ifindexes: readonly number[], rows: readonly FastPathRow[]): void {
    if (this.disabled) return;
    try {
      const want = new Set(ifindexes);
      for (const [ifindex, link] of this.links) {
        if (want.has(ifindex)) continue;
        closeFd(link);
        this.links.delete(ifindex);
      }
      for (const ifindex of [...this.refused]) if (!want.has(ifindex)) this.refused.delete(ifindex);
      for (const ifindex of want) {
        if (this.links.has(ifindex) || this.refused.has(ifindex)) continue;
        try {
          this.links.set(ifindex, attachIngress(this.prog, ifindex));
        } catch (e) {
          this.refused.add(ifindex);
          this.events.onInterfaceRefused?.(ifindex, e as Error);
        }
      }
      const keep = new Map<string, { key: Buffer; row: FastPathRow }>();
      for (const r of rows) {
        if (!this.links.has(r.ifindex)) continue; // user space answers where the kernel does not
        const key = keyOf(r.ifindex, r.bytes);
        keep.set(key.toString('hex'), { key, row: r });
      }
      for (const [hex, old] of this.rows) {
        const k = keep.get(hex);
        if (k && k.row.ip === old.ip && k.row.mac.equals(old.value.subarray(0, 6))) continue;
        this.retire(Buffer.from(hex, 'hex'), old.ip);
        this.rows.delete(hex);
      }
      for (const [hex, { key, row }] of keep) {
        if (this.rows.has(hex) || this.rows.size >= MAX_ROWS) continue;
        const value = Buffer.alloc(VALUE_SIZE);
        row.mac.copy(value, 0, 0, 6);
        this.map.set(key, value);
        this.rows.set(hex, { ip: row.ip, value });
      }
    } catch (e) {
      this.disable(e as Error);
    }
  }

  answered(): Map<string, number> {
    const out = new Map(this.retired);
    if (this.disabled) return out;
    for (const [hex, r] of this.rows) {
      const v = this.map.get(Buffer.from(hex, 'hex'));
      if (v) out.set(r.ip, (out.get(r.ip) ?? 0) + Number(v.readBigUInt64LE(8)));
    }
    return out;
  }

  active(): boolean {
    return !this.disabled && this.links.size > 0;
  }

  close(): void {
    for (const link of this.links.values()) closeFd(link);
    this.links.clear();
    if (!this.disabled) {
      this.disabled = true;
      closeFd(this.prog);
      this.map.close();
    }
  }

  /** retire deletes a row, keeping what it counted. */
  private retire(key: Buffer, ip: string): void {
    const v = this.map.get(key);
    if (v) this.retired.set(ip, (this.retired.get(ip) ?? 0) + Number(v.readBigUInt64LE(8)));
    this.map.delete(key);
  }

  private disable(err: Error): void {
    // Links first: from here on every frame reaches user space.
    for (const link of this.links.values()) closeFd(link);
    this.links.clear();
    for (const [hex, r] of this.rows) {
      try {
        this.retire(Buffer.from(hex, 'hex'), r.ip);
      } catch {
        // The counts of a map we cannot read are lost; the answers are not.
      }
    }
    this.rows.clear();
    this.disabled = true;
    closeFd(this.prog);
    this.map.close();
    this.events.onFailure?.(err);
  }
}

function keyOf(ifindex: number, bytes: Buffer): Buffer {
  const k = Buffer.alloc(KEY_SIZE);
  k.writeUInt32LE(ifindex, 0);
  bytes.copy(k, 4);
  return k;
}
