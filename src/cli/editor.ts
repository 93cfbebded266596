/**
 * kubectl's editor (cmd/util/editor): the temp file with its header, the editor command, and the
 * edited text without comments. Used by edit and create --edit.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { CliError } from '../util/errors';
import type { IO } from './io';

/** What kubectl writes above the object (editor.go). */
export const HEADER = `# Please edit the object below. Lines beginning with a '#' will be ignored,
# and an empty file will abort the edit. If an error occurs while saving this file will be
# reopened with the relevant failures.
#
`;

/**
 * kubectl's editor choice: KUBE_EDITOR, then EDITOR, else vi; a command with quotes or
 * backslashes goes to the shell, one with spaces is split on them (editor.go defaultEnvEditor).
 */
export function editorCommand(env: Record<string, string | undefined>, file: string): { command: string; args: string[]; shown: string } {
  const editor = env.KUBE_EDITOR || env.EDITOR || 'vi';
  if (/["'\\]/.test(editor)) return { command: env.SHELL || '/bin/bash', args: ['-c', `${editor} ${JSON.stringify(file)}`], shown: editor };
  const [command, ...args] = editor.split(' ');
  return { command, args: [...args, file], shown: editor };
}

/** The edited text without kubectl's comment lines (an empty result cancels the edit). */
export function withoutComments(text: string): string {
  return text
    .split('\n')
    .filter((l) => !l.trimStart().startsWith('#'))
    .join('\n');
}

/**
 * Writes `text` to a temp file (CRLF line endings with --windows-line-endings), runs the editor on
 * it and returns what was saved (LF line endings) and the file, or fails as kubectl does.
 */
export function launchEditor(
  io: IO,
  name: string,
  text: string,
  windowsLineEndings: boolean,
): { edited: string; file: string; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubectl-edit-'));
  const file = path.join(dir, name);
  // crlf.NewCRLFWriter
  fs.writeFileSync(file, windowsLineEndings ? text.replace(/\n/g, '\r\n') : text);
  const editor = editorCommand(io.env, file);
  const run = spawnSync(editor.command, editor.args, { stdio: 'inherit', env: io.env as NodeJS.ProcessEnv, cwd: io.cwd });
  if (run.error || run.status !== 0) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new CliError(`there was a problem with the editor "${editor.shown}"`);
  }
  return { edited: fs.readFileSync(file, 'utf8').replace(/\r\n/g, '\n'), file, dir };
}
