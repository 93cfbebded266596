/**
 * A container's filesystem in memory: absolute paths to files (text) and directories. Mounted
 * volumes are subtrees; a read-only mount refuses writes ("Read-only file system"). `version`
 * moves only when the content changes (touching an existing file does not), so the interpreter
 * can tell a loop that changes nothing from one that does.
 */
export type FsEntry = { dir: true; readOnly?: boolean } | { dir: false; data: string; readOnly?: boolean };

export class FsError extends Error {}

export function normalize(path: string, cwd = '/'): string {
  const parts: string[] = [];
  for (const p of (path.startsWith('/') ? path : `${cwd}/${path}`).split('/')) {
    if (!p || p === '.') continue;
    if (p === '..') parts.pop();
    else parts.push(p);
  }
  return `/${parts.join('/')}`;
}

function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

export class MemFs {
  version = 0;
  constructor(readonly entries: Map<string, FsEntry> = new Map([['/', { dir: true }]])) {}

  /** A copy that shares no mutable state (entries are immutable objects). */
  clone(): MemFs {
    const fs = new MemFs(new Map(this.entries));
    fs.version = this.version;
    return fs;
  }

  get(path: string): FsEntry | undefined {
    return this.entries.get(path);
  }

  /** Creates the directory and its parents (mkdir -p). */
  mkdirs(path: string, readOnly = false): void {
    const missing: string[] = [];
    for (let p = path; !this.entries.has(p); p = parentOf(p)) missing.push(p);
    for (const p of missing.reverse()) {
      this.entries.set(p, readOnly ? { dir: true, readOnly } : { dir: true });
      this.version++;
    }
  }

  /** Puts a file as a volume mount does (parents created, read-only when the mount is). */
  mount(path: string, data: string, readOnly: boolean): void {
    this.mkdirs(parentOf(path), readOnly);
    this.entries.set(path, { dir: false, data, readOnly });
    this.version++;
  }

  private writable(path: string): void {
    const existing = this.entries.get(path);
    const parent = this.entries.get(parentOf(path));
    if (!parent) throw new FsError('No such file or directory');
    if (!parent.dir) throw new FsError('Not a directory');
    if (existing?.readOnly || (!existing && parent.readOnly)) throw new FsError('Read-only file system');
    if (existing?.dir) throw new FsError('Is a directory');
  }

  write(path: string, data: string, append: boolean): void {
    if (path === '/dev/null') return;
    this.writable(path);
    const old = this.entries.get(path);
    const next = append && old && !old.dir ? old.data + data : data;
    if (old && !old.dir && old.data === next) return;
    this.entries.set(path, { dir: false, data: next });
    this.version++;
  }

  touch(path: string): void {
    if (this.entries.has(path)) return;
    this.write(path, '', true);
  }

  mkdir(path: string): void {
    if (this.entries.has(path)) throw new FsError('File exists');
    const parent = this.entries.get(parentOf(path));
    if (!parent) throw new FsError('No such file or directory');
    if (parent.readOnly) throw new FsError('Read-only file system');
    this.entries.set(path, { dir: true });
    this.version++;
  }

  remove(path: string, recursive: boolean): void {
    const e = this.entries.get(path);
    if (!e) throw new FsError('No such file or directory');
    if (e.readOnly) throw new FsError('Read-only file system');
    if (e.dir && !recursive) throw new FsError('Is a directory');
    const prefix = `${path}/`;
    for (const p of [...this.entries.keys()]) if (p === path || (path !== '/' && p.startsWith(prefix))) this.entries.delete(p);
    this.version++;
  }

  /** Names directly inside a directory, sorted. */
  list(path: string): string[] {
    const prefix = path === '/' ? '/' : `${path}/`;
    const out: string[] = [];
    for (const p of this.entries.keys()) {
      if (p !== path && p.startsWith(prefix) && !p.slice(prefix.length).includes('/')) out.push(p.slice(prefix.length));
    }
    return out.sort();
  }
}

/** The directories every image has. */
export function baseFs(): MemFs {
  const fs = new MemFs();
  for (const d of [
    '/bin',
    '/dev',
    '/etc',
    '/home',
    '/opt',
    '/proc',
    '/root',
    '/sys',
    '/tmp',
    '/usr/bin',
    '/usr/local/bin',
    '/usr/share',
    '/var/lib',
    '/var/run',
    '/var/log',
  ])
    fs.mkdirs(d);
  fs.entries.set('/dev/null', { dir: false, data: '' });
  return fs;
}
