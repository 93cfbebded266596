import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { registerCordonVerb } from './cordon';

export function register(program: Command, env: CommandEnv): void {
  registerCordonVerb(program, env, 'uncordon');
}
