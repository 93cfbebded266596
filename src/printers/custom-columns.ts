// TEMPORARY stub until the real module lands
export function parseCustomColumns(spec: string): { header: string; path: string }[] { return spec.split(',').map((c) => ({ header: c.split(':')[0], path: c.split(':')[1] })); }
export function renderCustomColumns(_c: unknown, _o: unknown[], _opts: unknown): string { return ''; }
