import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { globals, withSession } from '../context';
import { CliError } from '../../util/errors';
import { createObject } from '../../api/server';
import type { KObject } from '../../model/objects';
import { getTarget, resolveTargets } from '../object-edit';
import { formatStructured, validateOutputFormat } from '../../printers/output';
import { dryRunSuffix, intFlag, parseDryRun, addTemplateFlags } from '../flags';

/** The selector a Service gets when exposing an object (kubectl's expose generators). */
function selectorFor(obj: KObject): Record<string, string> {
  if (obj.kind === 'Service') return obj.spec?.selector ?? {};
  if (obj.kind === 'Pod') return obj.metadata.labels ?? {};
  const sel = obj.spec?.selector;
  if (sel?.matchExpressions?.length)
    throw new CliError(
      `couldn't convert expressions - "${JSON.stringify(sel.matchExpressions)}" to map: cannot expose a selector with matchExpressions`,
    );
  return sel?.matchLabels ?? sel ?? {};
}

function portsFrom(obj: KObject): KObject[] {
  const containers: KObject[] = obj.kind === 'Pod' ? (obj.spec?.containers ?? []) : (obj.spec?.template?.spec?.containers ?? []);
  return containers.flatMap((c) => c.ports ?? []);
}

export function register(program: Command, env: CommandEnv): void {
  const exposeCommand = program
    .command('expose')
    .description('Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service')
    .argument('<resource...>', 'TYPE NAME | TYPE/NAME')
    .option('--port <port>', 'The port that the service should serve on')
    .option('--target-port <port>', 'Name or number for the port on the container that the service should direct traffic to')
    .option('--protocol <protocol>', 'The network protocol for the service to be created', 'TCP')
    .option('--type <type>', 'Type for this service: ClusterIP, NodePort, LoadBalancer, or ExternalName', 'ClusterIP')
    .option('--name <name>', 'The name for the newly created object')
    .option('--selector <selector>', 'A label selector to use for this service')
    .option(
      '--cluster-ip <ip>',
      'ClusterIP to be assigned to the service. Leave empty to auto-allocate, or set to "None" to create a headless service',
    )
    .option('--dry-run [strategy]', 'Must be "none", "server", or "client"', 'none')
    .option('-o, --output <format>', 'Output format')
    .addHelpText(
      'after',
      '\nExamples:\n  kubesim expose deployment web --port=80 --target-port=8080\n  kubesim expose deployment web --type=NodePort --port=80',
    )
    .action((resources: string[], opts, cmd: Command) => {
      const g = globals(cmd, env);
      const dryRun = parseDryRun(opts.dryRun);
      validateOutputFormat(opts.output);
      withSession(
        g,
        (s) => {
          const [target] = resolveTargets(s.api, resources, g, {});
          const obj = getTarget(s.api, target);
          const selector = opts.selector
            ? Object.fromEntries(
                String(opts.selector)
                  .split(',')
                  .map((kv) => kv.split('=')),
              )
            : selectorFor(obj);
          if (!Object.keys(selector).length)
            throw new CliError(
              `couldn't retrieve selectors via --selector flag or introspection: the ${target.info.singular} has no selector`,
            );
          let ports: KObject[];
          if (opts.port) {
            const port = intFlag(opts.port, 'port');
            const targetPort = opts.targetPort ? (/^\d+$/.test(opts.targetPort) ? Number(opts.targetPort) : opts.targetPort) : port;
            ports = [{ port, protocol: opts.protocol, targetPort } as unknown as KObject];
          } else {
            const exposed = portsFrom(obj);
            if (!exposed.length) throw new CliError(`couldn't find port via --port flag or introspection`);
            ports = exposed.map(
              (p, i) =>
                ({
                  ...(exposed.length > 1 ? { name: `port-${i + 1}` } : {}),
                  port: p.containerPort,
                  protocol: p.protocol ?? 'TCP',
                  targetPort: opts.targetPort ?? p.containerPort,
                }) as unknown as KObject,
            );
          }
          const svc: KObject = {
            apiVersion: 'v1',
            kind: 'Service',
            metadata: { name: opts.name ?? obj.metadata.name, namespace: obj.metadata.namespace, labels: obj.metadata.labels ?? {} },
            spec: { ports, selector, type: opts.type, ...(opts.clusterIp ? { clusterIP: opts.clusterIp } : {}) },
          };
          const created = createObject(s.api, svc, { dryRun: dryRun !== 'none' });
          const text = formatStructured([created], opts.output, {
            single: true,
            cwd: env.io.cwd,
            allowMissingTemplateKeys: opts.allowMissingTemplateKeys,
          });
          env.out.out(text ?? `service/${created.metadata.name} exposed${dryRunSuffix(dryRun)}\n`);
        },
        { dryRun: dryRun !== 'none' },
      );
    });
  addTemplateFlags(exposeCommand);
}
