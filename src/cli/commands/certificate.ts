import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { globals, withSession } from '../context';
import { CliError, notFound } from '../../util/errors';
import { updateObject } from '../../api/server';
import { clone } from '../../model/objects';
import { toRFC3339 } from '../../util/duration';
import { collect, hasFileNames, printFlags, printOptions, withFlags, type FileNameOptions } from '../flag-sets';
import { fileTargets } from '../resource-builder';
import { formatStructured, validateOutputFormat } from '../../printers/output';

/** kubectl certificate approve|deny: the condition each adds, in kubectl's words. */
const DECISIONS = {
  approve: {
    type: 'Approved',
    reason: 'KubectlApprove',
    message: 'This CSR was approved by kubectl certificate approve.',
    done: 'approved',
  },
  deny: { type: 'Denied', reason: 'KubectlDeny', message: 'This CSR was denied by kubectl certificate deny.', done: 'denied' },
} as const;

function registerDecision(parent: Command, env: CommandEnv, verb: keyof typeof DECISIONS): void {
  const decision = DECISIONS[verb];
  withFlags(parent.command(verb), printFlags)
    .description(verb === 'approve' ? 'Approve a certificate signing request' : 'Deny a certificate signing request')
    .argument('[csr...]', 'CSR_NAME')
    .option('--force', `Update the CSR even if it is already ${decision.done}.`, false)
    .option('-f, --filename <file>', 'Filename, directory, or URL to files identifying the resource to update', collect, [])
    .option('-k, --kustomize <dir>', "Process the kustomization directory. This flag can't be used together with -f or -R.")
    .option(
      '-R, --recursive',
      'Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.',
    )
    .addHelpText(
      'after',
      `\nExamples:\n  # ${verb === 'approve' ? 'Approve' : 'Deny'} CSR 'csr-sqgzp'\n  kubesim certificate ${verb} csr-sqgzp`,
    )
    .action((names: string[], opts: FileNameOptions & { force: boolean; output?: string }, cmd: Command) => {
      const g = globals(cmd, env);
      const print = printOptions(opts);
      validateOutputFormat(print.output);
      const files: FileNameOptions = { filename: opts.filename, kustomize: opts.kustomize, recursive: opts.recursive };
      // CertificateOptions.Validate
      if (!names.length && !hasFileNames(files)) throw new CliError('one or more CSRs must be specified as <name> or -f <filename>');
      if (names.length && hasFileNames(files))
        throw new CliError('when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well');
      // the builder reads every file before the first CSR is changed
      const named = hasFileNames(files) ? fileTargets(files, undefined, env.io, g) : names.map((name) => ({ info: undefined, name }));
      let found = 0;
      withSession(g, (s) => {
        for (const { info, name } of named) {
          if (info && info.kind !== 'CertificateSigningRequest')
            throw new CliError(
              `can only handle CertificateSigningRequest.certificates.k8s.io objects, got ${info.group ? `${info.kind}.${info.group}` : info.kind}`,
            );
          const csr = s.store.get('CertificateSigningRequest', undefined, name);
          if (!csr) throw notFound('certificatesigningrequests.certificates.k8s.io', name);
          const conditions = csr.status?.conditions ?? [];
          // modifyCertificateCondition: an existing condition of the type is left alone unless --force
          if (!conditions.some((c: { type: string }) => c.type === decision.type) || opts.force) {
            const next = clone(csr);
            const at = toRFC3339(s.now);
            const condition = {
              type: decision.type,
              status: 'True',
              reason: decision.reason,
              message: decision.message,
              lastUpdateTime: at,
              lastTransitionTime: at,
            };
            next.status = {
              ...(next.status ?? {}),
              conditions: [...conditions.filter((c: { type: string }) => c.type !== decision.type), condition],
            };
            // PUT …/approval: the approval subresource writes the conditions alone
            updateObject(s.api, next, { subresource: 'approval' });
          }
          found++;
          // kubectl prints the object it read (info.Object), not the updated one
          const text = formatStructured([csr], print.output, { single: true, cwd: env.io.cwd, ...print });
          env.out.out(text ?? `certificatesigningrequest.certificates.k8s.io/${name} ${decision.done}\n`);
        }
        if (!found) env.out.line('No resources found');
      });
    });
}

export function register(program: Command, env: CommandEnv): void {
  const certificate = program.command('certificate').description('Modify certificate resources');
  registerDecision(certificate, env, 'approve');
  registerDecision(certificate, env, 'deny');
}
