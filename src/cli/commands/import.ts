import * as fs from 'node:fs';
import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { globals, withSession } from '../context';
import { CliError } from '../../util/errors';
import { toRFC3339 } from '../../util/duration';
import { fileErrors, loadManifestFiles } from '../manifests';
import { intFlag } from '../flags';
import { Session } from '../../engine/session';
import { importObjects, planImport, PLACEHOLDER_ANNOTATION } from '../../engine/cluster-import';
import { addClusterContext, configPath } from '../../config/kubeconfig';
import { DEFAULT_SHAPE } from '../../sim/cluster-shape';

interface ImportOptions {
  filename?: string[];
  seed: string;
  clock: string;
  force?: boolean;
}

/**
 * `kubesim import -f DUMP`: a new cluster from a real one's `kubectl get … -A -o yaml`, to rehearse
 * drains, scaling and new workloads on.
 */
export function register(program: Command, env: CommandEnv): void {
  program
    .command('import')
    .description("Create a cluster from a real cluster's objects, as `kubectl get … -A -o yaml` prints them")
    .argument('[name]', 'cluster (context) name')
    .option('-f, --filename <file...>', 'The dump (YAML or JSON, a List or documents); - for standard input')
    .option('--seed <seed>', 'seed for names, tie-breaks and simulated latencies', String(DEFAULT_SHAPE.seed))
    .option('--clock <mode>', 'wall (follows real time) or manual (starts when the dump was taken, moves only when told)', 'wall')
    .option('--force', 'replace an existing cluster in the state file')
    .addHelpText(
      'after',
      [
        '',
        'Make the dump on the real cluster with:',
        '  kubectl get nodes,pods,deployments,replicasets,statefulsets,daemonsets,jobs,cronjobs,services,pdb,hpa,pvc,pv,storageclasses,priorityclasses,namespaces -A -o yaml > dump.yaml',
        '',
        'Secrets are never imported: a Secret a pod needs is made empty but for the keys the pod reads.',
        '',
        'Examples:',
        '  kubesim import -f dump.yaml',
        '  kubectl get nodes,pods,deployments,replicasets -A -o yaml | kubesim import -f - --clock manual',
      ].join('\n'),
    )
    .action((name: string | undefined, opts: ImportOptions, cmd: Command) => {
      if (opts.clock !== 'wall' && opts.clock !== 'manual') throw new CliError(`invalid --clock "${opts.clock}": must be wall or manual`);
      const seed = intFlag(opts.seed, 'seed');
      const files = loadManifestFiles(opts.filename ?? [], { io: env.io });
      const errors = files.flatMap(fileErrors);
      if (errors.length) throw new CliError(errors.join('\n'));
      const plan = planImport(files.flatMap((f) => f.manifests.map((m) => m.object)));
      if (!plan.objects.some((o) => o.kind === 'Node'))
        throw new CliError('the dump has no nodes: include them (kubectl get nodes,… -o yaml)');
      const g = globals(cmd, env);
      if (name) (env as CommandEnv & { clusterName?: string }).clusterName = name;
      const existed = fs.existsSync(g.statePath) && fs.statSync(g.statePath).size > 0;
      if (existed) {
        Session.verify(g.statePath);
        if (!opts.force)
          throw new CliError(`a cluster already exists in ${g.statePath}; use --force to replace it or 'kubesim cluster delete' first`);
        Session.remove(g.statePath);
      }
      const source = (opts.filename ?? []).join(', ');
      const shape = {
        ...DEFAULT_SHAPE,
        nodes: 0,
        zones: [],
        seed,
        clock: opts.clock as 'wall' | 'manual',
        // a manual clock starts when the dump was taken, so ages read as they did then
        ...(opts.clock === 'manual' && plan.dumpTime !== undefined ? { start: Math.ceil(plan.dumpTime / 1000) * 1000 } : {}),
      };
      try {
        withSession(
          g,
          (s) => {
            const result = importObjects(s.api, plan);
            const counts = [...result.created].map(([kind, n]) => `${n} ${kind}`).join(', ');
            env.out.line(`Cluster imported from ${source}: ${counts}`);
            const made = plan.objects.filter((o) => o.metadata.annotations?.[PLACEHOLDER_ANNOTATION]);
            if (made.length)
              env.out.line(
                `Placeholders for what the pods need and the dump lacks (empty but for the keys they read): ${made.map((o) => `${o.kind.toLowerCase()}/${o.metadata.name} -n ${o.metadata.namespace}`).join(', ')}`,
              );
            for (const skipped of plan.skipped) env.out.line(`Skipped ${skipped.count} ${skipped.kind}: ${skipped.why}`);
            env.out.line(`State: ${g.stateShown ?? g.statePath} (seed ${seed}, ${shape.clock} clock, now ${toRFC3339(s.now)})`);
          },
          { shape },
        );
      } catch (e) {
        // nothing half-written: a new state file the failed import made goes
        if (!existed && fs.existsSync(g.statePath)) Session.remove(g.statePath);
        throw e;
      }
      if (name) {
        addClusterContext(configPath(env.io.env), name, g.statePath);
        env.out.line(`Switched to context "${name}".`);
      }
    });
}
