import { ApiError, CliError, formatFieldError, serverInvalidMessage } from '../util/errors';

/**
 * metav1.Status, the body of every error the API server returns: kubectl prints
 * `Error from server (<reason>): <message>` from it, and branches on the code.
 */
export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: Record<string, unknown>;
  code: number;
}

/** The HTTP reason each code's Status names when the error has none of its own (apimachinery's errors). */
const REASONS: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  409: 'Conflict',
  410: 'Expired',
  413: 'RequestEntityTooLarge',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  504: 'Timeout',
};

export function failure(code: number, message: string, reason = REASONS[code] ?? '', details?: Record<string, unknown>): Status {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    ...(reason ? { reason } : {}),
    ...(details ? { details } : {}),
    code,
  };
}

export function success(details?: Record<string, unknown>): Status {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', ...(details ? { details } : {}), code: 200 };
}

/** kubesim's errors carry kubectl's rendering (`Error from server (NotFound): …`): the Status holds the server's part. */
function serverText(message: string): string {
  return message.replace(/^Error from server(?: \([A-Za-z]+\))?: /, '').replace(/^error: /, '');
}

/** What names the object an error is about, for the Status details (`pods "x" not found` → name x, kind pods). */
function detailsOf(message: string): Record<string, unknown> | undefined {
  const m = /^([a-z0-9-]+)(?:\.([a-z0-9.-]+))? "([^"]*)"/.exec(message) ?? /on ([a-z0-9-]+)(?:\.([a-z0-9.-]+))? "([^"]*)"/.exec(message);
  if (!m) return undefined;
  return { name: m[3], ...(m[2] ? { group: m[2] } : {}), kind: m[1] };
}

/** The Status for an error thrown while serving a request; anything unexpected is a 500 (never a crash). */
export function statusOf(e: unknown): Status {
  if (e instanceof ApiError) {
    // the authentication filter's 401 says only that (kubectl adds "You must be logged in to the server")
    const message = e.code === 401 ? 'Unauthorized' : serverText(e.message);
    if (e.details) {
      const causes = e.details.causes.map((c) => {
        const text = formatFieldError(c);
        return {
          reason: `FieldValue${c.type.replace(/ value$/, '').replace(/ /g, '')}`,
          message: text.slice(c.path.length + 2),
          field: c.path,
        };
      });
      const { name, group, kind } = e.details;
      return failure(e.code, serverInvalidMessage(e.details), e.reason, { name, ...(group ? { group } : {}), kind, causes });
    }
    return failure(e.code, message, e.reason, e.statusDetails ?? detailsOf(message));
  }
  if (e instanceof CliError) return failure(400, serverText(e.message), 'BadRequest');
  return failure(500, `Internal error occurred: ${e instanceof Error ? e.message : String(e)}`, 'InternalError');
}
