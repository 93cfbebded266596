import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { globals, withSession } from '../context';
import { CliError, notFound } from '../../util/errors';
import { updateObject } from '../../api/server';
import { clone } from '../../model/objects';
import { toRFC3339 } from '../../util/duration';

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
  parent
    .command(verb)
    .description(verb === 'approve' ? 'Approve a certificate signing request' : 'Deny a certificate signing request')
    .argument('[csr...]', 'CSR_NAME')
    .option('--force', `Update the CSR even if it is already ${decision.done}.`, false)
    .addHelpText(
      'after',
      `\nExamples:\n  # ${verb === 'approve' ? 'Approve' : 'Deny'} CSR 'csr-sqgzp'\n  kubesim certificate ${verb} csr-sqgzp`,
    )
    .action((names: string[], opts: { force: boolean }, cmd: Command) => {
      if (!names.length)
        throw new CliError(
          `one or more CSRs must be specified as <name> or -f <filename>\nSee 'kubesim certificate ${verb} -h' for help and examples`,
        );
      withSession(globals(cmd, env), (s) => {
        for (const name of names) {
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
            updateObject(s.api, next);
          }
          env.out.line(`certificatesigningrequest.certificates.k8s.io/${name} ${decision.done}`);
        }
      });
    });
}

export function register(program: Command, env: CommandEnv): void {
  const certificate = program.command('certificate').description('Modify certificate resources');
  registerDecision(certificate, env, 'approve');
  registerDecision(certificate, env, 'deny');
}
