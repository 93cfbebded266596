import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { register as canI } from './auth/can-i';
import { register as whoami } from './auth/whoami';

/** `kubesim auth …`: who the request is made as (the global credentials and --as flags) and what it may do. */
export function register(program: Command, env: CommandEnv): void {
  const auth = program.command('auth').description('Inspect authorization');
  canI(auth, env);
  whoami(auth, env);
}
