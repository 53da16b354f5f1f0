// Classification of API failures into the StateError contract: callers retry `transient` errors and
// report the rest. The decision is a pure function of the HTTP status (or its absence).
import { StateError, type StateErrorCode } from '../state/errors.js';

/** ApiFailure is what the HTTP layer knows about a failed call. */
export interface ApiFailure {
  /** status is the HTTP status; undefined when no response arrived (refused, reset, timeout). */
  status?: number;
  /** reason is the Status object's `reason` (NotFound, Conflict, Invalid, Forbidden, Expired...). */
  reason?: string;
  /** message is the Status object's message or the network error text. */
  message: string;
}

/** Classification is how a failure must be handled, with the reason for the decision. */
export interface Classification {
  code: StateErrorCode;
  transient: boolean;
  why: string;
}

/** classifyFailure decides retry-or-report for a failed API call. */
export function classifyFailure(f: ApiFailure, write: boolean): Classification {
  const code: StateErrorCode = write ? 'state.write-failed' : 'state.read-failed';
  if (f.status === undefined) return { code, transient: true, why: 'no response from the API server' };
  if (f.status === 404) return { code: 'state.not-found', transient: false, why: 'object or resource not found' };
  if (f.status === 409) return { code, transient: true, why: 'conflict with a concurrent write' };
  if (f.status === 410) return { code, transient: true, why: 'resource version expired' };
  if (f.status === 429) return { code, transient: true, why: 'throttled by the API server' };
  if (f.status >= 500) return { code, transient: true, why: `API server error ${f.status}` };
  // Right after an API server (re)start its RBAC cache can still be empty and refuse requests that
  // are allowed (seen in the e2e restart tests), so authorization failures are retried; a real RBAC
  // mistake then shows up as a steady stream of logged retries instead of a silent give-up.
  if (f.status === 401 || f.status === 403) return { code, transient: true, why: 'not authorized (RBAC or credentials; retried, the API server may still be starting)' };
  return { code, transient: false, why: `request refused (${f.status}${f.reason ? ` ${f.reason}` : ''})` };
}

/** toStateError wraps a failure as a StateError naming the operation and the object. */
export function toStateError(f: ApiFailure, op: string, object: string, write: boolean): StateError {
  const c = classifyFailure(f, write);
  const status = f.status === undefined ? 'no response' : `HTTP ${f.status}`;
  return new StateError(c.code, `k8s: ${op} ${object}: ${status}: ${f.message}`, { transient: c.transient, object });
}
