/**
 * One error type for everything a user can cause. The CLI's error boundary
 * prints `message` (prefixed with `error: ` unless `raw`, which kubectl uses for
 * server-side texts such as `Error from server (NotFound): …`) and exits with `exitCode`.
 */
export class CliError extends Error {
  readonly exitCode: number;
  readonly raw: boolean;
  /** what kubectl wrote to stdout before failing (a template's partial output and its debugging dump) */
  readonly stdout: string;
  /**
   * the command's output so far is dropped (its writes are rolled back): a state file's row found
   * unreadable when first read, which may be after the command printed what it did
   */
  readonly dropsOutput: boolean;
  constructor(message: string, opts: { exitCode?: number; raw?: boolean; stdout?: string; dropsOutput?: boolean } = {}) {
    super(message);
    this.exitCode = opts.exitCode ?? 1;
    this.raw = opts.raw ?? false;
    this.stdout = opts.stdout ?? '';
    this.dropsOutput = opts.dropsOutput ?? false;
  }
}

/**
 * A flag value a command could not read, in pflag's words (`invalid argument "x" for "--replicas"
 * flag: strconv.ParseInt: …`). The CLI's error boundary names the flag as pflag does (`-r, --replicas`)
 * and adds kubectl's usage line.
 */
export class FlagValueError extends CliError {
  constructor(
    readonly flag: string,
    readonly value: string,
    readonly reason: string,
  ) {
    super(`invalid argument "${value}" for "${flag}" flag: ${reason}`);
  }
}

/** Errors the API server returns (NotFound, AlreadyExists, Invalid, Conflict, Forbidden…). */
export class ApiError extends CliError {
  readonly reason: string;
  readonly code: number;
  /** an Invalid error's kind, API group, name and field errors (the Status details an API client reads) */
  details?: { kind: string; group?: string; name: string; causes: FieldError[] };
  /**
   * the Status details the API server sends with this error when its message does not name the
   * object (a 405's: apierrors.NewMethodNotSupported names the resource, a go-restful 405 nothing)
   */
  statusDetails?: Record<string, unknown>;
  constructor(reason: string, code: number, message: string) {
    super(message, { raw: true });
    this.reason = reason;
    this.code = code;
  }
}

export function notFound(resource: string, name: string): ApiError {
  return new ApiError('NotFound', 404, `Error from server (NotFound): ${resource} "${name}" not found`);
}

export function alreadyExists(resource: string, name: string): ApiError {
  return new ApiError('AlreadyExists', 409, `Error from server (AlreadyExists): ${resource} "${name}" already exists`);
}

export function conflict(resource: string, name: string): ApiError {
  return new ApiError(
    'Conflict',
    409,
    `Error from server (Conflict): Operation cannot be fulfilled on ${resource} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
  );
}

export interface FieldError {
  path: string;
  /** Required value | Invalid value | Unsupported value | Forbidden | Duplicate value */
  type: string;
  value?: unknown;
  /** the value as Go's %#v prints a map or struct (`map[string]string{"app":"web"}`): shown unquoted */
  goValue?: string;
  detail?: string;
}

export function formatFieldError(e: FieldError): string {
  if (e.type === 'Required value') return `${e.path}: Required value${e.detail ? `: ${e.detail}` : ''}`;
  if (e.type === 'Invalid value' || e.type === 'Unsupported value' || e.type === 'Duplicate value' || e.type === 'Not found') {
    const v = e.goValue ?? (typeof e.value === 'string' ? `"${e.value}"` : JSON.stringify(e.value));
    return `${e.path}: ${e.type}: ${v}${e.detail ? `: ${e.detail}` : ''}`;
  }
  return `${e.path}: ${e.type}${e.detail ? `: ${e.detail}` : ''}`;
}

/**
 * An Invalid error as kubectl prints it (cmdutil checkErr: `The %s %q is invalid` from the Status
 * details' kind and name, then MultilineError of its causes): `The Deployment "web" is invalid:
 * spec.replicas: Invalid value: -1: …`, or with several causes a line ending in `invalid: ` and one
 * `* cause` line each. The server's own message (`Deployment.apps "web" is invalid: [a, b]`,
 * apimachinery errors.NewInvalid) is `serverInvalidMessage`, which `kubesim serve` sends.
 */
export function invalid(kind: string, name: string, errors: FieldError[], group = ''): ApiError {
  const parts = errors.map(formatFieldError);
  const body = parts.length === 1 ? parts[0] : `\n${parts.map((p) => `* ${p}`).join('\n')}`;
  const error = new ApiError('Invalid', 422, `The ${kind} "${name}" is invalid: ${body}`);
  error.details = { kind, ...(group ? { group } : {}), name, causes: errors };
  return error;
}

/** apimachinery NewInvalid's message: `%s %q is invalid: %v`, the kind qualified by its group, the causes aggregated. */
export function serverInvalidMessage(details: NonNullable<ApiError['details']>): string {
  const parts = details.causes.map(formatFieldError);
  const body = parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`;
  return `${details.kind}${details.group ? `.${details.group}` : ''} "${details.name}" is invalid: ${body}`;
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
