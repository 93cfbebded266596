import type { Command } from 'commander';
import type { CommandEnv } from '../../program';
import { globals, withSession } from '../../context';
import { CliError } from '../../../util/errors';
import { toRFC3339 } from '../../../util/duration';
import { updateObject } from '../../../api/server';
import { qualifiedName, resourceName } from '../../../api/registry';
import { clone, type KObject } from '../../../model/objects';
import type { PodTemplateSpec } from '../../../model/k8s';
import { workloadTargets } from '../../workload-target';
import { formatStructured, validateOutputFormat } from '../../../printers/output';
import {
  fieldManagerFlag,
  fileNameFlags,
  labelSelectorFlag,
  printFlags,
  printOptions,
  withFlags,
  type FileNameOptions,
  type PrintFlags,
} from '../../flag-sets';

/** What these verbs read of a Deployment, StatefulSet or DaemonSet (only a Deployment has paused) */
type Workload = KObject<{ paused?: boolean; template: PodTemplateSpec }>;

/** the verbs' flags as commander parses them */
interface RolloutEditOptions extends FileNameOptions, PrintFlags {
  selector?: string;
  fieldManager: string;
}

interface Verb {
  name: 'restart' | 'pause' | 'resume';
  description: string;
  kinds: ('Deployment' | 'StatefulSet' | 'DaemonSet')[];
  /** returns the changed object (or throws kubectl's refusal) */
  change(obj: Workload, now: number, resource: string): KObject;
  done: string;
}

const VERBS: Verb[] = [
  {
    name: 'restart',
    description: 'Restart a resource',
    kinds: ['Deployment', 'StatefulSet', 'DaemonSet'],
    change(obj, now) {
      if (obj.spec?.paused) throw new CliError(`can't restart paused deployment (run rollout resume first)`);
      const next = clone(obj);
      // the workloads always have a spec: defaulting sets it
      const template = next.spec!.template;
      template.metadata ??= {};
      template.metadata.annotations = {
        ...(template.metadata.annotations ?? {}),
        'kubectl.kubernetes.io/restartedAt': toRFC3339(now),
      };
      return next;
    },
    done: 'restarted',
  },
  {
    name: 'pause',
    description: 'Mark the provided resource as paused',
    kinds: ['Deployment'],
    change(obj, _now, resource) {
      if (obj.spec?.paused) throw new CliError(`${resource} "${obj.metadata.name}" is already paused`);
      return { ...obj, spec: { ...obj.spec, paused: true } };
    },
    done: 'paused',
  },
  {
    name: 'resume',
    description: 'Resume a paused resource',
    kinds: ['Deployment'],
    change(obj, _now, resource) {
      if (!obj.spec?.paused) throw new CliError(`${resource} "${obj.metadata.name}" is not paused`);
      const spec = { ...obj.spec };
      delete spec.paused;
      return { ...obj, spec };
    },
    done: 'resumed',
  },
];

export function registerRestartPauseResume(rollout: Command, env: CommandEnv): void {
  for (const verb of VERBS) {
    withFlags(
      rollout.command(verb.name).description(verb.description).argument('[resource...]', 'TYPE NAME | TYPE/NAME'),
      fileNameFlags(`identifying the resource to get from a server.`),
      labelSelectorFlag,
      printFlags,
      fieldManagerFlag('kubectl-rollout'),
    )
      .addHelpText(
        'after',
        `\nExamples:\n  kubesim rollout ${verb.name} deployment/web\n  kubesim rollout ${verb.name} deployment -l app=web`,
      )
      .action((args: string[], opts: RolloutEditOptions, cmd: Command) => {
        const g = globals(cmd, env);
        const print = printOptions(opts);
        validateOutputFormat(print.output);
        withSession(g, (s) => {
          for (const { info, obj } of workloadTargets(args, opts, s.store, g, env.io, verb.kinds, verb.name)) {
            const changed = updateObject(s.api, verb.change(obj, s.now, resourceName(info)), { fieldManager: opts.fieldManager });
            const text = formatStructured([changed], print.output, {
              single: true,
              cwd: env.io.cwd,
              showManagedFields: print.showManagedFields,
              allowMissingTemplateKeys: print.allowMissingTemplateKeys,
            });
            env.out.out(text ?? `${qualifiedName(info, obj.metadata.name)} ${verb.done}\n`);
          }
        });
      });
  }
}
