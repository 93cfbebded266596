import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { globals, withSession } from '../context';
import { CliError } from '../../util/errors';
import { onDemand } from '../../util/on-demand';
import { containerInstance, keepExecWrites } from '../exec-target';
import { EXEC_WRITES_MAX_BYTES } from '../../sim/exec-writes';

const runtime = onDemand(
  'sim/container-runtime',
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  () => require('../../sim/container-runtime') as typeof import('../../sim/container-runtime'),
);

interface CpFlags {
  container?: string;
  noPreserve?: boolean;
  retries?: string;
}

/** A cp argument: a local path, or [[namespace/]pod:]path (kubectl's extractFileSpec). */
interface FileSpec {
  namespace?: string;
  pod?: string;
  file: string;
}

const FORMAT_ERROR = 'filespec must match the canonical format: [[namespace/]pod:]file/path';

function extractFileSpec(arg: string): FileSpec {
  const i = arg.indexOf(':');
  if (i === 0) throw new CliError(FORMAT_ERROR);
  if (i === -1) return { file: arg };
  const pieces = arg.slice(0, i).split('/');
  const file = arg.slice(i + 1);
  if (pieces.length === 1) return { pod: pieces[0], file };
  if (pieces.length === 2) return { namespace: pieces[0], pod: pieces[1], file };
  throw new CliError(FORMAT_ERROR);
}

/**
 * `kubesim cp SRC DEST`: copies a file or directory between the local disk and a container's
 * files, as kubectl's tar pipe does (`tar cf -` in the container, or `tar -xmf - -C DIR` with
 * what it writes kept like exec's). Simulated files have no owner or mode, so --no-preserve
 * changes nothing kubesim keeps, and a simulated copy is never cut off, so --retries never has
 * to resume one.
 */
export function register(program: Command, env: CommandEnv): void {
  program
    .command('cp')
    .description('Copy files and directories to and from containers')
    .argument('[args...]', '<file-spec-src> <file-spec-dest>')
    .option(
      '-c, --container <name>',
      'Container name. If omitted, use the kubectl.kubernetes.io/default-container annotation for selecting the container to be attached or the first container in the pod will be chosen',
    )
    .option('--no-preserve', "The copied file/directory's ownership and permissions will not be preserved in the container")
    .option(
      '--retries <n>',
      'Set number of retries to complete a copy operation from a container. Specify 0 to disable or any negative value for infinite retrying. The default is 0 (no retry).',
      '0',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  # Copy /tmp/foo_dir local directory to /tmp/bar_dir in a remote pod in the default namespace\n  kubesim cp /tmp/foo_dir <some-pod>:/tmp/bar_dir\n\n  # Copy /tmp/foo local file to /tmp/bar in a remote pod in a specific container\n  kubesim cp /tmp/foo <some-pod>:/tmp/bar -c <specific-container>\n\n  # Copy /tmp/foo from a remote pod to /tmp/bar locally\n  kubesim cp <some-namespace>/<some-pod>:/tmp/foo /tmp/bar',
    )
    .action((args: string[], opts: CpFlags, cmd: Command) => {
      const g = globals(cmd, env);
      if (args.length !== 2) throw new CliError('source and destination are required');
      if (!/^-?\d+$/.test(opts.retries ?? '0'))
        throw new CliError(
          `invalid argument "${opts.retries}" for "--retries" flag: strconv.ParseInt: parsing "${opts.retries}": invalid syntax`,
        );
      const src = extractFileSpec(args[0]);
      const dest = extractFileSpec(args[1]);
      if (src.pod && dest.pod) throw new CliError('one of src or dest must be a local file specification');
      if (!src.file || !dest.file) throw new CliError('filepath can not be empty');
      const local = (p: string) => path.resolve(env.io.cwd, p);
      if (src.pod) {
        copyFromPod(g, opts.container, src, local(dest.file));
        return;
      }
      if (!dest.pod) throw new CliError('one of src or dest must be a remote file specification');
      copyToPod(g, opts.container, local(src.file), src.file, dest);
    });

  function copyFromPod(g: ReturnType<typeof globals>, container: string | undefined, src: FileSpec, dest: string): void {
    const tree = withSession(
      g,
      (s) => {
        const i = containerInstance(s.store, src.pod!, src.namespace ?? g.namespace, { container }, (line) => env.out.errLine(line));
        return runtime().readContainerPath(i, src.file, s.now, s.store);
      },
      { readOnly: true },
    );
    // tar in the container says this on stderr, which kubectl's tar pipe sends to its stdout
    if (src.file.startsWith('/')) env.out.out("tar: removing leading '/' from member names\n");
    if (tree.kind === 'missing') {
      env.out.out(`tar: ${src.file}: No such file or directory\n`);
      env.out.errLine('command terminated with exit code 1');
      env.exitCode = 1;
      return;
    }
    try {
      if (tree.kind === 'file') {
        fs.mkdirSync(path.dirname(dest), { recursive: true });
        fs.writeFileSync(dest, tree.data);
        return;
      }
      fs.mkdirSync(dest, { recursive: true });
      for (const [rel, data] of tree.entries) {
        const to = path.join(dest, rel);
        if (data === null) fs.mkdirSync(to, { recursive: true });
        else {
          fs.mkdirSync(path.dirname(to), { recursive: true });
          fs.writeFileSync(to, data);
        }
      }
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      // Go's os.Create error: "open PATH: is a directory"
      const reason = err.code === 'EISDIR' ? 'is a directory' : err.code === 'ENOTDIR' ? 'not a directory' : (err.message ?? String(e));
      throw new CliError(`open ${err.path ?? dest}: ${reason}`);
    }
  }

  function copyToPod(g: ReturnType<typeof globals>, container: string | undefined, srcPath: string, srcArg: string, dest: FileSpec): void {
    if (!fs.existsSync(srcPath)) throw new CliError(`${srcArg} doesn't exist in local filesystem`);
    const files = localTree(srcPath);
    const result = withSession(
      g,
      (s) => {
        const i = containerInstance(s.store, dest.pod!, dest.namespace ?? g.namespace, { container }, (line) => env.out.errLine(line));
        // a destination that is a directory gets the source inside it, under its own name
        let destFile = path.posix.normalize(dest.file);
        if (runtime().isContainerDir(i, destFile, s.now, s.store)) destFile = path.posix.join(destFile, path.basename(srcPath));
        const dir = path.posix.dirname(destFile.startsWith('/') ? destFile : `/${destFile}`);
        const placed = files.map(([rel, data]): [string, string | null] => [rel ? path.posix.join(destFile, rel) : destFile, data]);
        return {
          ...runtime().extractIntoContainer(
            i,
            dir,
            placed.map(([p, d]) => [p.startsWith('/') ? p : `/${p}`, d]),
            s.now,
            s.store,
          ),
          i,
        };
      },
      { readOnly: true },
    );
    if (result.error) {
      env.out.errLine(result.error);
      env.out.errLine('command terminated with exit code 1');
      env.exitCode = 1;
      return;
    }
    if (result.writes) keepExecWrites(g, result.i, result.writes);
    if (result.overLimit)
      env.out.errLine(
        `Warning: kubesim keeps at most ${EXEC_WRITES_MAX_BYTES / 1024 / 1024}MiB of files written by exec per pod; what this command wrote is not kept`,
      );
  }
}

/** The local file (one entry, path '') or directory (its tree, directories as null) to copy, in path order. */
function localTree(root: string): [string, string | null][] {
  const stat = fs.statSync(root);
  if (!stat.isDirectory()) return [['', fs.readFileSync(root, 'utf8')]];
  const out: [string, string | null][] = [['', null]];
  const walk = (dir: string, rel: string) => {
    for (const name of fs.readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      const r = rel ? `${rel}/${name}` : name;
      if (fs.statSync(full).isDirectory()) {
        out.push([r, null]);
        walk(full, r);
      } else out.push([r, fs.readFileSync(full, 'utf8')]);
    }
  };
  walk(root, '');
  return out;
}
