import { ApiError } from '../../util/errors';
import { resourceName, type KindInfo } from '../registry';
import type { KObject } from '../../model/objects';
import { nameBeforeGeneration } from '../server';

/**
 * admission.NewForbidden: `Error from server (Forbidden): pods "x" is forbidden: <reason>`; a mutating
 * plugin's refusal comes before name generation, so it names the generateName prefix.
 */
export function forbidden(info: KindInfo, obj: KObject, reason: string, phase: 'mutating' | 'validating' = 'validating'): ApiError {
  const name = phase === 'mutating' ? nameBeforeGeneration(obj) : obj.metadata.name;
  return new ApiError('Forbidden', 403, `Error from server (Forbidden): ${resourceName(info)} "${name}" is forbidden: ${reason}`);
}

/** utilerrors.NewAggregate(...).Error(): one message as is, several as `[a, b]`. */
export function aggregate(messages: string[]): string {
  return messages.length === 1 ? messages[0] : `[${messages.join(', ')}]`;
}
