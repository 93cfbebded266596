import { registerKind } from './register';
import { ageColumn, nameColumn, validateMeta } from './common';

/** The account every namespace has (the service account controller makes it) and pods run as unless they name one. */
export const DEFAULT_SERVICE_ACCOUNT = 'default';

/** ServiceAccount (core/v1). Since v1.24 no token Secret is made for it: SECRETS counts only listed ones. */
registerKind('ServiceAccount', {
  columns: [nameColumn, { header: 'SECRETS', value: (o) => String(Array.isArray(o.secrets) ? o.secrets.length : 0) }, ageColumn],
  validate(obj) {
    return validateMeta(obj);
  },
  specFields: ['secrets', 'imagePullSecrets', 'automountServiceAccountToken'],
});
