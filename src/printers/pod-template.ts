import type { Fields } from '../api/types';
import { DescribeWriter } from './describe';

/** kubectl's DescribePodTemplate (rollout history --revision, describe deployment/rs). */
export function describePodTemplate(template: Fields, level = 0): string {
  const w = new DescribeWriter();
  w.line(level, 'Pod Template:');
  w.map(level + 1, 'Labels', template.metadata?.labels);
  w.annotations(level + 1, template.metadata?.annotations);
  w.line(level + 1, 'Containers:');
  for (const c of template.spec?.containers ?? []) {
    w.line(level + 2, `${c.name}:`);
    w.line(level + 3, 'Image:', c.image);
    const ports = (c.ports ?? []).map((p: Fields) => `${p.containerPort}/${p.protocol ?? 'TCP'}`).join(', ');
    w.line(level + 3, 'Port:', ports || '<none>');
    w.line(level + 3, 'Host Port:', (c.ports ?? []).map((p: Fields) => `${p.hostPort ?? 0}/${p.protocol ?? 'TCP'}`).join(', ') || '<none>');
    for (const kind of ['limits', 'requests'] as const) {
      const r = c.resources?.[kind];
      if (r && Object.keys(r).length) {
        w.line(level + 3, `${kind === 'limits' ? 'Limits' : 'Requests'}:`);
        for (const k of Object.keys(r).sort()) w.line(level + 4, `${k}:`, String(r[k]));
      }
    }
    const env: Fields[] = c.env ?? [];
    if (!env.length) w.line(level + 3, 'Environment:', '<none>');
    else {
      w.line(level + 3, 'Environment:');
      for (const e of env) w.line(level + 4, `${e.name}:`, e.value ?? '<set to the key>');
    }
    w.line(level + 3, 'Mounts:', (c.volumeMounts ?? []).length ? '' : '<none>');
  }
  w.line(level + 1, 'Volumes:', (template.spec?.volumes ?? []).length ? '' : '<none>');
  w.line(level + 1, 'Node-Selectors:', Object.keys(template.spec?.nodeSelector ?? {}).length ? Object.entries(template.spec.nodeSelector).map(([k, v]) => `${k}=${v}`).join(',') : '<none>');
  w.line(level + 1, 'Tolerations:', (template.spec?.tolerations ?? []).length ? template.spec.tolerations.map((t: Fields) => `${t.key ?? ''}${t.operator === 'Exists' ? '' : `=${t.value ?? ''}`}:${t.effect ?? ''}`).join(', ') : '<none>');
  return w.toString();
}
