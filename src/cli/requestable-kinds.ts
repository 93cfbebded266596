import { allKinds, type KindInfo } from '../api/registry';
import { REVIEW_KINDS } from '../serve/discovery';

/**
 * The resources `api-resources` and `api-versions` list, as a v1.32 API server serves them: the
 * stored kinds (built-in and custom) and the request-only reviews of authentication.k8s.io and
 * authorization.k8s.io (create only). The metrics.k8s.io resources `kubesim serve` also answers
 * are left out: a cluster serves them only once metrics-server's APIService is registered, and
 * `kubesim top` needs none.
 */
export function requestableKinds(): KindInfo[] {
  return [...allKinds(), ...REVIEW_KINDS];
}
