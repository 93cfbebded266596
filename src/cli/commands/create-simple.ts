/**
 * The create generators that take only flags: namespace, deployment, priorityclass,
 * poddisruptionbudget and quota (kubectl's create_namespace.go, create_deployment.go,
 * create_priorityclass.go, create_pdb.go, create_quota.go). Each is exported on its own: `create`
 * registers its subcommands in kubectl's help order, which interleaves these with the others.
 */
import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { globals } from '../context';
import { CliError } from '../../util/errors';
import type { Namespace, PriorityClass } from '../../model/kinds';
import { deploymentFor, pdbFor, quotaFor } from '../generators';
import { intFlag } from '../flags';
import { collect } from '../flag-sets';
import { commandAfterDash, createGenerated, generatedMetadata, generatorFlags as common, type GeneratorFlags } from '../create-generated';

interface DeploymentOptions extends GeneratorFlags {
  image: string[];
  replicas: string;
  port?: string;
}

interface PriorityClassOptions extends GeneratorFlags {
  value: string;
  globalDefault?: boolean;
  description: string;
  preemptionPolicy: string;
}

interface PdbOptions extends GeneratorFlags {
  selector?: string;
  minAvailable?: string;
  maxUnavailable?: string;
}

interface QuotaOptions extends GeneratorFlags {
  hard?: string;
  scopes?: string;
}

export function createNamespace(create: Command, env: CommandEnv): void {
  common(create.command('namespace').alias('ns').description('Create a namespace with the specified name').argument('<name>'))
    .addHelpText('after', '\nExamples:\n  kubesim create namespace shop')
    .action((name: string, opts: GeneratorFlags, cmd: Command) => {
      const obj: Namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: generatedMetadata(name), spec: {}, status: {} };
      createGenerated(env, globals(cmd, env), obj, opts, cmd);
    });
}

export function createDeployment(create: Command, env: CommandEnv): void {
  common(
    create
      .command('deployment')
      .alias('deploy')
      .description('Create a deployment with the specified name')
      .argument('<name>')
      .argument('[command...]'),
  )
    .option('--image <image>', 'Image names to run', collect, [])
    .option('-r, --replicas <n>', 'Number of replicas to create', '1')
    .option('--port <port>', 'The containerPort that this deployment exposes')
    .addHelpText(
      'after',
      '\nExamples:\n  kubesim create deployment web --image=nginx:1.27 --replicas=3 --port=80\n  kubesim create deployment my-dep --image=busybox -- date',
    )
    .action((name: string, rest: string[], opts: DeploymentOptions, cmd: Command) => {
      const command = commandAfterDash(cmd, rest);
      if (!opts.image.length) throw new CliError('required flag(s) "image" not set');
      if (opts.image.length > 1 && command.length) throw new CliError('cannot specify multiple --image options and command');
      const obj = deploymentFor(name, opts.image, {
        replicas: intFlag(opts.replicas, 'replicas'),
        port: opts.port ? intFlag(opts.port, 'port') : undefined,
        command,
      });
      createGenerated(env, globals(cmd, env), obj, opts, cmd);
    });
}

export function createPriorityClass(create: Command, env: CommandEnv): void {
  common(create.command('priorityclass').alias('pc').description('Create a priority class with the specified name').argument('<name>'))
    .option('--value <n>', 'the value of this priority class', '0')
    .option('--global-default', 'global-default specifies whether this PriorityClass should be considered as the default priority')
    .option('--description <text>', 'description is an arbitrary string', '')
    .option('--preemption-policy <policy>', 'the policy for preempting pods', 'PreemptLowerPriority')
    .addHelpText('after', '\nExamples:\n  kubesim create priorityclass high --value=1000 --description="critical services"')
    .action((name: string, opts: PriorityClassOptions, cmd: Command) => {
      const obj: PriorityClass = {
        apiVersion: 'scheduling.k8s.io/v1',
        kind: 'PriorityClass',
        metadata: generatedMetadata(name),
        value: intFlag(opts.value, 'value'),
        ...(opts.globalDefault ? { globalDefault: true } : {}),
        ...(opts.description ? { description: opts.description } : {}),
        preemptionPolicy: opts.preemptionPolicy,
      };
      createGenerated(env, globals(cmd, env), obj, opts, cmd);
    });
}

export function createPodDisruptionBudget(create: Command, env: CommandEnv): void {
  common(
    create
      .command('poddisruptionbudget')
      .alias('pdb')
      .description('Create a pod disruption budget with the specified name')
      .argument('<name>'),
  )
    .option('--selector <selector>', 'A label selector to use for this budget. Only equality-based selector requirements are supported.')
    .option('--min-available <n>', 'The minimum number or percentage of available pods this budget requires.')
    .option('--max-unavailable <n>', 'The maximum number or percentage of unavailable pods this budget requires.')
    .addHelpText(
      'after',
      '\nExamples:\n  kubesim create pdb web --selector=app=web --min-available=2\n  kubesim create pdb web --selector=app=web --max-unavailable=25%',
    )
    .action((name: string, opts: PdbOptions, cmd: Command) => {
      createGenerated(env, globals(cmd, env), pdbFor(name, opts), opts, cmd);
    });
}

export function createQuota(create: Command, env: CommandEnv): void {
  common(create.command('quota').alias('resourcequota').description('Create a quota with the specified name').argument('<name>'))
    .option('--hard <list>', 'A comma-delimited set of resource=quantity pairs that define a hard limit.')
    .option('--scopes <list>', 'A comma-delimited set of quota scopes that must all match each object tracked by the quota.')
    .addHelpText(
      'after',
      '\nExamples:\n  kubesim create quota my-quota --hard=cpu=1,memory=1G,pods=2,services=3\n  kubesim create quota best-effort --hard=pods=100 --scopes=BestEffort',
    )
    .action((name: string, opts: QuotaOptions, cmd: Command) => {
      createGenerated(env, globals(cmd, env), quotaFor(name, opts), opts, cmd);
    });
}
