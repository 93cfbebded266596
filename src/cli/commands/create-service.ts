/** `create service clusterip|nodeport|loadbalancer|externalname` (kubectl's create_service.go) */
import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { globals } from '../context';
import { CliError } from '../../util/errors';
import type { Service } from '../../model/kinds';
import type { ServicePort } from '../../model/k8s';
import { intFlag } from '../flags';
import { collect } from '../flag-sets';
import { createGenerated, generatedMetadata, generatorFlags as common, type GeneratorFlags } from '../create-generated';

interface ServiceOptions extends GeneratorFlags {
  tcp: string[];
  /** externalname only */
  externalName?: string;
  /** the other three */
  clusterip?: string;
  nodePort?: string;
}

const SERVICE_TYPES = { clusterip: 'ClusterIP', nodeport: 'NodePort', loadbalancer: 'LoadBalancer', externalname: 'ExternalName' } as const;

/** --tcp port[:targetPort]: kubectl names the port after its specifier (443 → "443", 80:8080 → "80-8080") */
function portsOf(opts: ServiceOptions): ServicePort[] {
  return opts.tcp.map((p) => {
    const [port, target] = p.split(':');
    const portNum = intFlag(port, 'tcp');
    const targetPort = target === undefined ? portNum : /^\d+$/.test(target) ? Number(target) : target;
    return {
      name: p.replace(/:/g, '-'),
      port: portNum,
      protocol: 'TCP',
      targetPort,
      ...(opts.nodePort ? { nodePort: intFlag(opts.nodePort, 'node-port') } : {}),
    };
  });
}

export function registerServiceCreate(create: Command, env: CommandEnv): void {
  const service = create.command('service').alias('svc').description('Create a service using a specified subcommand');
  for (const type of ['clusterip', 'nodeport', 'loadbalancer', 'externalname'] as const) {
    const kind = SERVICE_TYPES[type];
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
      .action((name: string, opts: ServiceOptions, cmd: Command) => {
        if (type === 'externalname' && !opts.externalName) throw new CliError('required flag(s) "external-name" not set');
        if (type !== 'externalname' && !opts.tcp.length && opts.clusterip !== 'None')
          throw new CliError('at least one tcp port specifier must be provided');
        const ports = portsOf(opts);
        const obj: Service = {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: generatedMetadata(name, { app: name }),
          spec: {
            ...(opts.externalName ? { externalName: opts.externalName } : {}),
            ...(ports.length ? { ports } : {}),
            selector: { app: name },
            type: kind,
            ...(opts.clusterip ? { clusterIP: opts.clusterip } : {}),
          },
          status: { loadBalancer: {} },
        };
        createGenerated(env, globals(cmd, env), obj, opts, cmd);
      });
  }
}
