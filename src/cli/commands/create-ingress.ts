import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { globals } from '../context';
import { CliError } from '../../util/errors';
import type { KObject } from '../../model/objects';
import type { Ingress } from '../../model/kinds';
import type { HTTPIngressPath, IngressBackend, IngressRule, IngressSpec } from '../../model/k8s';
import { createGenerated, generatorFlags, type GeneratorFlags } from '../create-generated';

/** create ingress's flags as commander parses them */
interface IngressOptions extends GeneratorFlags {
  rule: string[];
  class?: string;
  defaultBackend?: string;
  annotation: string[];
}

type IngressTLS = NonNullable<IngressSpec['tls']>[number];
import { repeatable } from '../flags';

/** kubectl's rule check (create_ingress.go's ruleRegex, anchored at the start only, as Go's MatchString) */
const RULE = /^[\w*\-.]*\/.*=[\w-]+:[\w-]+/;

/** `svc:8080` or `svc:http` (intstr.Parse: a number when it reads as one) */
function backend(service: string): IngressBackend {
  const [name, port] = service.split(':');
  return { service: { name, port: /^-?\d+$/.test(port) ? { number: Number(port) } : { name: port } } };
}

/** `host/path=svc:port`: a path ending in `*` is a Prefix path (the `*` dropped), else Exact */
function ingressPath(pathAndService: string): HTTPIngressPath {
  const [pathPart, service] = pathAndService.split('=');
  let path = `/${pathPart}`;
  let pathType = 'Exact';
  if (path.endsWith('*')) {
    pathType = 'Prefix';
    path = path.slice(0, -1);
  }
  return { backend: backend(service), path, pathType };
}

/** buildIngressRules: one rule per host, paths in the order given */
function rules(list: string[]): IngressRule[] {
  const out: IngressRule[] = [];
  for (const rule of list) {
    const withoutTls = rule.split(',')[0];
    const slash = withoutTls.indexOf('/');
    const host = withoutTls.slice(0, slash);
    const path = ingressPath(withoutTls.slice(slash + 1));
    const existing = out.find((r) => (r.host ?? '') === host);
    if (existing?.http) existing.http.paths.push(path);
    else out.push({ ...(host ? { host } : {}), http: { paths: [path] } });
  }
  return out;
}

/** buildTLSRules: `,tls` or `,tls=secret` on a rule; hosts sharing a secret share an entry, each host once */
function tls(list: string[]): IngressTLS[] {
  const out: IngressTLS[] = [];
  const seen = new Set<string>();
  for (const rule of list) {
    const parts = rule.split(',');
    if (parts.length !== 2) continue;
    const host = rule.split('/')[0];
    const secretParts = parts[1].split('=');
    const secret = secretParts.length > 1 ? secretParts[1] : '';
    if (seen.has(host)) continue;
    seen.add(host);
    const same = out.find((t) => (t.secretName ?? '') === secret);
    if (same) {
      (same.hosts ??= []).push(host);
      continue;
    }
    const entry: IngressTLS = {};
    if (host) entry.hosts = [host];
    if (secret) entry.secretName = secret;
    if (entry.hosts || entry.secretName) out.push(entry);
  }
  return out;
}

/** `create ingress`: kubectl's generator (create_ingress.go). */
export function registerIngressCreate(create: Command, env: CommandEnv): void {
  generatorFlags(create.command('ingress').alias('ing').description('Create an ingress with the specified name').argument('<name>'))
    .option(
      '--rule <rule>',
      'Rule in format host/path=service:port[,tls=secretname]. Paths ending in * are pathType=Prefix. tls argument is optional.',
      repeatable,
      [],
    )
    .option('--class <name>', 'Ingress Class to be used')
    .option('--default-backend <service:port>', 'Default service for backend, in format of svcname:port')
    .option('--annotation <key=value>', 'Annotation to insert in the ingress object, in the format annotation=value', repeatable, [])
    .addHelpText(
      'after',
      '\nExamples:\n  kubesim create ingress simple --rule="foo.com/bar=svc1:8080,tls=my-cert"\n  kubesim create ingress catch-all --class=otheringress --rule="/path=svc:port"\n  kubesim create ingress ingress1 --class=default --rule="foo.com/path*=svc:8080" --rule="bar.com/admin*=svc2:http"',
    )
    .action((name: string, opts: IngressOptions, cmd: Command) => {
      const ruleList = opts.rule;
      if (!opts.defaultBackend && !ruleList.length) {
        throw new CliError(
          'not enough information provided: every ingress has to either specify a default-backend (which catches all traffic) or a list of rules (which catch specific paths)',
        );
      }
      for (const rule of ruleList)
        if (!RULE.test(rule))
          throw new CliError(`rule ${rule} is invalid and should be in format host/path=svcname:svcport[,tls[=secret]]`);
      const annotations: Record<string, string> = {};
      for (const a of opts.annotation) {
        const eq = a.indexOf('=');
        if (eq < 0) throw new CliError(`annotation ${a} is invalid and should be in format key=[value]`);
        annotations[a.slice(0, eq)] = a.slice(eq + 1);
      }
      if (opts.defaultBackend && opts.defaultBackend.split(':').length !== 2)
        throw new CliError('default-backend should be in format servicename:serviceport');
      const tlsList = tls(ruleList);
      const ruleObjects = rules(ruleList);
      const spec: IngressSpec = {
        ...(opts.defaultBackend ? { defaultBackend: backend(opts.defaultBackend) } : {}),
        ...(opts.class ? { ingressClassName: opts.class } : {}),
        ...(ruleObjects.length ? { rules: ruleObjects } : {}),
        ...(tlsList.length ? { tls: tlsList } : {}),
      };
      const metadata = {
        ...(Object.keys(annotations).length ? { annotations } : {}),
        name,
        creationTimestamp: null,
      } as unknown as KObject['metadata'];
      const obj: Ingress = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata, spec, status: { loadBalancer: {} } };
      createGenerated(env, globals(cmd, env), obj, opts, cmd);
    });
}
