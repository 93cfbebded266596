/**
 * Flag parity with kubectl (issue #19): the flags `kubectl VERB --help` lists under "Options:"
 * against the flags kubesim's commander registration declares for the same verb.
 * Shared by tools/flag-parity.ts (the table, `npm run flag-parity`) and test/unit/flag-parity.test.ts.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { buildProgram } from '../src/cli/program';
import { BufferIO } from '../src/cli/io';
import { PendingOutput } from '../src/cli/io';

/** The verbs a CI script or a learner uses (issue #19), as `kubectl` argv before --help. */
export const VERBS: string[] = [
  'apply',
  'get',
  'describe',
  'delete',
  'create',
  ...[
    'clusterrole',
    'clusterrolebinding',
    'configmap',
    'cronjob',
    'deployment',
    'ingress',
    'job',
    'namespace',
    'poddisruptionbudget',
    'priorityclass',
    'quota',
    'role',
    'rolebinding',
    'secret docker-registry',
    'secret generic',
    'secret tls',
    'service clusterip',
    'service externalname',
    'service loadbalancer',
    'service nodeport',
    'serviceaccount',
    'token',
  ].map((g) => `create ${g}`),
  'replace',
  'patch',
  'label',
  'annotate',
  'edit',
  'diff',
  'expose',
  'run',
  'scale',
  'autoscale',
  ...['status', 'history', 'undo', 'restart', 'pause', 'resume'].map((s) => `rollout ${s}`),
  'cordon',
  'uncordon',
  'drain',
  'taint',
  'wait',
  'top node',
  'top pod',
  'events',
  ...['image', 'env', 'resources', 'selector', 'serviceaccount', 'subject'].map((s) => `set ${s}`),
  'auth can-i',
  'kustomize',
  ...[
    'view',
    'current-context',
    'get-contexts',
    'use-context',
    'set-context',
    'set-cluster',
    'set-credentials',
    'set',
    'unset',
    'rename-context',
    'delete-context',
    'delete-cluster',
    'delete-user',
    'get-clusters',
    'get-users',
  ].map((s) => `config ${s}`),
  'api-resources',
  'api-versions',
  'version',
  'completion',
];

/** One flag as kubectl's help prints it: `-o, --output='':`. */
export interface KubectlFlag {
  name: string;
  shorthand?: string;
  default: string;
}

export interface FlagSnapshot {
  kubectlVersion: string;
  verbs: Record<string, KubectlFlag[]>;
  /** `kubectl options`: the flags every command takes */
  global: KubectlFlag[];
}

export const SNAPSHOT_PATH = path.join(__dirname, '..', 'test', 'fixtures', 'kubectl-flags.json');

/** The "Options:" section of a kubectl help text (or the whole of `kubectl options`). */
export function parseKubectlOptions(help: string): KubectlFlag[] {
  const start = help.search(/^(Options:|The following options can be passed to any command:)$/m);
  if (start < 0) return [];
  const end = help.indexOf('\nUsage:', start);
  const section = help.slice(start, end < 0 ? undefined : end);
  const flags: KubectlFlag[] = [];
  for (const m of section.matchAll(/^ {4}(?:-(\w), )?--([\w-]+)=(.*):$/gm)) {
    flags.push({ name: m[2], ...(m[1] ? { shorthand: m[1] } : {}), default: m[3] });
  }
  return flags;
}

/** Reads the flag lists from the kubectl on PATH. */
export function snapshotFromKubectl(): FlagSnapshot {
  const run = (args: string[]) => execFileSync('kubectl', args, { encoding: 'utf8', env: { ...process.env, KUBECONFIG: '/dev/null' } });
  const version = /Client Version: (\S+)/.exec(run(['version', '--client']))?.[1] ?? 'unknown';
  const verbs: Record<string, KubectlFlag[]> = {};
  for (const verb of VERBS) verbs[verb] = parseKubectlOptions(run([...verb.split(' '), '--help']));
  return { kubectlVersion: version, verbs, global: parseKubectlOptions(run(['options'])) };
}

export function readSnapshot(): FlagSnapshot {
  return JSON.parse(fs.readFileSync(SNAPSHOT_PATH, 'utf8')) as FlagSnapshot;
}

/** kubesim's program with every verb registered (the same tree `kubesim --help` builds). */
export async function kubesimProgram(): Promise<Command> {
  const io = new BufferIO({}, process.cwd(), '');
  return buildProgram([], { io, out: new PendingOutput(), exitCode: 0 });
}

/** The long flag names a command declares (without `--`; `--no-headers` stays `no-headers`). */
export function declaredFlags(program: Command, verb: string): Set<string> | undefined {
  let cmd: Command | undefined = program;
  for (const word of verb.split(' ')) {
    cmd = cmd.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (!cmd) return undefined;
  }
  const names = new Set<string>();
  for (const o of cmd.options) if (o.long) names.add(o.long.replace(/^--/, ''));
  return names;
}

export function globalFlags(program: Command): Set<string> {
  return new Set(program.options.map((o) => o.long!.replace(/^--/, '')));
}

export interface ParityRow {
  verb: string;
  kubectl: string[];
  accepted: string[];
  missing: string[];
  /** kubesim flags kubectl does not list for the verb */
  extra: string[];
  /** kubesim has the verb at all */
  exists: boolean;
}

export function parityRows(snapshot: FlagSnapshot, program: Command): ParityRow[] {
  return Object.entries(snapshot.verbs).map(([verb, flags]) => {
    const found = declaredFlags(program, verb);
    const declared = found ?? new Set<string>();
    const kubectl = flags.map((f) => f.name);
    return {
      verb,
      kubectl,
      accepted: kubectl.filter((f) => declared.has(f)),
      missing: kubectl.filter((f) => !declared.has(f)),
      extra: [...declared].filter((f) => !kubectl.includes(f) && f !== 'help').sort(),
      exists: found !== undefined,
    };
  });
}
