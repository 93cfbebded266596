import { registerAdmissionPlugin } from '../admission';
import { forbidden } from './forbidden';
import { DEFAULT_SERVICE_ACCOUNT } from '../kinds/serviceaccount';
import { isKind } from '../../model/kinds';

/**
 * ServiceAccount (plugin/pkg/admission/serviceaccount): a pod runs as its namespace's `default`
 * account unless it names one, and a named account must exist. The default one is let through
 * before the service account controller has made it, as the plugin waits for it to appear.
 * (The projected kube-api-access token volume the plugin also mounts is not simulated.)
 */
registerAdmissionPlugin({
  name: 'ServiceAccount',
  admit(ctx, info, obj, old) {
    if (!isKind(obj, 'Pod') || old) return;
    const spec = obj.spec;
    // the deprecated spec.serviceAccount is read when the name is missing, and mirrors it after
    const name = spec.serviceAccountName || spec.serviceAccount || DEFAULT_SERVICE_ACCOUNT;
    spec.serviceAccountName = name;
    spec.serviceAccount = name;
    const ns = obj.metadata.namespace ?? 'default';
    if (name !== DEFAULT_SERVICE_ACCOUNT && !ctx.store.get('ServiceAccount', ns, name)) {
      throw forbidden(info, obj, `error looking up service account ${ns}/${name}: serviceaccount "${name}" not found`, 'mutating');
    }
  },
});
