import type { ReadonlyObjectStore } from '../../store/object-store';
import { builtinSchema } from './builtin-schemas';
import type { KindSchema } from './schema';

/**
 * Where a kind's schema comes from: the built-in Kubernetes schemas, or (registered by the
 * code that serves them) custom resources' openAPIV3Schema. The first source that knows the
 * kind answers; a kind none knows is neither validated nor explained.
 */
export interface SchemaSource {
  schemaFor(group: string, version: string, kind: string, store: ReadonlyObjectStore): KindSchema | undefined;
}

const sources: SchemaSource[] = [{ schemaFor: builtinSchema }];

export function registerSchemaSource(source: SchemaSource): void {
  sources.push(source);
}

export function schemaForKind(group: string, version: string, kind: string, store: ReadonlyObjectStore): KindSchema | undefined {
  for (const source of sources) {
    const schema = source.schemaFor(group, version, kind, store);
    if (schema) return schema;
  }
  return undefined;
}
