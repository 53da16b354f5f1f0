// Typed errors of the cluster-state layer. Callers branch on `code` and on `transient` (retry or
// give up), as the ClusterState contract in types.ts says.

/** StateErrorCode lists the stable codes a state source rejects with. */
export type StateErrorCode =
  | 'state.not-found'
  | 'state.write-failed'
  | 'state.read-failed'
  | 'state.bad-manifest'
  | 'state.closed';

/** StateError is a failed read or write against a cluster-state source. */
export class StateError extends Error {
  override readonly name = 'StateError';
  readonly code: StateErrorCode;
  /** transient is true when retrying later may succeed (I/O error, store unreachable). */
  readonly transient: boolean;
  /** object names what the operation was about, e.g. `Service default/web`. */
  readonly object: string | undefined;

  constructor(code: StateErrorCode, message: string, opts: { transient?: boolean; object?: string; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.code = code;
    this.transient = opts.transient ?? false;
    this.object = opts.object;
  }
}
