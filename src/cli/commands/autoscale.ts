import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { globals, withSession } from '../context';
import { CliError } from '../../util/errors';
import { createObject } from '../../api/server';
import { apiVersionOf, qualifiedName, kindInfoOrThrow } from '../../api/registry';
import { hasScale } from '../../api/scale';
import type { KObject } from '../../model/objects';
import { getTarget, NO_RESOURCES, resolveTargets } from '../object-edit';
import { withLastApplied } from '../apply-object';
import { fileTargets, refuseArgsWithFiles } from '../resource-builder';
import {
  dryRunFlag,
  fieldManagerFlag,
  fileNameFlags,
  hasFileNames,
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
import { cpuUtilizationMetric } from '../../api/kinds/horizontalpodautoscaler';

/** `kubesim autoscale deployment/web --min 2 --max 10 --cpu-percent 50` (kubectl autoscale, v1.32). */
/** autoscale's flags as commander parses them */
interface AutoscaleOptions extends FileNameOptions, PrintFlags, WriteFlags {
  min: string;
  max?: string;
  cpuPercent: string;
  name?: string;
  saveConfig?: boolean;
}

export function register(program: Command, env: CommandEnv): void {
  const autoscale = program
    .command('autoscale')
    .description('Auto-scale a deployment, replica set, stateful set, or replication controller')
    .argument('[resource...]', 'TYPE NAME | TYPE/NAME')
    .option(
      '--min <n>',
      "The lower limit for the number of pods that can be set by the autoscaler. If it's not specified or negative, the server will apply a default value.",
      '-1',
    )
    .option('--max <n>', 'The upper limit for the number of pods that can be set by the autoscaler. Required.')
    .option(
      '--cpu-percent <n>',
      "The target average CPU utilization (represented as a percent of requested CPU) over all the pods. If it's not specified or negative, a default autoscaling policy will be used.",
      '-1',
    )
    .option('--name <name>', 'The name for the newly created object. If not specified, the name of the input resource will be used.')
    .addHelpText('after', '\nExamples:\n  kubesim autoscale deployment web --min=2 --max=10 --cpu-percent=50');
  withFlags(
    autoscale,
    fileNameFlags('identifying the resource to autoscale.'),
    printFlags,
    dryRunFlag,
    fieldManagerFlag('kubectl-autoscale'),
    saveConfigFlag,
  ).action((resources: string[], opts: AutoscaleOptions, cmd: Command) => {
    const g = globals(cmd, env);
    // cobra's MarkFlagRequired("max")
    if (opts.max === undefined) throw new CliError('required flag(s) "max" not set');
    const min = intFlag(opts.min, 'min');
    const max = intFlag(opts.max, 'max');
    const cpu = intFlag(opts.cpuPercent, 'cpu-percent');
    // Validate() in staging/src/k8s.io/kubectl/pkg/cmd/autoscale
    if (max < 1) throw new CliError(`--max=MAXPODS is required and must be at least 1, max: ${max}`);
    if (max < min) throw new CliError(`--max=MAXPODS must be larger or equal to --min=MINPODS, max: ${max}, min: ${min}`);
    const print = printOptions(opts);
    validateOutputFormat(print.output);
    const { dryRun, fieldManager } = writeOptions(opts);
    const files: FileNameOptions = { filename: opts.filename, kustomize: opts.kustomize, recursive: opts.recursive };
    if (hasFileNames(files)) refuseArgsWithFiles(resources);
    else if (!resources.length) throw new CliError(NO_RESOURCES);
    withSession(
      g,
      (s) => {
        const targets = hasFileNames(files) ? fileTargets(files, undefined, env.io, g) : resolveTargets(s.api, resources, g, {});
        for (const target of targets) {
          if (!hasScale(target.info.kind))
            throw new CliError(`cannot autoscale a ${target.info.kind}: ${target.info.plural} does not have a scale subresource`);
          const obj = getTarget(s.api, target);
          const hpaInfo = kindInfoOrThrow('HorizontalPodAutoscaler');
          const hpa: KObject = {
            apiVersion: apiVersionOf(hpaInfo),
            kind: 'HorizontalPodAutoscaler',
            metadata: { name: opts.name ?? obj.metadata.name, namespace: obj.metadata.namespace },
            spec: {
              scaleTargetRef: { apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name },
              ...(min >= 0 ? { minReplicas: min } : {}),
              maxReplicas: max,
              ...(cpu >= 0 ? { metrics: [cpuUtilizationMetric(cpu)] } : {}),
            },
          };
          const toCreate = opts.saveConfig ? withLastApplied(hpa) : hpa;
          const created = dryRun === 'client' ? toCreate : createObject(s.api, toCreate, { dryRun: dryRun === 'server', fieldManager });
          const structured = formatStructured([created], print.output, {
            single: true,
            cwd: env.io.cwd,
            showManagedFields: print.showManagedFields,
            allowMissingTemplateKeys: print.allowMissingTemplateKeys,
          });
          if (structured !== undefined) env.out.out(structured);
          else env.out.line(`${qualifiedName(hpaInfo, created.metadata.name)} autoscaled${dryRunSuffix(dryRun)}`);
        }
      },
      { dryRun: dryRun !== 'none' },
    );
  });
}
