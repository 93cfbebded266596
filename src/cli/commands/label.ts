import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { registerMetadataMapCommand } from '../object-edit';

export function register(program: Command, env: CommandEnv): void {
  registerMetadataMapCommand(program, env, {
    verb: 'label',
    field: 'labels',
    description: 'Update the labels on a resource',
    examples:
      '  kubesim label pods foo unhealthy=true\n  kubesim label --overwrite pods foo status=unhealthy\n  kubesim label pods foo bar-',
  });
}
