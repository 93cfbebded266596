import type { Command } from 'commander';
import { jobFromCronJob } from '../../controllers/cronjob';
import type { CommandEnv } from '../program';
import { globals, withSession, type Globals } from '../context';
import { CliError } from '../../util/errors';
import { createObject } from '../../api/server';
import { resolveResource, resourceName } from '../../api/registry';
import type { Fields, KObject } from '../../model/objects';
import { validateOutputFormat } from '../../printers/output';
import { addTemplateFlags, parseDryRun, type TemplateFlags } from '../flags';
import { notFound } from '../../util/errors';
import type { Session } from '../../engine/session';
import { commandAfterDash, printCreated } from '../create-generated';

/** `create job` / `create cronjob`: kubectl's generators (create_job.go, create_cronjob.go). */
function containerFor(name: string, image: string, command: string[]): Fields {
  return { ...(command.length ? { command } : {}), image, name, resources: {} };
}

/** `create`'s own --dry-run/-o may have taken the flags: the subcommand's explicit values win, then the parent's. */
function outputFlags(cmd: Command): { dryRun?: string } & TemplateFlags {
  const own = cmd.opts();
  const parent = cmd.parent?.opts() ?? {};
  const dryRun = cmd.getOptionValueSource('dryRun') === 'cli' ? own.dryRun : (parent.dryRun ?? own.dryRun);
  return { dryRun, output: own.output ?? parent.output, allowMissingTemplateKeys: own.allowMissingTemplateKeys };
}

function run(env: CommandEnv, g: Globals, cmd: Command, build: (s: Session | undefined) => KObject): void {
  const opts = outputFlags(cmd);
  const dryRun = parseDryRun(opts.dryRun);
  validateOutputFormat(opts.output);
  withSession(
    g,
    (s) => {
      const obj = build(s);
      if (dryRun === 'client') {
        printCreated(env, [obj], opts, dryRun);
        return;
      }
      const created = createObject(
        s.api,
        { ...obj, metadata: { ...obj.metadata, namespace: g.namespace } },
        { dryRun: dryRun === 'server' },
      );
      printCreated(env, [created], opts, dryRun);
    },
    { dryRun: dryRun !== 'none' },
  );
}

export function registerBatchCreate(create: Command, env: CommandEnv): void {
  const jobCommand = create
    .command('job')
    .description('Create a job with the specified name')
    .argument('<name>')
    .argument('[command...]')
    .option('--image <image>', 'Image name to run.')
    .option('--from <resource>', 'The name of the resource to create a Job from (only cronjob is supported).')
    .option('--dry-run [strategy]', 'Must be "none", "server", or "client"', 'none')
    .option('-o, --output <format>', 'Output format: json|yaml|name|jsonpath=...')
    .addHelpText(
      'after',
      '\nExamples:\n  kubesim create job my-job --image=busybox -- date\n  kubesim create job test-job --from=cronjob/a-cronjob',
    )
    .action((name: string, rest: string[], opts, cmd: Command) => {
      const command = commandAfterDash(cmd, rest);
      if (!!opts.image === !!opts.from) throw new CliError('either --image or --from must be specified');
      const g = globals(cmd, env);
      run(env, g, cmd, (s) => {
        if (opts.image) {
          return {
            apiVersion: 'batch/v1',
            kind: 'Job',
            metadata: { name, creationTimestamp: null } as unknown as KObject['metadata'],
            spec: {
              template: {
                metadata: { creationTimestamp: null },
                spec: { containers: [containerFor(name, opts.image, command)], restartPolicy: 'Never' },
              },
            },
            status: {},
          };
        }
        const [type, sourceName] = String(opts.from).split('/');
        const info = resolveResource(type);
        if (!sourceName || !info) throw new CliError(`the server doesn't have a resource type "${type}"`);
        if (info.kind !== 'CronJob') throw new CliError(`unknown object type *v1.${info.kind}`);
        const cronJob = s!.store.get('CronJob', g.namespace, sourceName);
        if (!cronJob) throw notFound(resourceName(info), sourceName);
        // kubectl's createJobFromCronJob: the CronJob's template, marked as a manual run
        return jobFromCronJob(cronJob, name, { 'cronjob.kubernetes.io/instantiate': 'manual' });
      });
    });
  addTemplateFlags(jobCommand);

  const cronjobCommand = create
    .command('cronjob')
    .alias('cj')
    .description('Create a cron job with the specified name')
    .argument('<name>')
    .argument('[command...]')
    .option('--image <image>', 'Image name to run.')
    .option('--schedule <cron>', 'A schedule in the Cron format the job should be run with.')
    .option('--restart <policy>', "job's restart policy. supported values: OnFailure, Never")
    .option('--dry-run [strategy]', 'Must be "none", "server", or "client"', 'none')
    .option('-o, --output <format>', 'Output format: json|yaml|name|jsonpath=...')
    .addHelpText('after', '\nExamples:\n  kubesim create cronjob my-job --image=busybox --schedule="*/1 * * * *" -- date')
    .action((name: string, rest: string[], opts, cmd: Command) => {
      const command = commandAfterDash(cmd, rest);
      if (!opts.image) throw new CliError('required flag(s) "image" not set');
      if (!opts.schedule) throw new CliError('required flag(s) "schedule" not set');
      const restart = opts.restart ?? 'OnFailure';
      if (restart !== 'OnFailure' && restart !== 'Never') throw new CliError(`invalid restart policy: ${restart}`);
      run(env, globals(cmd, env), cmd, () => ({
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: { name, creationTimestamp: null } as unknown as KObject['metadata'],
        spec: {
          jobTemplate: {
            metadata: { creationTimestamp: null, name },
            spec: {
              template: {
                metadata: { creationTimestamp: null },
                spec: { containers: [containerFor(name, opts.image, command)], restartPolicy: restart },
              },
            },
          },
          schedule: opts.schedule,
        },
        status: {},
      }));
    });
  addTemplateFlags(cronjobCommand);
}
