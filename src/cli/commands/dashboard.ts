import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { serveCommand } from './serve';

/** `kubesim dashboard`: kubesim serve, with a token for its web page and the page's URL printed. */
export function register(program: Command, env: CommandEnv): void {
  serveCommand(program, env, 'dashboard');
}
