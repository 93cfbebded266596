import type { Command } from 'commander';
import { jobFromCronJob } from '../../controllers/cronjob';
import type { CommandEnv } from '../program';
import { globals, withSession, type Globals } from '../context';
import { CliError } from '../../util/errors';
import { createObject } from '../../api/server';
import { resolveResource, resourceName } from '../../api/registry';
import type { KObject } from '../../model/objects';
import type { Container } from '../../model/k8s';
import { validateOutputFormat } from '../../printers/output';
import { printOptions, writeOptions } from '../flag-sets';
import { withLastApplied } from '../apply-object';
import { notFound } from '../../util/errors';
import type { Session } from '../../engine/session';
import {
  commandAfterDash,
  generatedMetadata,
  generatorFlags,
  generatorOptions,
  printCreated,
  type GeneratorFlags,
} from '../create-generated';

/** create job's flags as commander parses them */
interface JobOptions extends GeneratorFlags {
  image?: string;
  from?: string;
}

/** create cronjob's flags as commander parses them */
interface CronJobOptions extends GeneratorFlags {
  image?: string;
  schedule?: string;
  restart?: string;
}

/** `create job` / `create cronjob`: kubectl's generators (create_job.go, create_cronjob.go). */
function containerFor(name: string, image: string, command: string[]): Container {
  return { ...(command.length ? { command } : {}), image, name, resources: {} };
}

function run(env: CommandEnv, g: Globals, cmd: Command, build: (s: Session | undefined) => KObject): void {
  const opts = generatorOptions(cmd);
  const { dryRun, fieldManager } = writeOptions(opts);
  const print = printOptions(opts);
  validateOutputFormat(print.output);
  withSession(
    g,
    (s) => {
      const built = build(s);
      const obj = opts.saveConfig ? withLastApplied(built) : built;
      if (dryRun === 'client') {
        printCreated(env, [obj], print, dryRun);
        return;
      }
      const created = createObject(
        s.api,
        { ...obj, metadata: { ...obj.metadata, namespace: g.namespace } },
        { dryRun: dryRun === 'server', fieldManager },
      );
      printCreated(env, [created], print, dryRun);
    },
    { dryRun: dryRun !== 'none' },
  );
}

export function registerBatchCreate(create: Command, env: CommandEnv): void {
  generatorFlags(create.command('job'))
    .description('Create a job with the specified name')
    .argument('<name>')
    .argument('[command...]')
    .option('--image <image>', 'Image name to run.')
    .option('--from <resource>', 'The name of the resource to create a Job from (only cronjob is supported).')
    .addHelpText(
      'after',
      '\nExamples:\n  kubesim create job my-job --image=busybox -- date\n  kubesim create job test-job --from=cronjob/a-cronjob',
    )
    .action((name: string, rest: string[], opts: JobOptions, cmd: Command) => {
      const command = commandAfterDash(cmd, rest);
      if (!!opts.image === !!opts.from) throw new CliError('either --image or --from must be specified');
      const g = globals(cmd, env);
      run(env, g, cmd, (s) => {
        if (opts.image) {
          return {
            apiVersion: 'batch/v1',
            kind: 'Job',
            metadata: generatedMetadata(name),
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

  generatorFlags(create.command('cronjob'))
    .alias('cj')
    .description('Create a cron job with the specified name')
    .argument('<name>')
    .argument('[command...]')
    .option('--image <image>', 'Image name to run.')
    .option('--schedule <cron>', 'A schedule in the Cron format the job should be run with.')
    .option('--restart <policy>', "job's restart policy. supported values: OnFailure, Never")
    .addHelpText('after', '\nExamples:\n  kubesim create cronjob my-job --image=busybox --schedule="*/1 * * * *" -- date')
    .action((name: string, rest: string[], opts: CronJobOptions, cmd: Command) => {
      const command = commandAfterDash(cmd, rest);
      if (!opts.image) throw new CliError('required flag(s) "image" not set');
      if (!opts.schedule) throw new CliError('required flag(s) "schedule" not set');
      const restart = opts.restart ?? 'OnFailure';
      if (restart !== 'OnFailure' && restart !== 'Never') throw new CliError(`invalid restart policy: ${restart}`);
      const [image, schedule] = [opts.image, opts.schedule];
      run(env, globals(cmd, env), cmd, () => ({
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: generatedMetadata(name),
        spec: {
          jobTemplate: {
            metadata: { creationTimestamp: null, name },
            spec: {
              template: {
                metadata: { creationTimestamp: null },
                spec: { containers: [containerFor(name, image, command)], restartPolicy: restart },
              },
            },
          },
          schedule,
        },
        status: {},
      }));
    });
}
