// What to do with a new config, as a decision value: apply it to the Allocator (which refuses, by
// default, a config that takes in-use addresses away) and say whether every service must be decided
// again and what to report.
import type { Allocator } from '../allocator/allocator.js';
import type { ReloadConflict } from '../allocator/types.js';
import type { Config } from '../model/config.js';

/** ReloadDecision is the outcome of offering a new config to the allocator. */
export interface ReloadDecision {
  accepted: boolean;
  /** reason: accepted, reallocated (in-use addresses dropped, services re-allocated), refused. */
  reason: 'accepted' | 'reallocated' | 'refused';
  /** reprocessAll: decide every service again (config changed, or allocations were dropped). */
  reprocessAll: boolean;
  conflicts: ReloadConflict[];
  /** message is a one-line summary for logs and the config-stale condition. */
  message: string;
}

/**
 * decideReload offers `config` to the allocator. With `reallocate` false (default) a config that
 * would take an in-use address away is refused as a whole and the old config stays active.
 */
export function decideReload(allocator: Allocator, config: Config, opts: { reallocate?: boolean } = {}): ReloadDecision {
  const res = allocator.setConfig(config, { reallocate: opts.reallocate ?? false });
  const names = res.conflicts.map((c) => `"${c.service}"`).join(', ');
  let message = `config accepted (${config.pools.length} pools)`;
  if (res.reason === 'refused') message = `config refused: it takes in-use addresses away from ${names}; the previous config stays active`;
  if (res.reason === 'reallocated') message = `config accepted; addresses of ${names} are no longer in any pool and will be re-allocated`;
  return { accepted: res.accepted, reason: res.reason, reprocessAll: res.accepted, conflicts: res.conflicts, message };
}
