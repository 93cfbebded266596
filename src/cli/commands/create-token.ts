import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { globals, withSession } from '../context';
import { ApiError, CliError, FlagValueError, formatFieldError, notFound } from '../../util/errors';
import { parseDuration, toRFC3339 } from '../../util/duration';
import type { KObject } from '../../model/objects';
import { isKind } from '../../model/kinds';

/** A TokenRequest as `create token` prints it: boundObjectRef is null when nothing is bound (as kubectl prints it) */
type TokenRequest = KObject<
  {
    audiences: string[];
    boundObjectRef: { kind: string; apiVersion: string; name: string; uid?: string } | null;
    expirationSeconds: number;
  },
  { expirationTimestamp: string; token: string }
> & { status: { expirationTimestamp: string; token: string } };
import { formatStructured, validateOutputFormat } from '../../printers/output';
import {
  DEFAULT_TOKEN_SECONDS,
  issueServiceAccountToken,
  MAX_TOKEN_SECONDS,
  MIN_TOKEN_SECONDS,
  type BoundKind,
} from '../../auth/service-account-token';
import { printFlags, printOptions, withFlags, type FlagSet, type PrintFlags } from '../flag-sets';
import { repeatable } from '../flags';

const BOUND_KINDS: BoundKind[] = ['Node', 'Pod', 'Secret'];

const tokenFlags: FlagSet = (c) =>
  c
    .option(
      '--audience <audience>',
      'Audience of the requested token. If unset, defaults to requesting a token for use with the Kubernetes API server. May be repeated to request a token valid for multiple audiences.',
      repeatable,
      [],
    )
    .option(
      '--duration <duration>',
      'Requested lifetime of the issued token. If not set or if set to 0, the lifetime will be determined by the server automatically. The server may return a token with a longer or shorter lifetime.',
      '0s',
    )
    .option(
      '--bound-object-kind <kind>',
      `Kind of an object to bind the token to. Supported kinds are ${BOUND_KINDS.join(', ')}. If set, --bound-object-name must be provided.`,
    )
    .option(
      '--bound-object-name <name>',
      'Name of an object to bind the token to. The token will expire when the object is deleted. Requires --bound-object-kind.',
    )
    .option(
      '--bound-object-uid <uid>',
      'UID of an object to bind the token to. Requires --bound-object-kind and --bound-object-name. If unset, the UID of the existing object is used.',
    );

interface TokenFlags extends PrintFlags {
  audience: string[];
  duration: string;
  boundObjectKind?: string;
  boundObjectName?: string;
  boundObjectUid?: string;
}

/** The TokenRequest kubectl sends, read from the flags (Complete) and checked (Validate). */
interface TokenRequestFlags {
  name: string;
  audiences: string[];
  /** seconds; 0 lets the server choose */
  durationSeconds: number;
  bound?: { kind: BoundKind; name: string; uid?: string };
}

/** Go's time.ParseDuration as pflag's DurationVar reads it: a unit is required except for 0. */
function parseGoDuration(text: string): number {
  const negative = text.startsWith('-');
  const body = negative || text.startsWith('+') ? text.slice(1) : text;
  if (/^\d+(\.\d+)?$/.test(body) && Number(body) !== 0)
    throw new FlagValueError('--duration', text, `time: missing unit in duration "${text}"`);
  let ms: number;
  try {
    ms = parseDuration(body, '--duration');
  } catch {
    throw new FlagValueError('--duration', text, `time: invalid duration "${text}"`);
  }
  return negative ? -ms : ms;
}

function completeToken(args: string[], opts: TokenFlags): TokenRequestFlags {
  if (args.length !== 1)
    throw new CliError(`exactly one NAME is required, got ${args.length}\nSee 'kubesim create token -h' for help and examples`);
  const durationMs = parseGoDuration(opts.duration);
  if (!args[0]) throw new CliError('service account name is required');
  if (durationMs < 0) throw new CliError('--duration must be greater than or equal to 0');
  if (durationMs % 1000 !== 0) throw new CliError('--duration cannot be expressed in units less than seconds');
  if (opts.audience.some((a) => !a)) throw new CliError('--audience must not be an empty string');
  let bound: TokenRequestFlags['bound'];
  if (!opts.boundObjectKind) {
    if (opts.boundObjectName) throw new CliError('--bound-object-name can only be set if --bound-object-kind is provided');
    if (opts.boundObjectUid) throw new CliError('--bound-object-uid can only be set if --bound-object-kind is provided');
  } else {
    if (!BOUND_KINDS.includes(opts.boundObjectKind as BoundKind))
      throw new CliError(`supported --bound-object-kind values are ${BOUND_KINDS.join(', ')}`);
    if (!opts.boundObjectName) throw new CliError('--bound-object-name is required if --bound-object-kind is provided');
    bound = { kind: opts.boundObjectKind as BoundKind, name: opts.boundObjectName, uid: opts.boundObjectUid || undefined };
  }
  return { name: args[0], audiences: opts.audience, durationSeconds: durationMs / 1000, bound };
}

/** `failed to create token: …`: how kubectl wraps the server's refusal (a plain error, so `error: ` before it). */
function failed(e: unknown): never {
  const message = e instanceof ApiError ? e.message.replace(/^Error from server \([A-Za-z]+\): /, '') : (e as Error).message;
  throw new CliError(`failed to create token: ${message}`);
}

/**
 * `kubectl create token SA`: a TokenRequest for the service account, answered as the API server's
 * token REST storage answers it (pkg/registry/core/serviceaccount/storage/token.go). Nothing is
 * stored; the token is a simulated, cluster-signed JWT (src/auth/service-account-token.ts).
 */
export function registerTokenCreate(create: Command, env: CommandEnv): void {
  withFlags(
    create
      .command('token')
      .description('Request a service account token')
      .argument('[name...]', 'SERVICE_ACCOUNT_NAME')
      .addHelpText(
        'after',
        '\nExamples:\n  kubesim create token myapp\n  kubesim create token myapp --namespace myns --duration 10m\n  kubesim create token myapp --bound-object-kind Secret --bound-object-name mysecret',
      ),
    printFlags,
    tokenFlags,
  ).action((args: string[], opts: TokenFlags, cmd: Command) => {
    const req = completeToken(args, opts);
    const print = printOptions(opts);
    validateOutputFormat(print.output);
    const g = globals(cmd, env);
    const response = withSession(
      g,
      (s): TokenRequest => {
        const sa = s.store.get('ServiceAccount', g.namespace, req.name);
        if (!sa) failed(notFound('serviceaccounts', req.name));
        const expirationSeconds = req.durationSeconds || DEFAULT_TOKEN_SECONDS;
        const errors = [];
        if (expirationSeconds < MIN_TOKEN_SECONDS)
          errors.push({
            path: 'spec.expirationSeconds',
            type: 'Invalid value',
            value: expirationSeconds,
            detail: 'may not specify a duration less than 10 minutes',
          });
        if (expirationSeconds > MAX_TOKEN_SECONDS)
          errors.push({
            path: 'spec.expirationSeconds',
            type: 'Invalid value',
            value: expirationSeconds,
            detail: 'may not specify a duration larger than 2^32 seconds',
          });
        if (errors.length) {
          const body = errors.length === 1 ? formatFieldError(errors[0]) : `[${errors.map(formatFieldError).join(', ')}]`;
          failed(new CliError(`TokenRequest.authentication.k8s.io "" is invalid: ${body}`));
        }
        let bound: { kind: BoundKind; object: KObject } | undefined;
        if (req.bound) {
          const { kind, name, uid } = req.bound;
          const object = s.store.get(kind, kind === 'Node' ? undefined : g.namespace, name);
          if (!object) failed(notFound(`${kind.toLowerCase()}s`, name));
          if (isKind(object, 'Pod') && (object.spec?.serviceAccountName ?? 'default') !== req.name)
            failed(new CliError(`cannot bind token for serviceaccount "${req.name}" to pod running with different serviceaccount name.`));
          if (uid && object.metadata.uid !== uid)
            failed(
              new CliError(
                `Operation cannot be fulfilled on ${kind} "${name}": the UID in the bound object reference (${uid}) does not match the UID in record. The object might have been deleted and then recreated`,
              ),
            );
          bound = { kind, object };
        }
        const audiences = req.audiences;
        const issued = issueServiceAccountToken(s.store, sa, { audiences, expirationSeconds, bound }, s.now);
        return {
          apiVersion: 'authentication.k8s.io/v1',
          kind: 'TokenRequest',
          metadata: { creationTimestamp: toRFC3339(s.now), name: sa.metadata.name, namespace: sa.metadata.namespace },
          spec: {
            audiences: issued.audiences,
            boundObjectRef: bound
              ? { kind: bound.kind, apiVersion: 'v1', name: bound.object.metadata.name, ...(req.bound?.uid ? { uid: req.bound.uid } : {}) }
              : null,
            expirationSeconds,
          },
          status: { expirationTimestamp: toRFC3339(s.now + expirationSeconds * 1000), token: issued.token },
        };
      },
      { readOnly: true },
    );
    const text = formatStructured([response], print.output, {
      single: true,
      cwd: env.io.cwd,
      showManagedFields: print.showManagedFields,
      allowMissingTemplateKeys: print.allowMissingTemplateKeys,
    });
    // on a terminal the token ends its line; piped (`$(kubesim create token x)`) it is the token alone
    env.out.out(text ?? (env.io.isTTY ? `${response.status.token}\n` : response.status.token));
  });
}
