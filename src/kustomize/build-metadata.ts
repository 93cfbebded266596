import type { Resource } from './resource';

/**
 * Where a resource came from, or which plugin configured a change to it (kustomize's
 * resource.Origin): a file path, or the kustomization file (or plugin config file) and the
 * builtin plugin. Paths are relative to the top kustomization.
 */
export interface Origin {
  path?: string;
  configuredIn?: string;
  configuredBy?: { apiVersion: string; kind: string; name?: string; namespace?: string };
}

const ORIGIN_ANNOTATION = 'config.kubernetes.io/origin';
const TRANSFORMATIONS_ANNOTATION = 'alpha.config.kubernetes.io/transformations';
/** the label managedByLabel adds: kubectl v1.32's kustomize reports its version as (devel) */
const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
const MANAGED_BY = 'kustomize-(devel)';

/** An origin as kustomize writes it: its fields in struct order, not sorted. */
function originLines(origin: Origin): string[] {
  if (origin.path !== undefined) return [`path: ${origin.path}`];
  const lines = [`configuredIn: ${origin.configuredIn}`, 'configuredBy:'];
  for (const [key, value] of Object.entries(origin.configuredBy ?? {})) if (value) lines.push(`  ${key}: ${value}`);
  return lines;
}

/** buildMetadata: which file each object came from, which transformers changed it, and the managed-by label. */
export function addBuildMetadata(resources: Resource[], options: string[]): void {
  for (const res of resources) {
    const meta = res.obj.metadata;
    const annotations: Record<string, string> = {};
    if (options.includes('originAnnotations') && res.origin) annotations[ORIGIN_ANNOTATION] = originLines(res.origin).join('\n') + '\n';
    if (options.includes('transformerAnnotations') && res.transformations?.length)
      annotations[TRANSFORMATIONS_ANNOTATION] = res.transformations
        .map(
          (t) =>
            originLines(t)
              .map((line, i) => (i ? `  ${line}` : `- ${line}`))
              .join('\n') + '\n',
        )
        .join('');
    if (Object.keys(annotations).length) meta.annotations = { ...(meta.annotations ?? {}), ...annotations };
    if (options.includes('managedByLabel')) meta.labels = { ...(meta.labels ?? {}), [MANAGED_BY_LABEL]: MANAGED_BY };
  }
}

/**
 * Runs one transformer and, when `by` is given (transformerAnnotations), records it on every
 * resource: kustomize records a configured transformer whether or not it changed the resource.
 */
export function tracked(resources: Resource[], by: Origin | undefined, run: () => void): void {
  run();
  if (by) for (const res of resources) (res.transformations ??= []).push(by);
}
