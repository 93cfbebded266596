import type { ApiResponse, ApiRouter, Identity } from '../../src/serve/router';

export interface RouterCallOptions {
  /** sent as JSON (a string as it is) */
  body?: unknown;
  /** content-type; default application/json */
  type?: string;
  /** default application/json */
  accept?: string;
  /** default the admin */
  identity?: Identity;
  headers?: Record<string, string | string[]>;
}

/** One request to an in-process ApiRouter (as kubesim serve routes it), with its body parsed on demand. */
export function routerCall(router: ApiRouter, method: string, url: string, opts: RouterCallOptions = {}) {
  const body = opts.body === undefined ? undefined : Buffer.from(typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body));
  const res: ApiResponse = router.handle({
    method,
    url,
    headers: { accept: opts.accept ?? 'application/json', 'content-type': opts.type ?? 'application/json', ...(opts.headers ?? {}) },
    body,
    identity: opts.identity ?? { kind: 'admin' },
  });
  const json = () => JSON.parse(res.body) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  return { ...res, json };
}
