import type { Command } from 'commander';
import type { CommandEnv } from '../../program';
import { CliError } from '../../../util/errors';
import { parseToLabelSelector, type LabelSelectorSpec } from '../../../api/labels';
import { ObjectEditError, runEdit, type EditFlags } from '../../object-edit';
import {
  allFlag,
  dryRunFlag,
  fieldManagerFlag,
  fileNameFlags,
  localFlag,
  printFlags,
  resourceVersionFlag,
  withFlags,
  type FlagSet,
} from '../../flag-sets';
import { requireResources } from './pod-template';

/** set selector's ResourceBuilderFlags have no -l: the last argument is the selector */
const selectorFlags: FlagSet = (c) =>
  withFlags(
    c,
    fileNameFlags('identifying the resource.'),
    allFlag(''),
    localFlag('If true, annotation will NOT contact api-server but run locally.'),
    printFlags,
    dryRunFlag,
    fieldManagerFlag('kubectl-set'),
    resourceVersionFlag('selectors'),
  );

/** selectorFlags as commander parses them */
interface SelectorOptions extends EditFlags {
  filename: string[];
  resourceVersion?: string;
}

/** Go's %v of []LabelSelectorRequirement: `[{tier In [a b]}]`. */
function goRequirements(expressions: NonNullable<LabelSelectorSpec['matchExpressions']>): string {
  return `[${expressions.map((e) => `{${e.key} ${e.operator} [${(e.values ?? []).join(' ')}]}`).join(' ')}]`;
}

/**
 * `kubectl set selector`: replaces a Service's spec.selector with the equality-based selector
 * given (set_selector.go: only Services, no match expressions).
 */
export function register(set: Command, env: CommandEnv): void {
  withFlags(
    set
      .command('selector')
      .description('Set the selector on a resource')
      .argument('[args...]', '(-f FILENAME | TYPE NAME) EXPRESSIONS')
      .addHelpText(
        'after',
        "\nExamples:\n  kubesim create service clusterip my-svc --clusterip=None -o yaml --dry-run=client | kubesim set selector --local -f - 'environment=qa' -o yaml | kubesim create -f -\n  kubesim set selector service web app=web,tier=frontend",
      ),
    selectorFlags,
  ).action((args: string[], opts: SelectorOptions, cmd: Command) => {
    // Complete: the resources, then the selector (getResourcesAndSelector)
    const resources = args.slice(0, -1);
    const selector = args.length ? parseToLabelSelector(args[args.length - 1]) : undefined;
    // Validate
    if (!selector) throw new CliError('one selector is required');
    requireResources(resources, opts);
    // Run
    runEdit(env, cmd, resources, opts, (obj) => {
      if (obj.kind !== 'Service') throw new ObjectEditError(`setting a selector is only supported for Services`);
      if (selector.matchExpressions)
        throw new ObjectEditError(`match expression ${goRequirements(selector.matchExpressions)} not supported on this object`);
      if (opts.resourceVersion) obj.metadata.resourceVersion = opts.resourceVersion;
      (obj as unknown as { spec: Record<string, unknown> }).spec.selector = { ...(selector.matchLabels ?? {}) };
      return { changed: true, verb: 'selector updated' };
    });
  });
}
