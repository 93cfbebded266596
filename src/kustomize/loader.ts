import * as fs from 'node:fs';
import * as path from 'node:path';
import { CliError } from '../util/errors';

/** `--load-restrictor`: whether a kustomization may read files outside its own directory. */
export const LOAD_RESTRICTORS = ['LoadRestrictionsRootOnly', 'LoadRestrictionsNone'] as const;
export type LoadRestrictor = (typeof LOAD_RESTRICTORS)[number];

/** The first part of a missing path that does not exist: the one Go's EvalSymlinks fails to lstat. */
function firstMissing(full: string): string {
  let missing = full;
  for (let parent = path.dirname(missing); parent !== missing && !fs.existsSync(parent); parent = path.dirname(parent)) missing = parent;
  return missing;
}

/** kustomize's error for a path that does not exist (filesys.EvalSymlinks); `shown` is the path as kustomize names it. */
export function missingPathError(full: string, shown = full): string {
  return `evalsymlink failure on '${shown}' : lstat ${firstMissing(full)}: no such file or directory`;
}

/** The path with symlinks resolved, as far as it exists (kustomize's ConfirmedDir/CleanedAbs). */
function realPath(full: string): string {
  try {
    return fs.realpathSync(full);
  } catch {
    return full;
  }
}

/**
 * kustomize's file loader for one kustomization directory: paths are relative to it and, under
 * LoadRestrictionsRootOnly (the default), a file must be in or below it (api/internal/loader,
 * RestrictionRootOnly). Other kustomization directories (bases, components) are not files and
 * may live anywhere.
 */
export class FileLoader {
  readonly root: string;

  constructor(
    root: string,
    readonly restrictor: LoadRestrictor,
  ) {
    this.root = realPath(root);
  }

  /** A loader for another kustomization directory, with the same restriction. */
  at(dir: string): FileLoader {
    return new FileLoader(dir, this.restrictor);
  }

  /** The absolute path of `file`, or why it may not be read (a directory is another kustomization: never refused). */
  check(file: string): { full: string; error?: string } {
    const full = path.resolve(this.root, file);
    if (!fs.existsSync(full)) return { full, error: missingPathError(full) };
    const real = realPath(full);
    const outside = real !== this.root && !real.startsWith(this.root + path.sep);
    if (this.restrictor === 'LoadRestrictionsRootOnly' && outside && !fs.statSync(real).isDirectory())
      return { full: real, error: `security; file '${real}' is not in or below '${this.root}'` };
    return { full: real };
  }

  /** The text of a file; a refusal is thrown with `wrap` around kustomize's reason. */
  read(file: string, wrap: (reason: string) => string = (reason) => reason): string {
    const { full, error } = this.check(file);
    if (error !== undefined) throw new CliError(wrap(error));
    if (fs.statSync(full).isDirectory()) throw new CliError(wrap(`read ${full}: is a directory`));
    return fs.readFileSync(full, 'utf8');
  }
}
