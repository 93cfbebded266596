import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Globals } from './context';
import type { CommandEnv } from './program';
import { ApiError, CliError } from '../util/errors';
import { onDemand } from '../util/on-demand';

// the router (and the API write path behind it) loads only for a --raw request, not for every get
/* eslint-disable-next-line @typescript-eslint/no-require-imports */
const serveRouter = onDemand('serve/router', () => require('../serve/router') as typeof import('../serve/router'));

/**
 * kubectl's --raw (staging/src/k8s.io/kubectl/pkg/util/rawhttp): one request to an API path,
 * the response body copied to stdout as it came. kubesim answers it in-process with the same
 * router `kubesim serve` listens with, as the command's user (credentials and --as).
 */
export type RawVerb = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** url.ParseRequestURI's check: an absolute path (or an absolute URL). */
export function checkRawUri(uri: string): void {
  if (!uri.startsWith('/') && !/^[a-z][a-z0-9+.-]*:\/\//i.test(uri))
    throw new CliError(`--raw must be a valid URL path: parse "${uri}": invalid URI for request`);
}

/** create/replace --raw's -f checks (create.go and replace.go Validate). */
export function rawBodyFile(filenames: string[], opts: { recursive?: boolean; output?: string; kustomize?: string }): string {
  if (!filenames.length && !opts.kustomize) throw new CliError('must specify one of -f and -k');
  if (filenames.length !== 1) throw new CliError('--raw can only use a single local file or stdin');
  if (/^https?:\/\//.test(filenames[0])) throw new CliError('--raw cannot read from a url');
  if (opts.recursive) throw new CliError('--raw and --recursive are mutually exclusive');
  if (opts.output) throw new CliError('--raw and --output are mutually exclusive');
  return filenames[0];
}

export function runRaw(verb: RawVerb, uri: string, g: Globals, env: CommandEnv, file?: string): void {
  checkRawUri(uri);
  let body: Buffer | undefined;
  if (file !== undefined) {
    if (file === '-') body = Buffer.from(env.io.readStdin());
    else {
      try {
        body = fs.readFileSync(path.resolve(env.io.cwd, file));
      } catch {
        throw new CliError(`open ${file}: no such file or directory`);
      }
    }
  }
  const url = uri.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '') || '/';
  const router = new (serveRouter().ApiRouter)({ statePath: g.statePath });
  const response = router.handle({
    method: verb,
    url,
    headers: { accept: 'application/json, */*', 'content-type': 'application/json' },
    body,
    identity: { kind: 'credentials', credentials: g.credentials ?? {} },
  });
  if (response.watch)
    throw new CliError('a watch over --raw needs a server streaming it: run `kubesim serve` and use kubectl --raw against it');
  for (const warning of ([] as string[]).concat(response.headers.Warning ?? []))
    env.out.errLine(`Warning: ${JSON.parse(warning.replace(/^299 - /, '')) as string}`);
  if (response.status >= 200 && response.status < 300) {
    env.out.out(response.body);
    return;
  }
  let status: { reason?: string; message?: string } = {};
  try {
    status = JSON.parse(response.body) as typeof status;
  } catch {
    status = { message: response.body };
  }
  const reason = status.reason ? ` (${status.reason})` : '';
  throw new ApiError(status.reason ?? 'Unknown', response.status, `Error from server${reason}: ${status.message ?? ''}`);
}
