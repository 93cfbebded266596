/**
 * `npm run import-proto`: rebuilds third_party/kubernetes-proto/messages.json.gz, the field
 * numbers and types of the Kubernetes v1.32 API types' protobuf encoding, which kubesim serve
 * uses to read the protobuf request bodies of kubectl's typed clients (src/serve/protobuf.ts).
 *
 * Read from two repositories at their v0.32.0 tags (= Kubernetes v1.32.0):
 * - kubernetes/api and kubernetes/apimachinery: every `generated.proto` (messages, field numbers,
 *   types, repeated, map<K, V>);
 * - the Go types beside them (`*.go`): what the .proto does not say but the JSON form depends on —
 *   whether a field is a pointer (a zero on the wire is meant: replicas 0) or an omitempty value
 *   (a zero is Go's zero value, left out of JSON), each package's API group (`+groupName=`), and
 *   the types that are Go slices (`type ExtraValue []string`: JSON arrays, not messages).
 *
 * Usage: `npm run import-proto [API_DIR APIMACHINERY_DIR]` — without directories, both
 * repositories are cloned at the tag into a temporary directory (git on PATH).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

const TAG = 'v0.32.0';
const OUT = path.join(__dirname, '..', 'third_party', 'kubernetes-proto', 'messages.json.gz');

/** [number, JSON name, type (scalar, message's full name, or map<K,V>), flags: r repeated, p pointer, o omitempty] */
type FieldRow = [number, string, string, string];
interface MessageData {
  fields: FieldRow[];
  /** a Go slice type: its JSON form is the array of its `items` */
  array?: true;
}

function files(dir: string, test: (name: string) => boolean, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'testdata' && !entry.name.startsWith('.')) files(p, test, out);
    } else if (test(entry.name)) out.push(p);
  }
  return out.sort();
}

interface GoField {
  pointer: boolean;
  omitempty: boolean;
  /** the JSON name (the json tag's; a few .proto names differ: Variable's `Name` is JSON `name`) */
  json?: string;
}

/** Per Go type name: its fields by protobuf number; and the names of slice types. */
function goTypes(dir: string): { structs: Map<string, Map<number, GoField>>; slices: Set<string>; group?: string } {
  const structs = new Map<string, Map<number, GoField>>();
  const slices = new Set<string>();
  let group: string | undefined;
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.go') && !f.endsWith('_test.go') && !f.startsWith('zz_'))) {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    // the group: doc.go's `+groupName=` tag, or register.go's `const GroupName = "apps"`
    const g = /^\/\/ \+groupName=(\S*)/m.exec(text) ?? /^const GroupName = "([^"]*)"/m.exec(text);
    if (g) group ??= g[1];
    for (const m of text.matchAll(/^type (\w+) \[\]\S+$/gm)) slices.add(m[1]);
    for (const m of text.matchAll(/^type (\w+) struct \{\n([\s\S]*?)^\}/gm)) {
      const fields = new Map<number, GoField>();
      for (const line of m[2].split('\n')) {
        const tagged = /^\s*(.*?)\s+`(.*)`\s*$/.exec(line);
        if (!tagged) continue;
        const proto = /protobuf:"\w+,(\d+),/.exec(tagged[2]);
        if (!proto) continue;
        const tokens = tagged[1].trim().split(/\s+/);
        const type = tokens[tokens.length - 1];
        const json = /json:"([^"]*)"/.exec(tagged[2]);
        const [name, ...options] = json ? json[1].split(',') : [''];
        fields.set(Number(proto[1]), {
          pointer: type.startsWith('*'),
          omitempty: options.includes('omitempty'),
          json: name && name !== '-' ? name : undefined,
        });
      }
      structs.set(m[1], fields);
    }
  }
  return { structs, slices, group };
}

/** The messages of one generated.proto, with the Go facts of the package beside it. */
function readProto(file: string, messages: Record<string, MessageData>, groups: Record<string, string>): void {
  const text = fs
    .readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\/\/.*$/gm, '');
  const pkg = /^package ([\w.]+);/m.exec(text)?.[1];
  if (!pkg) throw new Error(`${file}: no package`);
  const go = goTypes(path.dirname(file));
  if (go.group !== undefined) groups[pkg] = go.group;
  const qualify = (type: string): string => {
    if (type.startsWith('.')) return type.slice(1);
    if (/^(string|bytes|bool|u?int(32|64)|s?int(32|64)|s?fixed(32|64)|double|float)$/.test(type)) return type;
    return `${pkg}.${type}`;
  };
  for (const m of text.matchAll(/^message (\w+) \{([\s\S]*?)^\}/gm)) {
    const goFields = go.structs.get(m[1]);
    const fields: FieldRow[] = [];
    for (const f of m[2].matchAll(/^\s*(optional|repeated|map<\s*([\w.]+)\s*,\s*([\w.]+)\s*>)\s*([\w.]*)\s+(\w+)\s*=\s*(\d+)/gm)) {
      const number = Number(f[6]);
      const goField = goFields?.get(number);
      let flags = '';
      if (f[1] === 'repeated') flags += 'r';
      if (goField?.pointer) flags += 'p';
      if (goField?.omitempty) flags += 'o';
      const type = f[2] ? `map<${qualify(f[2])},${qualify(f[3])}>` : qualify(f[4]);
      fields.push([number, goField?.json ?? f[5], type, flags]);
    }
    messages[`${pkg}.${m[1]}`] = { fields, ...(go.slices.has(m[1]) ? { array: true as const } : {}) };
  }
}

function checkout(repo: string, dir: string): string {
  execFileSync('git', ['clone', '--quiet', '--depth', '1', '--branch', TAG, `https://github.com/kubernetes/${repo}`, dir]);
  return dir;
}

function commitOf(dir: string): string {
  return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: dir, encoding: 'utf8' }).trim();
}

function main(): void {
  let [apiDir, machineryDir] = process.argv.slice(2);
  const tmp = apiDir ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'kubesim-proto-'));
  try {
    if (tmp) {
      apiDir = checkout('api', path.join(tmp, 'api'));
      machineryDir = checkout('apimachinery', path.join(tmp, 'apimachinery'));
    }
    const messages: Record<string, MessageData> = {};
    const groups: Record<string, string> = {};
    for (const dir of [apiDir, machineryDir]) for (const f of files(dir, (n) => n === 'generated.proto')) readProto(f, messages, groups);
    const sorted = Object.fromEntries(Object.entries(messages).sort(([a], [b]) => a.localeCompare(b)));
    const data = {
      source: {
        tag: TAG,
        'kubernetes/api': commitOf(apiDir),
        'kubernetes/apimachinery': commitOf(machineryDir),
      },
      /** proto package → API group ("" for core) */
      groups: Object.fromEntries(Object.entries(groups).sort(([a], [b]) => a.localeCompare(b))),
      messages: sorted,
    };
    fs.writeFileSync(OUT, zlib.gzipSync(`${JSON.stringify(data, null, 1)}\n`, { level: 9 }));
    process.stdout.write(`${Object.keys(sorted).length} messages written to ${path.relative(process.cwd(), OUT)}\n`);
  } finally {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main();
