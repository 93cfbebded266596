import { ApiError } from '../util/errors';
import { formatGoJsonValue, goQuote } from '../util/go-fmt';
import type { KObject } from '../model/objects';
import type { ObjectStore } from '../store/object-store';
import { schemaForKind } from './openapi/sources';
import { dropUnknownFields } from './openapi/unknown-fields';
import { addWarning } from './warnings';
import { resolveManifestKind } from './registry';
import { customResourceSchema } from './crd/custom-kinds';
import { unknownFieldPaths } from './crd/prune-default';

/**
 * The fieldValidation query parameter (metav1.FieldValidation*): what the API server does with
 * fields the kind's schema does not have. Strict refuses the request, Warn answers with a
 * warning per field, Ignore says nothing; the fields are dropped in every case, as decoding
 * into the Go type drops them. A request without the parameter is Warn (the server's default).
 */
export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface DecodeRequest {
  directive?: FieldValidation;
  /** the body of a PATCH request: its refusals quote it (handlers/patch.go) */
  patch?: unknown;
}

/** The object as the API server decodes it: unknown fields dropped, reported as `directive` says. */
export function decodeRequestFields(store: ObjectStore, input: KObject, request: DecodeRequest): KObject {
  const [group, version] = splitApiVersion(String(input.apiVersion ?? ''));
  const schema = schemaForKind(group, version, input.kind, store);
  const decoded = schema ? dropUnknownFields(input, schema) : decodeCustomResource(store, input, version);
  if (!decoded) return input;
  const { value, errors } = decoded;
  if (!errors.length) return input;
  const directive = request.directive ?? 'Warn';
  if (directive === 'Strict') throw strictDecodingError(input, version, errors, request.patch);
  if (directive === 'Warn') for (const e of errors) addWarning(store, e);
  return value as KObject;
}

/**
 * A custom resource as apiextensions' decoder takes it (customresource_handler.go
 * schemaCoercingDecoder): metadata strictly decoded into ObjectMeta (`metadata.foo`), then the
 * fields the version's structural schema prunes, sorted. The pruning itself happens as the
 * object is defaulted; here only metadata's unknown fields are dropped.
 */
function decodeCustomResource(store: ObjectStore, input: KObject, version: string) {
  const info = resolveManifestKind(String(input.apiVersion ?? ''), String(input.kind ?? ''));
  const crSchema = info && customResourceSchema(info, version);
  if (!crSchema) return undefined;
  // ObjectMeta is the same type in every kind: decode it as a ConfigMap's
  const metaSchema = schemaForKind('', 'v1', 'ConfigMap', store);
  const meta = metaSchema && input.metadata ? dropUnknownFields({ metadata: input.metadata }, metaSchema) : undefined;
  const errors = [...(meta?.errors ?? []), ...unknownFieldPaths(crSchema, input).map((p) => `unknown field "${p}"`)];
  const value = meta?.errors.length ? { ...input, metadata: (meta.value as KObject).metadata } : input;
  return { value, errors };
}

function splitApiVersion(apiVersion: string): [string, string] {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? ['', apiVersion] : [apiVersion.slice(0, slash), apiVersion.slice(slash + 1)];
}

/**
 * A create or update body fails in the decoder (BadRequest, transformDecodeError's
 * `… cannot be handled as a …`); a patch fails after it is applied, as an Invalid `patch`
 * field quoting the patch as Go prints a map (`%+v`).
 */
function strictDecodingError(input: KObject, version: string, errors: string[], patch: unknown): ApiError {
  const strict = `strict decoding error: ${errors.join(', ')}`;
  if (patch !== undefined)
    return new ApiError('Invalid', 422, `The request is invalid: patch: Invalid value: ${goQuote(formatGoJsonValue(patch))}: ${strict}`);
  return new ApiError(
    'BadRequest',
    400,
    `Error from server (BadRequest): ${input.kind} in version "${version}" cannot be handled as a ${input.kind}: ${strict}`,
  );
}
