import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { globals, withSession } from '../context';
import { CliError } from '../../util/errors';
import { createObject } from '../../api/server';
import type { KObject } from '../../model/objects';
import { isKind, isKindIn, type Service } from '../../model/kinds';
import type { Container, LabelSelector } from '../../model/k8s';
import { getTarget, NO_RESOURCES, resolveTargets } from '../object-edit';
import { withLastApplied } from '../apply-object';
import { parseLabelSpec } from '../generators';
import { fileTargets, refuseArgsWithFiles } from '../resource-builder';
import {
  applyOverrides,
  dryRunFlag,
  fieldManagerFlag,
  fileNameFlags,
  hasFileNames,
  overrideFlags,
  printFlags,
  printOptions,
  saveConfigFlag,
  withFlags,
  writeOptions,
  type FileNameOptions,
  type PrintFlags,
  type WriteFlags,
} from '../flag-sets';
import { formatStructured, validateOutputFormat } from '../../printers/output';
import { dryRunSuffix, intFlag } from '../flags';

/** The selector a Service gets when exposing an object (kubectl's expose generators). */
function selectorFor(obj: KObject): Record<string, string> {
  if (isKind(obj, 'Service')) return obj.spec?.selector ?? {};
  if (isKind(obj, 'Pod')) return obj.metadata.labels ?? {};
  if (isKind(obj, 'ReplicationController')) return obj.spec?.selector ?? {};
  const sel: LabelSelector | undefined = isKind(obj, 'Deployment') || isKind(obj, 'ReplicaSet') ? obj.spec?.selector : undefined;
  if (sel?.matchExpressions?.length)
    throw new CliError(
      `couldn't convert expressions - "${JSON.stringify(sel.matchExpressions)}" to map: cannot expose a selector with matchExpressions`,
    );
  return sel?.matchLabels ?? {};
}

/** polymorphichelpers.PortsForObject: a Service's own ports, else the containers' (with their protocols). */
function portsFrom(obj: KObject): { port: number; protocol: string }[] {
  if (isKind(obj, 'Service')) return (obj.spec?.ports ?? []).map((p) => ({ port: p.port, protocol: p.protocol ?? 'TCP' }));
  // a pod, or a workload with a pod template (the exposable kinds)
  const containers: Container[] = isKind(obj, 'Pod')
    ? (obj.spec?.containers ?? [])
    : isKindIn(obj, ['Deployment', 'ReplicaSet', 'ReplicationController'])
      ? (obj.spec?.template?.spec?.containers ?? [])
      : [];
  return containers.flatMap((c) => c.ports ?? []).map((p) => ({ port: p.containerPort, protocol: p.protocol ?? 'TCP' }));
}

/** polymorphichelpers.CanBeExposed */
const EXPOSABLE = ['ReplicationController', 'Service', 'Pod', 'Deployment', 'ReplicaSet'];

export function register(program: Command, env: CommandEnv): void {
  withFlags(
    program
      .command('expose')
      .description('Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service')
      .argument('[resource...]', 'TYPE NAME | TYPE/NAME')
      .option('--port <port>', 'The port that the service should serve on. Copied from the resource being exposed, if unspecified')
      .option('--target-port <port>', 'Name or number for the port on the container that the service should direct traffic to. Optional.')
      .option('--protocol <protocol>', 'The network protocol for the service to be created. Default is TCP.')
      .option('--type <type>', 'Type for this service: ClusterIP, NodePort, LoadBalancer, or ExternalName. Default is ClusterIP.')
      .option('--name <name>', 'The name for the newly created object.')
      .option('--selector <selector>', 'A label selector to use for this service. Only equality-based selector requirements are supported.')
      .option('-l, --labels <labels>', 'Labels to apply to the service created by this call.')
      .option('--external-ip <ip>', 'Additional external IP address (not managed by Kubernetes) to accept for the service.')
      .option(
        '--load-balancer-ip <ip>',
        'IP to assign to the LoadBalancer. If empty, an ephemeral IP will be created and used (cloud-provider specific).',
      )
      .option(
        '--session-affinity <affinity>',
        "If non-empty, set the session affinity for the service to this; legal values: 'None', 'ClientIP'",
      )
      .option(
        '--cluster-ip <ip>',
        'ClusterIP to be assigned to the service. Leave empty to auto-allocate, or set to "None" to create a headless service',
      ),
    fileNameFlags('identifying the resource to expose a service'),
    printFlags,
    dryRunFlag,
    fieldManagerFlag('kubectl-expose'),
    saveConfigFlag,
    overrideFlags,
  )
    .addHelpText(
      'after',
      '\nExamples:\n  kubesim expose deployment web --port=80 --target-port=8080\n  kubesim expose deployment web --type=NodePort --port=80\n  kubesim expose -f web-deployment.yaml --port=80',
    )
    .action((resources: string[], opts: ExposeOptions, cmd: Command) => {
      const g = globals(cmd, env);
      const { dryRun, fieldManager } = writeOptions(opts);
      const print = printOptions(opts);
      validateOutputFormat(print.output);
      const files: FileNameOptions = { filename: opts.filename, kustomize: opts.kustomize, recursive: opts.recursive };
      if (hasFileNames(files)) refuseArgsWithFiles(resources);
      else if (!resources.length) throw new CliError(NO_RESOURCES);
      if (opts.sessionAffinity !== undefined && !['None', 'ClientIP'].includes(opts.sessionAffinity))
        throw new CliError(`unknown session affinity: ${opts.sessionAffinity}`);
      withSession(
        g,
        (s) => {
          const targets = hasFileNames(files) ? fileTargets(files, undefined, env.io, g) : resolveTargets(s.api, resources, g, {});
          for (const target of targets) {
            if (!EXPOSABLE.includes(target.info.kind)) throw new CliError(`cannot expose a ${target.info.kind}`);
            const obj = getTarget(s.api, target);
            const svc = applyOverrides(serviceFor(obj, target.info.singular, opts), opts);
            const toCreate = opts.saveConfig ? withLastApplied(svc) : svc;
            const created = dryRun === 'client' ? toCreate : createObject(s.api, toCreate, { dryRun: dryRun !== 'none', fieldManager });
            const text = formatStructured([created], print.output, {
              single: true,
              cwd: env.io.cwd,
              showManagedFields: print.showManagedFields,
              allowMissingTemplateKeys: print.allowMissingTemplateKeys,
            });
            env.out.out(text ?? `service/${created.metadata.name} exposed${dryRunSuffix(dryRun)}\n`);
          }
        },
        { dryRun: dryRun !== 'none' },
      );
    });
}

interface ExposeFlags {
  port?: string;
  targetPort?: string;
  protocol?: string;
  type?: string;
  name?: string;
  selector?: string;
  labels?: string;
  externalIp?: string;
  loadBalancerIp?: string;
  sessionAffinity?: string;
  clusterIp?: string;
}

/** expose's flags as commander parses them */
interface ExposeOptions extends ExposeFlags, FileNameOptions, PrintFlags, WriteFlags {
  saveConfig?: boolean;
  overrides?: string;
  overrideType?: string;
}

/** The Service kubectl's expose generator builds for one object (createService). */
function serviceFor(obj: KObject, singular: string, opts: ExposeFlags): Service {
  const selector = opts.selector ? parseLabelSpec(opts.selector) : selectorFor(obj);
  if (!Object.keys(selector).length)
    throw new CliError(`couldn't retrieve selectors via --selector flag or introspection: the ${singular} has no selector`);
  const headless = opts.clusterIp === 'None';
  const exposed = opts.port ? [{ port: intFlag(opts.port, 'port'), protocol: opts.protocol ?? 'TCP' }] : portsFrom(obj);
  if (!exposed.length && !headless) throw new CliError(`couldn't find port via --port flag or introspection`);
  const targetPort = opts.targetPort === undefined ? undefined : /^\d+$/.test(opts.targetPort) ? Number(opts.targetPort) : opts.targetPort;
  const ports = exposed.map((p, i) => ({
    ...(exposed.length > 1 ? { name: `port-${i + 1}` } : {}),
    port: p.port,
    protocol: opts.protocol ?? p.protocol,
    targetPort: targetPort ?? p.port,
  }));
  const type = opts.type ?? 'ClusterIP';
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: (opts.name ?? obj.metadata.name).slice(0, 63),
      namespace: obj.metadata.namespace,
      labels: opts.labels ? parseLabelSpec(opts.labels) : (obj.metadata.labels ?? {}),
    },
    spec: {
      ports,
      selector,
      type,
      ...(opts.externalIp ? { externalIPs: [opts.externalIp] } : {}),
      ...(type === 'LoadBalancer' && opts.loadBalancerIp ? { loadBalancerIP: opts.loadBalancerIp } : {}),
      ...(opts.sessionAffinity ? { sessionAffinity: opts.sessionAffinity } : {}),
      ...(opts.clusterIp ? { clusterIP: opts.clusterIp } : {}),
    },
  };
}
