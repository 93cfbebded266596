import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { globals, withSession } from '../context';
import { notFound } from '../../util/errors';
import { resolveName } from '../../sim/service-routing';

/**
 * `kubesim dns NAME`: what CoreDNS answers a pod in the namespace (search path
 * `<ns>.svc.cluster.local svc.cluster.local cluster.local`), printed like `host`.
 */
/** dns's flags as commander parses them */
interface DnsOptions {
  from?: string;
}

export function register(program: Command, env: CommandEnv): void {
  program
    .command('dns')
    .description("Resolve a name the way the cluster's DNS answers a pod")
    .argument('<name>', 'a Service, headless pod or pod A-record name')
    .option('--from <pod>', 'ask from this pod (its namespace sets the search path)')
    .addHelpText('after', '\nExamples:\n  kubesim dns web\n  kubesim dns web.shop.svc.cluster.local\n  kubesim dns web-0.web -n shop')
    .action((name: string, opts: DnsOptions, cmd: Command) => {
      const g = globals(cmd, env);
      withSession(
        g,
        (s) => {
          let namespace = g.namespace;
          if (opts.from) {
            const pod = s.store.get('Pod', g.namespace, opts.from);
            if (!pod) throw notFound('pods', opts.from);
            namespace = pod.metadata.namespace ?? namespace;
          }
          const answer = resolveName(s.store, name, namespace);
          if (answer.type === 'NXDOMAIN') {
            env.out.errLine(`Host ${name} not found: 3(NXDOMAIN)`);
            env.exitCode = 1;
          } else if (answer.type === 'CNAME') {
            env.out.line(`${answer.name} is an alias for ${answer.target}`);
          } else {
            for (const ip of answer.addresses) env.out.line(`${answer.name} has address ${ip}`);
          }
        },
        { readOnly: true },
      );
    });
}
