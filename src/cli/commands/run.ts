import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { globals, withSession } from '../context';
import { CliError } from '../../util/errors';
import { createObject } from '../../api/server';
import type { KObject } from '../../model/objects';
import { formatStructured, validateOutputFormat } from '../../printers/output';
import { parseKeyValues } from '../generators';
import { dryRunSuffix, intFlag, parseDryRun, addTemplateFlags } from '../flags';
import { collect } from './apply';

export function register(program: Command, env: CommandEnv): void {
  const runCommand = program
    .command('run')
    .description('Create and run a particular image in a pod')
    .argument('<name>', 'pod name')
    .option('--image <image>', 'The image for the container to run')
    .option('--port <port>', 'The port that this container exposes')
    .option('-l, --labels <labels>', 'Comma separated labels to apply to the pod(s)')
    .option('--env <kv>', 'Environment variables to set in the container', collect, [])
    .option('--restart <policy>', 'The restart policy for this Pod. Legal values [Always, OnFailure, Never]', 'Always')
    .option('--annotations <kv>', 'Annotations to apply to the pod', collect, [])
    .option('--dry-run [strategy]', 'Must be "none", "server", or "client"', 'none')
    .option('-o, --output <format>', 'Output format')
    .addHelpText(
      'after',
      '\nExamples:\n  kubesim run nginx --image=nginx\n  kubesim run hazelcast --image=hazelcast/hazelcast --port=5701 --labels="app=hazelcast,env=prod"',
    )
    .action((name: string, opts, cmd: Command) => {
      const g = globals(cmd, env);
      if (!opts.image) throw new CliError('required flag(s) "image" not set');
      if (!['Always', 'OnFailure', 'Never'].includes(opts.restart)) throw new CliError(`invalid restart policy: ${opts.restart}`);
      validateOutputFormat(opts.output);
      const dryRun = parseDryRun(opts.dryRun);
      const labels = opts.labels ? parseKeyValues(String(opts.labels).split(','), 'label') : { run: name };
      const env_ = Object.entries(parseKeyValues(opts.env, 'env')).map(([n, value]) => ({ name: n, value }));
      const pod: KObject = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          creationTimestamp: null,
          labels,
          name,
          ...(opts.annotations.length ? { annotations: parseKeyValues(opts.annotations, 'annotation') } : {}),
        } as unknown as KObject['metadata'],
        spec: {
          containers: [
            {
              ...(env_.length ? { env: env_ } : {}),
              image: opts.image,
              name,
              ...(opts.port ? { ports: [{ containerPort: intFlag(opts.port, 'port') }] } : {}),
              resources: {},
            },
          ],
          dnsPolicy: 'ClusterFirst',
          restartPolicy: opts.restart,
        },
        status: {},
      };
      const print = (obj: KObject) => {
        const text = formatStructured([obj], opts.output, {
          single: true,
          cwd: env.io.cwd,
          allowMissingTemplateKeys: opts.allowMissingTemplateKeys,
        });
        env.out.out(text ?? `pod/${name} created${dryRunSuffix(dryRun)}\n`);
      };
      if (dryRun === 'client') return print(pod);
      withSession(
        g,
        (s) =>
          print(createObject(s.api, { ...pod, metadata: { ...pod.metadata, namespace: g.namespace } }, { dryRun: dryRun === 'server' })),
        { dryRun: dryRun === 'server' },
      );
    });
  addTemplateFlags(runCommand);
}
