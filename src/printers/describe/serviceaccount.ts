import type { ServiceAccount } from '../../model/kinds';
import { registerDescriber, DescribeWriter, type DescribeContext } from '../describe';
import { writeEvents } from './format';
import { isJsonObject } from '../../model/objects';

const PULL = 'Image pull secrets:';
const MOUNT = 'Mountable secrets: ';
const TOKENS = 'Tokens:            ';
const CONTINUED = '                   ';

/**
 * kubectl's describeServiceAccount: its image pull secrets, mountable secrets and the token
 * Secrets that name it (headers in sorted order, a listed secret that is gone marked "(not found)").
 */
export function describeServiceAccount(sa: ServiceAccount, ctx: DescribeContext): string {
  const w = new DescribeWriter();
  w.nameAndMeta(sa);
  const ns = sa.metadata.namespace;
  const names = (list: unknown) =>
    Array.isArray(list) ? list.map((s: unknown) => String((isJsonObject(s) ? s.name : undefined) ?? '')) : [];
  const tokens = ctx.store
    .list('Secret', ns)
    .filter(
      (s) =>
        s.type === 'kubernetes.io/service-account-token' &&
        s.metadata.annotations?.['kubernetes.io/service-account.name'] === sa.metadata.name,
    )
    .map((s) => s.metadata.name);
  const sections: Array<[string, string[]]> = [
    [PULL, names(sa.imagePullSecrets)],
    [MOUNT, names(sa.secrets)],
    [TOKENS, tokens],
  ];
  for (const [header, list] of sections) {
    if (!list.length) {
      w.line(0, header, '<none>');
      continue;
    }
    list.forEach((name, i) => w.line(0, i === 0 ? header : CONTINUED, ctx.store.get('Secret', ns, name) ? name : `${name} (not found)`));
  }
  writeEvents(w, ctx.events(sa), ctx.now);
  return w.toString();
}

registerDescriber('ServiceAccount', () => describeServiceAccount);
