import { ApiError } from '../../util/errors';
import { resourceName, type KindInfo } from '../registry';
import type { KObject } from '../types';

/** admission.NewForbidden: `Error from server (Forbidden): pods "x" is forbidden: <reason>`. */
export function forbidden(info: KindInfo, obj: KObject, reason: string): ApiError {
  return new ApiError('Forbidden', 403, `Error from server (Forbidden): ${resourceName(info)} "${obj.metadata.name}" is forbidden: ${reason}`);
}

/** utilerrors.NewAggregate(...).Error(): one message as is, several as `[a, b]`. */
export function aggregate(messages: string[]): string {
  return messages.length === 1 ? messages[0] : `[${messages.join(', ')}]`;
}
