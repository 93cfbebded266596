// TEMPORARY stub until the real module lands
export function sortByJsonPath(objects: unknown[], _field: string): unknown[] { return objects; }
