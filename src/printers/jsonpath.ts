// TEMPORARY stub until the real module lands
export type JsonPathTemplate = string;
export function parseJsonPath(t: string): JsonPathTemplate { return t; }
export function jsonPathFromFlag(t: string): string { return t; }
export function executeJsonPath(t: JsonPathTemplate, data: unknown, _o?: { allowMissingKeys?: boolean }): string {
  const m = /^\{(.*)\}$/.exec(t);
  let cur: any = data;
  for (const part of (m ? m[1] : t).split('.').filter(Boolean)) cur = cur?.[part];
  return cur === undefined ? '' : typeof cur === 'object' ? JSON.stringify(cur) : String(cur);
}
