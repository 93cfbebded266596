import { checkRawUri, rawBodyFile, runRaw } from '../raw';
import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { globals, withSession } from '../context';
import { CliError, errorMessage } from '../../util/errors';
import { createObject } from '../../api/server';
import type { KObject } from '../../model/objects';
import { fileErrors, loadManifestFiles } from '../manifests';
import { kindForManifest, targetNamespace, withLastApplied, wrapApplyError } from '../apply-object';
import { matchesLabelSelector } from '../resource-builder';
import {
  fileNameFlags,
  labelSelectorFlag,
  printFlags,
  printOptions,
  saveConfigFlag,
  withFlags,
  writeFlags,
  serverWriteOptions,
  writeOptions,
} from '../flag-sets';
import { formatStructured, validateOutputFormat } from '../../printers/output';
import * as fs from 'node:fs';
import { parseManifestText, type Manifest, type ManifestFile } from '../../api/manifest-parser';
import { HEADER, launchEditor, withoutComments } from '../editor';
import { checkTlsKeyPair, dataFromSources, deploymentFor, dockerConfigJson, pdbFor, quotaFor, readFlagFile } from '../generators';
import { intFlag, repeatable } from '../flags';
import { collect } from './apply';
import { printWarnings } from '../warnings';
import { registerBatchCreate } from './create-batch';
import { contentHash } from '../../kustomize/generators';
import { registerRbacCreate } from './create-rbac';
import { registerIngressCreate } from './create-ingress';
import { registerTokenCreate } from './create-token';
import { commandAfterDash, createGenerated, printCreated, generatorFlags as common } from '../create-generated';

/** --append-hash: the name gets kubectl's content hash (hash.ConfigMapHash / SecretHash) */
function withHash(obj: KObject, append: boolean | undefined): KObject {
  if (!append) return obj;
  return { ...obj, metadata: { ...obj.metadata, name: `${obj.metadata.name}-${contentHash(obj, 'kubectl')}` } };
}

/**
 * create --edit: every object of the files is opened in the editor (yaml with kubectl's header,
 * or json with -o json) and what is saved is created instead; an unchanged or emptied file
 * creates nothing (editoptions.go).
 */
function editBeforeCreate(env: CommandEnv, files: ManifestFile[], output: string | undefined, crlf: boolean): ManifestFile[] {
  const format = output === 'json' ? 'json' : 'yaml';
  return files.map((file) => {
    const manifests: Manifest[] = [];
    for (const m of file.manifests) {
      const original = (format === 'yaml' ? HEADER : '') + formatStructured([m.object], format, { single: true })!;
      const { edited, file: saved, dir } = launchEditor(env.io, `${m.object.metadata?.name ?? 'edit'}.${format}`, original, crlf);
      if (withoutComments(edited) === withoutComments(original)) {
        fs.rmSync(dir, { recursive: true, force: true });
        env.out.errLine('Edit cancelled, no changes made.');
        continue;
      }
      if (!withoutComments(edited).trim()) {
        fs.rmSync(dir, { recursive: true, force: true });
        env.out.errLine('Edit cancelled, saved file was empty.');
        continue;
      }
      const parsed = parseManifestText(withoutComments(edited), 'edited-file');
      if (parsed.fatal || parsed.documentErrors.length)
        throw new CliError(`${parsed.fatal ?? parsed.documentErrors[0]}\nA copy of your changes has been stored to "${saved}"`);
      fs.rmSync(dir, { recursive: true, force: true });
      manifests.push(...parsed.manifests);
    }
    return { ...file, manifests };
  });
}

export function register(program: Command, env: CommandEnv): void {
  const create = withFlags(
    program.command('create').description('Create a resource from a file or from stdin'),
    fileNameFlags('to use to create the resource'),
    printFlags,
    labelSelectorFlag,
    writeFlags('kubectl-create'),
    saveConfigFlag,
  )
    .option('--edit', 'Edit the API resource before creating')
    .option('--windows-line-endings', 'Only relevant if --edit=true. Defaults to the line ending native to your platform.')
    .option('--raw <uri>', 'Raw URI to POST to the server.  Uses the transport specified by the kubeconfig file.')
    .addHelpText(
      'after',
      '\nExamples:\n  kubesim create -f pod.yaml\n  kubesim create namespace shop\n  kubesim create deployment web --image=nginx --replicas=3',
    )
    .action((opts, cmd: Command) => {
      const g = globals(cmd, env);
      if (opts.raw !== undefined) {
        checkRawUri(opts.raw);
        runRaw('POST', opts.raw, g, env, rawBodyFile(opts.filename, opts));
        return;
      }
      const write = writeOptions(opts);
      const { dryRun } = write;
      const print = printOptions(opts);
      validateOutputFormat(print.output);
      const loaded = loadManifestFiles(opts.filename, { recursive: opts.recursive, kustomize: opts.kustomize, io: env.io });
      // --edit: each object goes through the editor first (RunEditOnCreate, EditBeforeCreateMode)
      const files = opts.edit ? editBeforeCreate(env, loaded, print.output, !!opts.windowsLineEndings) : loaded;
      let failed = false;
      withSession(
        g,
        (s) => {
          for (const file of files)
            for (const msg of fileErrors(file)) {
              failed = true;
              env.out.errLine(`error: ${msg}`);
            }
          // (--edit runs the editor's create, which has no such check: a cancelled edit creates nothing)
          if (!files.some((f) => f.manifests.length) && !failed && !opts.edit) throw new CliError('no objects passed to create');
          for (const file of files) {
            // -l: only the objects the selector matches are created (kubectl's builder filters them)
            for (const m of file.manifests.filter((m) => matchesLabelSelector(m.object, opts.selector))) {
              try {
                const info = kindForManifest(m);
                const ns = targetNamespace(info, m.object, g.namespace, g.namespaceExplicit);
                // --save-config: what `kubectl apply` would have stored, so a later apply three-way merges
                const object = opts.saveConfig ? withLastApplied(m.object) : m.object;
                let created: KObject;
                try {
                  created = createObject(s.api, { ...object, metadata: { ...object.metadata, namespace: ns } }, serverWriteOptions(write));
                } catch (e) {
                  printWarnings(env, s.store);
                  throw wrapApplyError(e, 'creating', m.source);
                }
                printWarnings(env, s.store);
                printCreated(env, [created], print, dryRun);
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
      createGenerated(
        env,
        globals(cmd, env),
        {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name, creationTimestamp: null } as unknown as KObject['metadata'],
          spec: {},
          status: {},
        },
        opts,
        cmd,
      );
    });

  common(
    create
      .command('configmap')
      .alias('cm')
      .description('Create a config map from a local file, directory or literal value')
      .argument('<name>'),
  )
    .option('--from-literal <kv>', 'Specify a key and literal value to insert in configmap (i.e. mykey=somevalue)', repeatable, [])
    .option('--from-file <source>', 'Key file can be specified using its file path, or key=path', collect, [])
    .option('--from-env-file <file>', 'Specify the path to a file to read lines of key=val pairs', collect, [])
    .option('--append-hash', 'Append a hash of the configmap to its name.')
    .addHelpText('after', '\nExamples:\n  kubesim create configmap app-config --from-literal=mode=prod --from-file=config.json')
    .action((name: string, opts, cmd: Command) => {
      const { data, binary } = dataFromSources(opts, env.io, { kind: 'ConfigMap', name });
      const text = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, v.toString('utf8')]));
      const binaryData = Object.fromEntries(Object.entries(binary).map(([k, v]) => [k, v.toString('base64')]));
      const obj: KObject = {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name, creationTimestamp: null } as unknown as KObject['metadata'],
        ...(Object.keys(binaryData).length ? { binaryData } : {}),
        ...(Object.keys(text).length ? { data: text } : {}),
      };
      createGenerated(env, globals(cmd, env), withHash(obj, opts.appendHash), opts, cmd);
    });

  const secret = create.command('secret').description('Create a secret using a specified subcommand');
  common(secret.command('generic').description('Create a secret from a local file, directory, or literal value').argument('<name>'))
    .option('--from-literal <kv>', 'Specify a key and literal value to insert in secret (i.e. mykey=somevalue)', repeatable, [])
    .option('--from-file <source>', 'Key files can be specified using their file path, or key=path', collect, [])
    .option('--from-env-file <file>', 'Specify the path to a file to read lines of key=val pairs', collect, [])
    .option('--type <type>', 'The type of secret to create')
    .option('--append-hash', 'Append a hash of the secret to its name.')
    .addHelpText('after', '\nExamples:\n  kubesim create secret generic db --from-literal=password=s3cret')
    .action((name: string, opts, cmd: Command) => {
      const { data } = dataFromSources(opts, env.io, { kind: 'Secret', name });
      const encoded = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, v.toString('base64')]));
      const obj: KObject = {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name, creationTimestamp: null } as unknown as KObject['metadata'],
        ...(Object.keys(encoded).length ? { data: encoded } : {}),
        ...(opts.type ? { type: opts.type } : {}),
      };
      createGenerated(env, globals(cmd, env), withHash(obj, opts.appendHash), opts, cmd);
    });

  common(secret.command('docker-registry').description('Create a secret for use with a Docker registry').argument('<name>'))
    .option('--docker-server <server>', 'Server location for Docker registry', 'https://index.docker.io/v1/')
    .option('--docker-username <name>', 'Username for Docker registry authentication')
    .option('--docker-password <password>', 'Password for Docker registry authentication')
    .option('--docker-email <email>', 'Email for Docker registry', '')
    .option('--from-file <source>', 'Key files can be specified using their file path, or key=path', collect, [])
    .option('--append-hash', 'Append a hash of the secret to its name.')
    .addHelpText(
      'after',
      '\nExamples:\n  kubesim create secret docker-registry my-secret --docker-server=registry.example.com --docker-username=me --docker-password=s3cret',
    )
    .action((name: string, opts, cmd: Command) => {
      const data: Record<string, string> = {};
      if (opts.fromFile.length) {
        for (const [k, v] of Object.entries(dataFromSources({ fromFile: opts.fromFile }, env.io, { kind: 'Secret', name }).data))
          data[k] = v.toString('base64');
      } else {
        if (!opts.dockerUsername || !opts.dockerPassword || !opts.dockerServer) {
          throw new CliError(
            'either --from-file or the combination of --docker-username, --docker-password and --docker-server is required',
          );
        }
        data['.dockerconfigjson'] = Buffer.from(
          dockerConfigJson(opts.dockerServer, opts.dockerUsername, opts.dockerPassword, opts.dockerEmail),
        ).toString('base64');
      }
      createGenerated(
        env,
        globals(cmd, env),
        withHash(
          {
            apiVersion: 'v1',
            kind: 'Secret',
            metadata: { name, creationTimestamp: null } as unknown as KObject['metadata'],
            data,
            type: 'kubernetes.io/dockerconfigjson',
          },
          opts.appendHash,
        ),
        opts,
        cmd,
      );
    });

  common(secret.command('tls').description('Create a TLS secret').argument('<name>'))
    .option('--cert <file>', 'Path to PEM encoded public key certificate.')
    .option('--key <file>', 'Path to private key associated with given certificate.')
    .option('--append-hash', 'Append a hash of the secret to its name.')
    .addHelpText('after', '\nExamples:\n  kubesim create secret tls tls-secret --cert=path/to/tls.crt --key=path/to/tls.key')
    .action((name: string, opts, cmd: Command) => {
      if (!opts.cert || !opts.key) throw new CliError('key and cert must be specified');
      const cert = readFlagFile(opts.cert, env.io.cwd);
      const key = readFlagFile(opts.key, env.io.cwd);
      checkTlsKeyPair(cert.toString('utf8'), key.toString('utf8'));
      const data = { 'tls.crt': cert.toString('base64'), 'tls.key': key.toString('base64') };
      createGenerated(
        env,
        globals(cmd, env),
        withHash(
          {
            apiVersion: 'v1',
            kind: 'Secret',
            metadata: { name, creationTimestamp: null } as unknown as KObject['metadata'],
            data,
            type: 'kubernetes.io/tls',
          },
          opts.appendHash,
        ),
        opts,
        cmd,
      );
    });

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
    .action((name: string, rest: string[], opts, cmd: Command) => {
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

  common(create.command('priorityclass').alias('pc').description('Create a priority class with the specified name').argument('<name>'))
    .option('--value <n>', 'the value of this priority class', '0')
    .option('--global-default', 'global-default specifies whether this PriorityClass should be considered as the default priority')
    .option('--description <text>', 'description is an arbitrary string', '')
    .option('--preemption-policy <policy>', 'the policy for preempting pods', 'PreemptLowerPriority')
    .addHelpText('after', '\nExamples:\n  kubesim create priorityclass high --value=1000 --description="critical services"')
    .action((name: string, opts, cmd: Command) => {
      createGenerated(
        env,
        globals(cmd, env),
        {
          apiVersion: 'scheduling.k8s.io/v1',
          kind: 'PriorityClass',
          metadata: { name, creationTimestamp: null } as unknown as KObject['metadata'],
          value: intFlag(opts.value, 'value'),
          ...(opts.globalDefault ? { globalDefault: true } : {}),
          ...(opts.description ? { description: opts.description } : {}),
          preemptionPolicy: opts.preemptionPolicy,
        },
        opts,
        cmd,
      );
    });

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
    .action((name: string, opts, cmd: Command) => {
      createGenerated(env, globals(cmd, env), pdbFor(name, opts), opts, cmd);
    });

  common(create.command('quota').alias('resourcequota').description('Create a quota with the specified name').argument('<name>'))
    .option('--hard <list>', 'A comma-delimited set of resource=quantity pairs that define a hard limit.')
    .option('--scopes <list>', 'A comma-delimited set of quota scopes that must all match each object tracked by the quota.')
    .addHelpText(
      'after',
      '\nExamples:\n  kubesim create quota my-quota --hard=cpu=1,memory=1G,pods=2,services=3\n  kubesim create quota best-effort --hard=pods=100 --scopes=BestEffort',
    )
    .action((name: string, opts, cmd: Command) => {
      createGenerated(env, globals(cmd, env), quotaFor(name, opts), opts, cmd);
    });

  registerBatchCreate(create, env);
  registerRbacCreate(create, env);
  registerIngressCreate(create, env);
  registerTokenCreate(create, env);

  const service = create.command('service').alias('svc').description('Create a service using a specified subcommand');
  for (const type of ['clusterip', 'nodeport', 'loadbalancer', 'externalname'] as const) {
    const kind = { clusterip: 'ClusterIP', nodeport: 'NodePort', loadbalancer: 'LoadBalancer', externalname: 'ExternalName' }[type];
    const sub = common(service.command(type).description(`Create a ${kind} service`).argument('<name>')).option(
      '--tcp <port:targetPort>',
      'Port pairs can be specified as <port>:<targetPort>',
      collect,
      [],
    );
    if (type === 'externalname') sub.option('--external-name <name>', 'External name of service');
    else
      sub
        .option('--clusterip <ip>', 'Assign your own ClusterIP or set to "None" for a headless service')
        .option('--node-port <port>', 'Port used to expose the service on each node in a cluster');
    sub
      .addHelpText(
        'after',
        type === 'externalname'
          ? '\nExamples:\n  kubesim create service externalname my-ns --external-name bar.com'
          : `\nExamples:\n  kubesim create service ${type} web --tcp=80:8080`,
      )
      .action((name: string, opts, cmd: Command) => {
        if (type === 'externalname' && !opts.externalName) throw new CliError('required flag(s) "external-name" not set');
        if (type !== 'externalname' && !opts.tcp.length && opts.clusterip !== 'None')
          throw new CliError('at least one tcp port specifier must be provided');
        const ports = (opts.tcp as string[]).map((p) => {
          const [port, target] = p.split(':');
          const portNum = intFlag(port, 'tcp');
          const targetPort = target === undefined ? portNum : /^\d+$/.test(target) ? Number(target) : target;
          // kubectl names the port after its specifier: 443 → "443", 80:8080 → "80-8080"
          return {
            name: p.replace(/:/g, '-'),
            port: portNum,
            protocol: 'TCP',
            targetPort,
            ...(opts.nodePort ? { nodePort: intFlag(opts.nodePort, 'node-port') } : {}),
          };
        });
        createGenerated(
          env,
          globals(cmd, env),
          {
            apiVersion: 'v1',
            kind: 'Service',
            metadata: { name, labels: { app: name }, creationTimestamp: null } as unknown as KObject['metadata'],
            spec: {
              ...(opts.externalName ? { externalName: opts.externalName } : {}),
              ...(ports.length ? { ports } : {}),
              selector: { app: name },
              type: kind,
              ...(opts.clusterip ? { clusterIP: opts.clusterip } : {}),
            },
            status: { loadBalancer: {} },
          },
          opts,
          cmd,
        );
      });
  }
}
