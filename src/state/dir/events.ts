// The event log of one writer process: the last `limit` events as JSON lines, rewritten
// atomically (coalesced) so a reader never sees a torn line. One file per writer, so processes
// never race on a file. Repeats of the same event bump `count`, as Kubernetes does.
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { EventRecord } from '../types.js';
import { atomicWrite } from './atomic.js';
import { eventsPath, STATE_DIR } from './layout.js';

/** StoredEvent is an EventRecord with when it happened and how often. */
export interface StoredEvent extends EventRecord {
  firstTimestamp: string;
  lastTimestamp: string;
  count: number;
  /** writer is the process that recorded it (`controller`, `speaker-n1`). */
  writer: string;
}

/** EventLog buffers one writer's events and flushes them to its file. */
export class EventLog {
  private readonly events: StoredEvent[] = [];
  private flushing: Promise<void> | undefined;
  private dirty = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly root: string, private readonly writer: string, private readonly limit = 500, private readonly flushMs = 50, private readonly now = () => Date.now()) {}

  /**
   * record adds an event and schedules a flush within `flushMs`; the promise settles once it is
   * buffered (events are best effort, and a burst of them becomes one file write).
   */
  record(ev: EventRecord): Promise<void> {
    const ts = new Date(this.now()).toISOString();
    const last = this.events[this.events.length - 1];
    if (last && sameEvent(last, ev)) {
      last.count++;
      last.lastTimestamp = ts;
    } else {
      this.events.push({ ...structuredClone(ev), firstTimestamp: ts, lastTimestamp: ts, count: 1, writer: this.writer });
      if (this.events.length > this.limit) this.events.splice(0, this.events.length - this.limit);
    }
    this.dirty = true;
    this.timer ??= setTimeout(() => { this.timer = undefined; void this.flush().catch(() => undefined); }, this.flushMs);
    return Promise.resolve();
  }

  /** flush writes the buffer now if it changed; concurrent calls share one write. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.flushing ??= (async () => {
      try {
        while (this.dirty) {
          this.dirty = false;
          const text = this.events.map((e) => JSON.stringify(e)).join('\n') + '\n';
          await atomicWrite(path.join(this.root, eventsPath(this.writer)), text, false);
        }
      } finally {
        this.flushing = undefined;
      }
    })();
    return this.flushing;
  }
}

function sameEvent(a: EventRecord, b: EventRecord): boolean {
  return a.reason === b.reason && a.message === b.message && a.type === b.type &&
    a.involved.kind === b.involved.kind && a.involved.namespace === b.involved.namespace && a.involved.name === b.involved.name;
}

/** readEvents returns every writer's events under a source directory, oldest first. */
export async function readEvents(root: string): Promise<StoredEvent[]> {
  const dir = path.join(root, STATE_DIR, 'events');
  let files: string[];
  try {
    files = (await fsp.readdir(dir)).filter((f) => f.endsWith('.jsonl'));
  } catch {
    return [];
  }
  const out: StoredEvent[] = [];
  for (const f of files) {
    const text = await fsp.readFile(path.join(dir, f), 'utf8').catch(() => '');
    for (const line of text.split('\n')) if (line.trim()) out.push(JSON.parse(line) as StoredEvent);
  }
  return out.sort((a, b) => a.lastTimestamp.localeCompare(b.lastTimestamp));
}
