import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { register as image } from './set/image';
import { register as env_ } from './set/env';
import { register as resources } from './set/resources';
import { register as selector } from './set/selector';
import { register as serviceaccount } from './set/serviceaccount';
import { register as subject } from './set/subject';

/** `kubesim set …`: one file per verb under set/; the pod-template verbs share set/pod-template.ts. */
export function register(program: Command, env: CommandEnv): void {
  const set = program.command('set').description('Set specific features on objects');
  for (const verb of [env_, image, resources, selector, serviceaccount, subject]) verb(set, env);
}
