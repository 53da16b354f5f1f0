// KubeClient is the one place lbctl talks HTTP to the API server. It reuses client-node's
// KubeConfig authentication (tokens, client certs, exec plugins, in-cluster) and its fetch
// transport, but keeps every object as plain JSON: the typed API classes would turn timestamps into
// Dates and drop unknown fields, and the daemons want objects exactly as a manifest shows them.
import { IsomorphicFetchHttpLibrary, RequestContext, type KubeConfig } from '@kubernetes/client-node';
import type { ApiFailure } from './errors.js';

/** HttpVerb is the subset of methods lbctl uses. */
export type HttpVerb = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** PatchType names the three patch content types the API server accepts (plus server-side apply). */
export const PATCH_TYPES = {
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
} as const;

/** RequestOptions describe one call. */
export interface RequestOptions {
  query?: Record<string, string | undefined>;
  body?: unknown;
  contentType?: string;
  timeoutMs?: number;
}

/** ApiError is a failed call: the HTTP status (absent when nothing answered) and the Status reason. */
export class ApiError extends Error implements ApiFailure {
  override readonly name = 'ApiError';
  /** code is `k8s.http` when the server answered, `k8s.unreachable` when it did not. */
  readonly code: 'k8s.http' | 'k8s.unreachable';
  constructor(readonly method: string, readonly path: string, readonly status: number | undefined, readonly reason: string | undefined, message: string) {
    super(message);
    this.code = status === undefined ? 'k8s.unreachable' : 'k8s.http';
  }
}

/** KubeClient sends JSON requests with the credentials of a KubeConfig. */
export class KubeClient {
  private readonly http = new IsomorphicFetchHttpLibrary();

  constructor(readonly config: KubeConfig, private readonly defaultTimeoutMs = 15_000) {}

  /** server is the API server URL of the current context. */
  get server(): string {
    const c = this.config.getCurrentCluster();
    if (!c) throw new ApiError('GET', '/', undefined, undefined, 'k8s: kubeconfig has no current cluster');
    return c.server.replace(/\/+$/, '');
  }

  /** request performs one call and returns the decoded JSON body; rejects with ApiError. */
  async request<T = unknown>(method: HttpVerb, path: string, opts: RequestOptions = {}): Promise<T> {
    const url = new URL(this.server + path);
    for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
    const ctx = new RequestContext(url.toString(), method);
    ctx.setHeaderParam('Accept', 'application/json');
    if (opts.body !== undefined) {
      ctx.setHeaderParam('Content-Type', opts.contentType ?? 'application/json');
      ctx.setBody(JSON.stringify(opts.body));
    }
    ctx.setSignal(AbortSignal.timeout(opts.timeoutMs ?? this.defaultTimeoutMs));
    let status: number;
    let text: string;
    try {
      await this.config.applySecurityAuthentication(ctx);
      const res = await this.http.send(ctx).toPromise();
      status = res.httpStatusCode;
      text = await res.body.text();
    } catch (err) {
      throw new ApiError(method, path, undefined, undefined, networkMessage(err));
    }
    const body = parseJson(text);
    if (status >= 200 && status < 300) return body as T;
    const st = body as { reason?: string; message?: string } | undefined;
    throw new ApiError(method, path, status, st?.reason, st?.message ?? (text.slice(0, 200) || `HTTP ${status}`));
  }
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

// Undici hides the useful part (ECONNREFUSED, certificate errors) in `cause`.
function networkMessage(err: unknown): string {
  const e = err as { message?: string; cause?: { code?: string; message?: string } };
  const cause = e?.cause?.code ?? e?.cause?.message;
  return cause ? `${e.message ?? 'request failed'} (${cause})` : (e?.message ?? String(err));
}
