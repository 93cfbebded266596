import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { registerMetadataMapCommand } from '../object-edit';

export function register(program: Command, env: CommandEnv): void {
  registerMetadataMapCommand(program, env, {
    verb: 'annotate',
    field: 'annotations',
    description: 'Update the annotations on a resource',
    examples: "  kubesim annotate pods foo description='my frontend'\n  kubesim annotate pods foo description-",
  });
}
