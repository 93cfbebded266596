/**
 * The API server's apply patch (PATCH with application/apply-patch+yaml): the configuration
 * merged onto the live object by its field manager's ownership (managed-fields/), then the
 * usual write path (defaulting, admission, validation) as a create or an update.
 */
import type { KObject } from '../model/objects';
import { kindInfoOrThrow } from './registry';
import { createObject, managedFieldsType, updateObject, type ApiContext, type WriteOptions } from './server';
import { applyConfig } from './managed-fields/managed-fields';
import { typeErrors } from './managed-fields/typed';
import { ApiError } from '../util/errors';

export interface ApplyPatchOptions extends WriteOptions {
  fieldManager: string;
  /** ?force=true: take the fields other managers own */
  force?: boolean;
}

/** Applies `config` (namespace already set); returns the object as stored (or as it would be, on a dry run). */
export function applyPatch(ctx: ApiContext, config: KObject, opts: ApplyPatchOptions): KObject {
  const info = kindInfoOrThrow(config.kind);
  const ns = info.namespaced ? config.metadata.namespace || 'default' : undefined;
  const live = ctx.store.get(info.kind, ns, config.metadata.name);
  const ref = managedFieldsType(info);
  // the field manager converts the patch to a typed object first, whatever --validate says
  const errors = typeErrors(config, ref);
  if (errors.length) {
    const detail = errors.length === 1 ? errors[0] : ['errors:', ...errors.map((e) => `  ${e}`)].join('\n');
    const gv = info.group ? `${info.group}/${info.version}` : info.version;
    throw new ApiError(
      'InternalError',
      500,
      `Error from server: failed to create typed patch object (${ns ?? ''}/${config.metadata.name}; ${gv}, Kind=${info.kind}): ${detail}`,
    );
  }
  const { object, changed } = applyConfig(info, ref, live, config, { manager: opts.fieldManager }, !!opts.force, ctx.now);
  const write: WriteOptions = { ...opts, presetManagedFields: true };
  if (!live) return createObject(ctx, object, write);
  if (!changed) return live;
  return updateObject(ctx, object, write);
}
