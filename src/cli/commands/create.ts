import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { globals, withSession, type Globals } from '../context';
import { CliError, errorMessage } from '../../util/errors';
import { createObject } from '../../api/server';
import { kindInfoOrThrow, qualifiedName } from '../../api/registry';
import type { KObject } from '../../api/types';
import { KUSTOMIZE_FLAG, loadManifestFiles } from '../manifests';
import { kindForManifest, targetNamespace, wrapApplyError } from '../apply-object';
import { formatStructured, validateOutputFormat } from '../../printers/output';
import { dataFromSources, deploymentFor, pdbFor, quotaFor } from '../generators';
import { dryRunSuffix, intFlag, parseDryRun, type DryRun } from '../flags';
import { collect } from './apply';
import { printWarnings } from '../warnings';
import { registerBatchCreate } from './create-batch';

/** Creates one generated object (or prints it for --dry-run=client -o yaml). */
function createGenerated(env: CommandEnv, g: Globals, obj: KObject, localOpts: { dryRun?: string; output?: string }, cmd?: Command): void {
  // --dry-run/-o may have been parsed by the parent `create` command
  const opts = { ...(cmd?.optsWithGlobals() ?? {}), ...Object.fromEntries(Object.entries(localOpts).filter(([, v]) => v !== undefined && v !== 'none')) } as { dryRun?: string; output?: string };
  const dryRun = parseDryRun(opts.dryRun);
  validateOutputFormat(opts.output);
  const info = kindInfoOrThrow(obj.kind);
  if (info.namespaced && g.namespaceExplicit) obj.metadata.namespace = g.namespace;
  if (dryRun === 'client') {
    printCreated(env, [obj], opts.output, dryRun);
    return;
  }
  withSession(
    g,
    (s) => {
      const created = createObject(s.api, { ...obj, metadata: { ...obj.metadata, namespace: info.namespaced ? obj.metadata.namespace ?? g.namespace : undefined } }, { dryRun: dryRun === 'server' });
      printWarnings(env, s.store);
      printCreated(env, [created], opts.output, dryRun);
    },
    { dryRun: dryRun === 'server' },
  );
}

function printCreated(env: CommandEnv, objects: KObject[], output: string | undefined, dryRun: DryRun): void {
  const text = formatStructured(objects, output, { single: true, cwd: env.io.cwd });
  if (text !== undefined) env.out.out(text);
  else for (const o of objects) env.out.line(`${qualifiedName(kindInfoOrThrow(o.kind), o.metadata.name)} created${dryRunSuffix(dryRun)}`);
}

const common = (c: Command) =>
  c.option('--dry-run [strategy]', 'Must be "none", "server", or "client"', 'none').option('-o, --output <format>', 'Output format: json|yaml|name|jsonpath=...');

export function register(program: Command, env: CommandEnv): void {
  const create = program
    .command('create')
    .description('Create a resource from a file or from stdin')
    .option('-f, --filename <file>', 'Filename, directory, or URL to files to use to create the resource', collect, [])
    .option(...KUSTOMIZE_FLAG)
    .option('-R, --recursive', 'Process the directory used in -f recursively')
    .option('--dry-run [strategy]', 'Must be "none", "server", or "client"', 'none')
    .option('-o, --output <format>', 'Output format')
    .addHelpText('after', '\nExamples:\n  kubesim create -f pod.yaml\n  kubesim create namespace shop\n  kubesim create deployment web --image=nginx --replicas=3')
    .action((opts, cmd: Command) => {
      const g = globals(cmd, env);
      const dryRun = parseDryRun(opts.dryRun);
      const files = loadManifestFiles(opts.filename, { recursive: opts.recursive, kustomize: opts.kustomize, io: env.io });
      let failed = false;
      withSession(
        g,
        (s) => {
          for (const file of files) {
            if (file.fatal) {
              failed = true;
              env.out.errLine(`error: ${file.fatal}`);
              continue;
            }
            for (const m of file.manifests) {
              try {
                const info = kindForManifest(m, g.namespace);
                const ns = targetNamespace(info, m.object, g.namespace, g.namespaceExplicit);
                let created: KObject;
                try {
                  created = createObject(s.api, { ...m.object, metadata: { ...m.object.metadata, namespace: ns } }, { dryRun: dryRun !== 'none' });
                } catch (e) {
                  printWarnings(env, s.store);
                  throw wrapApplyError(e, 'creating', m.source);
                }
                printWarnings(env, s.store);
                printCreated(env, [created], opts.output, dryRun);
              } catch (e) {
                failed = true;
                env.out.errLine(e instanceof CliError && !e.raw ? `error: ${e.message}` : errorMessage(e));
              }
            }
          }
        },
        { dryRun: dryRun !== 'none' },
      );
      env.exitCode = failed ? 1 : 0;
    });

  common(create.command('namespace').alias('ns').description('Create a namespace with the specified name').argument('<name>'))
    .addHelpText('after', '\nExamples:\n  kubesim create namespace shop')
    .action((name: string, opts, cmd: Command) => {
      createGenerated(env, globals(cmd, env), { apiVersion: 'v1', kind: 'Namespace', metadata: { name, creationTimestamp: null } as unknown as KObject['metadata'], spec: {}, status: {} }, opts, cmd);
    });

  common(create.command('configmap').alias('cm').description('Create a config map from a local file, directory or literal value').argument('<name>'))
    .option('--from-literal <kv>', 'Specify a key and literal value to insert in configmap (i.e. mykey=somevalue)', collect, [])
    .option('--from-file <source>', 'Key file can be specified using its file path, or key=path', collect, [])
    .option('--from-env-file <file>', 'Specify the path to a file to read lines of key=val pairs', collect, [])
    .addHelpText('after', '\nExamples:\n  kubesim create configmap app-config --from-literal=mode=prod --from-file=config.json')
    .action((name: string, opts, cmd: Command) => {
      const data = dataFromSources(opts, env.io.cwd);
      createGenerated(env, globals(cmd, env), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, creationTimestamp: null } as unknown as KObject['metadata'], ...(Object.keys(data).length ? { data } : {}) }, opts, cmd);
    });

  const secret = create.command('secret').description('Create a secret using a specified subcommand');
  common(secret.command('generic').description('Create a secret from a local file, directory, or literal value').argument('<name>'))
    .option('--from-literal <kv>', 'Specify a key and literal value to insert in secret (i.e. mykey=somevalue)', collect, [])
    .option('--from-file <source>', 'Key files can be specified using their file path, or key=path', collect, [])
    .option('--from-env-file <file>', 'Specify the path to a file to read lines of key=val pairs', collect, [])
    .option('--type <type>', 'The type of secret to create')
    .addHelpText('after', '\nExamples:\n  kubesim create secret generic db --from-literal=password=s3cret')
    .action((name: string, opts, cmd: Command) => {
      const data = dataFromSources(opts, env.io.cwd);
      const encoded: Record<string, string> = {};
      for (const [k, v] of Object.entries(data)) encoded[k] = Buffer.from(v).toString('base64');
      createGenerated(env, globals(cmd, env), { apiVersion: 'v1', kind: 'Secret', metadata: { name, creationTimestamp: null } as unknown as KObject['metadata'], ...(Object.keys(encoded).length ? { data: encoded } : {}), ...(opts.type ? { type: opts.type } : {}) }, opts, cmd);
    });

  common(create.command('deployment').alias('deploy').description('Create a deployment with the specified name').argument('<name>'))
    .option('--image <image>', 'Image names to run', collect, [])
    .option('-r, --replicas <n>', 'Number of replicas to create', '1')
    .option('--port <port>', 'The containerPort that this deployment exposes')
    .addHelpText('after', '\nExamples:\n  kubesim create deployment web --image=nginx:1.27 --replicas=3 --port=80')
    .action((name: string, opts, cmd: Command) => {
      if (!opts.image.length) throw new CliError('required flag(s) "image" not set');
      const obj = deploymentFor(name, opts.image, { replicas: intFlag(opts.replicas, 'replicas'), port: opts.port ? intFlag(opts.port, 'port') : undefined });
      createGenerated(env, globals(cmd, env), obj, opts, cmd);
    });

  common(create.command('priorityclass').alias('pc').description('Create a priority class with the specified name').argument('<name>'))
    .option('--value <n>', 'the value of this priority class', '0')
    .option('--global-default', 'global-default specifies whether this PriorityClass should be considered as the default priority')
    .option('--description <text>', 'description is an arbitrary string', '')
    .option('--preemption-policy <policy>', 'the policy for preempting pods', 'PreemptLowerPriority')
    .addHelpText('after', '\nExamples:\n  kubesim create priorityclass high --value=1000 --description="critical services"')
    .action((name: string, opts, cmd: Command) => {
      createGenerated(env, globals(cmd, env), { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name, creationTimestamp: null } as unknown as KObject['metadata'], value: intFlag(opts.value, 'value'), globalDefault: !!opts.globalDefault, description: opts.description, preemptionPolicy: opts.preemptionPolicy }, opts, cmd);
    });

  common(create.command('poddisruptionbudget').alias('pdb').description('Create a pod disruption budget with the specified name').argument('<name>'))
    .option('--selector <selector>', 'A label selector to use for this budget. Only equality-based selector requirements are supported.')
    .option('--min-available <n>', 'The minimum number or percentage of available pods this budget requires.')
    .option('--max-unavailable <n>', 'The maximum number or percentage of unavailable pods this budget requires.')
    .addHelpText('after', '\nExamples:\n  kubesim create pdb web --selector=app=web --min-available=2\n  kubesim create pdb web --selector=app=web --max-unavailable=25%')
    .action((name: string, opts, cmd: Command) => {
      createGenerated(env, globals(cmd, env), pdbFor(name, opts), opts, cmd);
    });

  common(create.command('quota').alias('resourcequota').description('Create a quota with the specified name').argument('<name>'))
    .option('--hard <list>', 'A comma-delimited set of resource=quantity pairs that define a hard limit.')
    .option('--scopes <list>', 'A comma-delimited set of quota scopes that must all match each object tracked by the quota.')
    .addHelpText('after', '\nExamples:\n  kubesim create quota my-quota --hard=cpu=1,memory=1G,pods=2,services=3\n  kubesim create quota best-effort --hard=pods=100 --scopes=BestEffort')
    .action((name: string, opts, cmd: Command) => {
      createGenerated(env, globals(cmd, env), quotaFor(name, opts), opts, cmd);
    });

  registerBatchCreate(create, env);

  const service = create.command('service').alias('svc').description('Create a service using a specified subcommand');
  for (const type of ['clusterip', 'nodeport', 'loadbalancer'] as const) {
    const kind = { clusterip: 'ClusterIP', nodeport: 'NodePort', loadbalancer: 'LoadBalancer' }[type];
    common(service.command(type).description(`Create a ${kind} service`).argument('<name>'))
      .option('--tcp <port:targetPort>', 'Port pairs can be specified as <port>:<targetPort>', collect, [])
      .option('--clusterip <ip>', 'Assign your own ClusterIP or set to "None" for a headless service')
      .option('--node-port <port>', 'Port used to expose the service on each node in a cluster')
      .addHelpText('after', `\nExamples:\n  kubesim create service ${type} web --tcp=80:8080`)
      .action((name: string, opts, cmd: Command) => {
        if (!opts.tcp.length && opts.clusterip !== 'None') throw new CliError('at least one tcp port specifier must be provided');
        const ports = (opts.tcp as string[]).map((p) => {
          const [port, target] = p.split(':');
          const portNum = intFlag(port, 'tcp');
          const targetPort = target === undefined ? portNum : /^\d+$/.test(target) ? Number(target) : target;
          return { name: `${port}-${target ?? port}`, port: portNum, protocol: 'TCP', targetPort, ...(opts.nodePort ? { nodePort: intFlag(opts.nodePort, 'node-port') } : {}) };
        });
        createGenerated(env, globals(cmd, env), {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name, labels: { app: name }, creationTimestamp: null } as unknown as KObject['metadata'],
          spec: { ports, selector: { app: name }, type: kind, ...(opts.clusterip ? { clusterIP: opts.clusterip } : {}) },
          status: { loadBalancer: {} },
        }, opts, cmd);
      });
  }
}
