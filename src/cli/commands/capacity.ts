import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { globals, withSession } from '../context';
import { CliError } from '../../util/errors';
import { fileErrors, loadManifestFiles } from '../manifests';
import { isQuantity } from '../../api/quantity';
import { capacity, MAX_PROBE, workloadOf, type CapacityWorkload, type NodeShape } from '../../scheduler/capacity';
import { renderCapacity } from '../../printers/capacity';
import { toJson, toYaml } from '../../printers/serialize';

const QUANTITY_PATTERN = "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

/** `--node-shape cpu=8,memory=32Gi,pods=110,labels=k=v;k2=v2` */
export function parseNodeShape(text: string): NodeShape {
  const shape: NodeShape = { cpu: '4', memory: '16Gi', pods: '110', labels: {} };
  for (const part of text.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) throw new CliError(`invalid --node-shape "${text}": expected key=value pairs (cpu, memory, pods, labels)`);
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 'labels') {
      for (const label of value.split(';').filter(Boolean)) {
        const i = label.indexOf('=');
        if (i <= 0) throw new CliError(`invalid --node-shape label "${label}": expected key=value`);
        shape.labels[label.slice(0, i)] = label.slice(i + 1);
      }
    } else if (key === 'cpu' || key === 'memory' || key === 'pods') {
      if (!isQuantity(value))
        throw new CliError(`invalid --node-shape ${key} "${value}": quantities must match the regular expression ${QUANTITY_PATTERN}`);
      shape[key] = value;
    } else throw new CliError(`invalid --node-shape key "${key}": one of cpu, memory, pods, labels`);
  }
  return shape;
}

/** `kubesim capacity -f WORKLOAD.yaml [--node-shape …]`: how many replicas fit, and how many nodes to add. */
export function register(program: Command, env: CommandEnv): void {
  program
    .command('capacity')
    .description('How many replicas of each workload fit on the cluster as it is, and how many nodes of a shape to add for all of them')
    .option(
      '-f, --filename <file...>',
      'Workloads (Deployments, ReplicaSets, StatefulSets, ReplicationControllers, Jobs, Pods); - for standard input',
    )
    .option('-R, --recursive', 'Process the directory used in -f, --filename recursively.')
    .option('--node-shape <shape>', 'Nodes to add: cpu=8,memory=32Gi,pods=110,labels=k=v;k2=v2')
    .option('-o, --output <format>', 'Output format. One of: (json, yaml).')
    .addHelpText(
      'after',
      '\nExamples:\n  kubesim capacity -f web.yaml\n  kubesim capacity -f web.yaml --node-shape cpu=8,memory=32Gi,pods=110',
    )
    .action((opts: { filename?: string[]; recursive?: boolean; nodeShape?: string; output?: string }, cmd: Command) => {
      if (opts.output && opts.output !== 'json' && opts.output !== 'yaml')
        throw new CliError(`unable to match a printer suitable for the output format "${opts.output}", allowed formats are: json,yaml`);
      const shape = opts.nodeShape !== undefined ? parseNodeShape(opts.nodeShape) : undefined;
      const files = loadManifestFiles(opts.filename ?? [], { recursive: opts.recursive, io: env.io });
      const errors = files.flatMap(fileErrors);
      if (errors.length) throw new CliError(errors.join('\n'));
      const workloads: CapacityWorkload[] = [];
      for (const m of files.flatMap((f) => f.manifests)) {
        const w = workloadOf(m.object);
        if (typeof w === 'string') throw new CliError(w);
        workloads.push(w);
      }
      if (!workloads.length) throw new CliError('no objects passed to capacity');
      withSession(
        globals(cmd, env),
        (s) => {
          const report = capacity(s.store, workloads, shape);
          if (opts.output) env.out.out(opts.output === 'json' ? toJson(report) : toYaml(report));
          else env.out.out(renderCapacity(report, opts.nodeShape, MAX_PROBE));
        },
        { readOnly: true },
      );
    });
}
