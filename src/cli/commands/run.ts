import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { globals, withSession } from '../context';
import { CliError } from '../../util/errors';
import { createObject } from '../../api/server';
import { kindInfoOrThrow, qualifiedName } from '../../api/registry';
import type { KObject } from '../../model/objects';
import { formatStructured, validateOutputFormat } from '../../printers/output';
import { parseKeyValues, parseLabelSpec } from '../generators';
import { dryRunSuffix, intFlag } from '../flags';
import { parseDuration } from '../../util/duration';
import { withLastApplied } from '../apply-object';
import {
  applyOverrides,
  collect,
  deleteFlags,
  dryRunFlag,
  fieldManagerFlag,
  fileNameFlags,
  overrideFlags,
  podRunningTimeoutFlag,
  printFlags,
  printOptions,
  saveConfigFlag,
  withFlags,
  writeOptions,
  type PrintOptions,
} from '../flag-sets';

/** run's flags as commander parses them */
interface RunFlags {
  image?: string;
  port?: string;
  labels?: string;
  env: string[];
  annotations: string[];
  restart: string;
  imagePullPolicy?: string;
  privileged?: boolean;
  command?: boolean;
  expose?: boolean;
  stdin?: boolean;
  tty?: boolean;
  attach?: boolean;
  leaveStdinOpen?: boolean;
  rm?: boolean;
  podRunningTimeout: string;
  dryRun?: string;
  saveConfig?: boolean;
  overrides?: string;
  overrideType?: string;
  output?: string;
  showManagedFields?: string | boolean;
}

export function register(program: Command, env: CommandEnv): void {
  withFlags(
    program
      .command('run')
      .description('Create and run a particular image in a pod')
      .argument('<name>', 'pod name')
      .argument('[args...]', 'after --: the container arguments (with --command, its command)')
      .option('--image <image>', 'The image for the container to run')
      .option('--port <port>', 'The port that this container exposes')
      .option('-l, --labels <labels>', 'Comma separated labels to apply to the pod(s)')
      .option('--env <kv>', 'Environment variables to set in the container', collect, [])
      .option('--restart <policy>', 'The restart policy for this Pod. Legal values [Always, OnFailure, Never]', 'Always')
      .option('--annotations <kv>', 'Annotations to apply to the pod', collect, [])
      .option(
        '--image-pull-policy <policy>',
        'The image pull policy for the container. If left empty, this value will not be specified by the client and defaulted by the server.',
      )
      .option('--privileged', 'If true, run the container in privileged mode.')
      .option(
        '--command',
        "If true and extra arguments are present, use them as the 'command' field in the container, rather than the 'args' field which is the default.",
      )
      .option('--expose', 'If true, create a ClusterIP service associated with the pod.  Requires `--port`.')
      .option('-i, --stdin', 'Keep stdin open on the container in the pod, even if nothing is attached.')
      .option('-t, --tty', 'Allocate a TTY for the container in the pod.')
      .option('--attach', "If true, wait for the Pod to start running, and then attach to the Pod as if 'kubectl attach ...' were called.")
      .option(
        '--leave-stdin-open',
        'If the pod is started in interactive mode or with stdin, leave stdin open after the first attach completes.',
      )
      .option('-q, --quiet', 'If true, suppress prompt messages.')
      .option(
        '--rm',
        "If true, delete the pod after it exits.  Only valid when attaching to the container, e.g. with '--attach' or with '-i/--stdin'.",
      ),
    podRunningTimeoutFlag('1m0s'),
    printFlags,
    dryRunFlag,
    fieldManagerFlag('kubectl-run'),
    saveConfigFlag,
    overrideFlags,
    // the delete flags say how --rm deletes the pod (kubectl's DeleteFlags on run)
    fileNameFlags('to use to replace the resource.'),
    deleteFlags({ now: false, wait: false }),
  )
    .addHelpText(
      'after',
      '\nExamples:\n  kubesim run nginx --image=nginx\n  kubesim run hazelcast --image=hazelcast/hazelcast --port=5701 --labels="app=hazelcast,env=prod"\n  kubesim run web --image=nginx --port=80 --expose\n  kubesim run pi --image=perl --restart=Never --command -- perl -Mbignum=bpi -wle "print bpi(2000)"',
    )
    .action((name: string, rest: string[], opts: RunFlags, cmd: Command) => {
      // every argument after NAME (after -- or not) is the container's args, or with --command its command
      const g = globals(cmd, env);
      const { dryRun, fieldManager } = writeOptions(opts);
      const print = printOptions(opts);
      validateRun(opts, dryRun !== 'none');
      validateOutputFormat(print.output);
      const labels = opts.labels ? parseLabelSpec(opts.labels) : { run: name };
      const objects = [applyOverrides(podFor(name, labels, rest, opts), opts)];
      if (opts.expose) objects.push(serviceFor(name, labels, opts));
      const toCreate = opts.saveConfig ? objects.map(withLastApplied) : objects;
      if (dryRun === 'client') return printAll(env, toCreate, print, dryRunSuffix(dryRun));
      withSession(
        g,
        (s) =>
          printAll(
            env,
            toCreate.map((o) =>
              createObject(
                s.api,
                { ...o, metadata: { ...o.metadata, namespace: g.namespace } },
                { dryRun: dryRun === 'server', fieldManager },
              ),
            ),
            print,
            dryRunSuffix(dryRun),
          ),
        { dryRun: dryRun === 'server' },
      );
    });
}

/** cmdutil.UsageErrorf: the message, then where the help is */
function usageError(message: string): CliError {
  return new CliError(`${message}\nSee 'kubesim run -h' for help and examples`);
}

/** RunOptions.Complete/Validate, in kubectl's order (its UsageErrorf ones say where the help is, as kubectl v1.32 does). */
function validateRun(opts: RunFlags, dryRun: boolean): void {
  if (!opts.image) throw new CliError('required flag(s) "image" not set');
  if (!['Always', 'OnFailure', 'Never'].includes(opts.restart)) throw usageError(`invalid restart policy: ${opts.restart}`);
  if (opts.imagePullPolicy && !['Always', 'IfNotPresent', 'Never'].includes(opts.imagePullPolicy))
    throw usageError(`invalid image pull policy: ${opts.imagePullPolicy}`);
  const timeout = parseDuration(opts.podRunningTimeout, 'pod-running-timeout');
  if (timeout <= 0) throw usageError('--pod-running-timeout must be higher than zero');
  const attach = opts.attach || opts.stdin;
  if (opts.tty && !opts.stdin) throw usageError('-i/--stdin is required for containers with -t/--tty=true');
  if (opts.expose && !opts.port) throw usageError('--port must be set when exposing a service');
  // strconv.Atoi of the port (run.go generates the container port from it)
  if (opts.port && !/^[+-]?\d+$/.test(opts.port)) throw new CliError(`strconv.Atoi: parsing ${JSON.stringify(opts.port)}: invalid syntax`);
  if (!attach && opts.rm) throw usageError('--rm should only be used for attached containers');
  if (attach && dryRun)
    throw usageError("--dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)");
  if (attach)
    throw new CliError(
      'kubesim does not simulate attaching to a container: pods run on a timeline, not as processes (run without -i/--attach, then "kubesim describe pod NAME" shows what happened to it)',
    );
}

/** RunOptions.createPod */
function podFor(name: string, labels: Record<string, string>, args: string[], opts: RunFlags): KObject {
  const envVars = Object.entries(parseKeyValues(opts.env, 'env')).map(([n, value]) => ({ name: n, value }));
  return {
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
          ...(args.length ? { [opts.command ? 'command' : 'args']: args } : {}),
          ...(envVars.length ? { env: envVars } : {}),
          image: opts.image,
          ...(opts.imagePullPolicy ? { imagePullPolicy: opts.imagePullPolicy } : {}),
          name,
          ...(opts.port ? { ports: [{ containerPort: intFlag(opts.port, 'port') }] } : {}),
          resources: {},
          ...(opts.privileged ? { securityContext: { privileged: true } } : {}),
        },
      ],
      dnsPolicy: 'ClusterFirst',
      restartPolicy: opts.restart,
    },
    status: {},
  };
}

/** RunOptions.createService: --expose; it selects the pod's labels and carries only the ones given with -l */
function serviceFor(name: string, labels: Record<string, string>, opts: RunFlags): KObject {
  const port = intFlag(opts.port!, 'port');
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      creationTimestamp: null,
      name,
      ...(opts.labels ? { labels: parseLabelSpec(opts.labels) } : {}),
    } as unknown as KObject['metadata'],
    spec: { ports: [{ port, protocol: 'TCP', targetPort: port }], selector: labels },
    status: { loadBalancer: {} },
  };
}

function printAll(env: CommandEnv, objects: KObject[], print: PrintOptions, suffix: string): void {
  for (const obj of objects) {
    const text = formatStructured([obj], print.output, {
      single: true,
      cwd: env.io.cwd,
      showManagedFields: print.showManagedFields,
      allowMissingTemplateKeys: print.allowMissingTemplateKeys,
    });
    env.out.out(text ?? `${qualifiedName(kindInfoOrThrow(obj.kind), obj.metadata.name)} created${suffix}\n`);
  }
}
