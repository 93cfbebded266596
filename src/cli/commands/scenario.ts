import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { CliError } from '../../util/errors';
import { loadScenario, parseSeeds } from '../scenario/spec';
import { runSeeds } from '../scenario/sweep';
import { runScenario } from '../scenario/runner';
import { runProgram } from '../program';
import { writeHtmlReport } from '../report-file';
import { summariseRuns, type ScenarioRunResult } from '../../model/scenario-result';
import { junitXml, runText, sweepText } from '../../printers/scenario-report';
import { isJsonObject } from '../../model/objects';

interface RunOptions {
  seed?: string;
  seeds?: string;
  output: string;
  junit?: string;
  shard?: string;
  workers?: string;
  report?: string;
}

/** `--shard i/n` (1-based, as vitest's and Playwright's): every n-th seed starting at the i-th. */
export function shardOf(seeds: number[], text: string): number[] {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const i = m ? Number(m[1]) : NaN;
  const n = m ? Number(m[2]) : NaN;
  if (!m || n < 1 || i < 1 || i > n)
    throw new CliError(`invalid --shard "${text}": expected INDEX/COUNT with 1 <= INDEX <= COUNT, e.g. 1/4`);
  return seeds.filter((_, k) => k % n === i - 1);
}

function writeJunit(file: string, cwd: string, runs: ScenarioRunResult[]): void {
  try {
    fs.writeFileSync(path.resolve(cwd, file), junitXml(runs));
  } catch (e) {
    throw new CliError(`cannot write --junit file "${file}": ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

function checkOutput(output: string): void {
  if (output !== 'text' && output !== 'json')
    throw new CliError(`unable to match a printer suitable for the output format "${output}", allowed formats are: json,text`);
}

/** Prints one run or a sweep and sets the exit code: 1 when a step or assertion failed. */
function report(env: CommandEnv, runs: ScenarioRunResult[], sweep: boolean, opts: { output: string; junit?: string }): void {
  const summary = summariseRuns(runs);
  if (opts.junit) writeJunit(opts.junit, env.io.cwd, summary.runs);
  if (opts.output === 'json') env.out.out(`${JSON.stringify(sweep ? summary : runs[0], null, 2)}\n`);
  else if (sweep) for (const l of sweepText(summary)) env.out.line(l);
  else for (const l of runText(runs[0])) env.out.line(l);
  env.exitCode = runs.every((r) => r.passed) ? 0 : 1;
}

/** The runs a `scenario run -o json` file holds: a sweep's, or one run. */
function runsIn(file: string, cwd: string): ScenarioRunResult[] {
  let doc: unknown;
  try {
    doc = JSON.parse(fs.readFileSync(path.resolve(cwd, file), 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(
      code === 'ENOENT' ? `the path "${file}" does not exist` : `error parsing ${file}: not the JSON of kubesim scenario run -o json`,
    );
  }
  if (isJsonObject(doc) && Array.isArray(doc.runs)) return doc.runs as unknown as ScenarioRunResult[];
  if (isJsonObject(doc) && typeof doc.seed === 'number' && Array.isArray(doc.steps)) return [doc as unknown as ScenarioRunResult];
  throw new CliError(`error parsing ${file}: not the JSON of kubesim scenario run -o json`);
}

export function register(program: Command, env: CommandEnv): void {
  const scenario = program.command('scenario').description('Run what-if scenarios: steps in virtual time with assertions, over many seeds');
  scenario
    .command('run')
    .description('Run a Scenario file on a fresh cluster and check its assertions (exit 1 when one fails)')
    .argument('<file>', 'a Scenario (scenario.kubesim.io/v1alpha1)')
    .option('--seed <n>', "the cluster's seed (default: the file's spec.seed, or 1)")
    .option('--seeds <list>', 'run every seed of a list such as 1-100 or 1,5,9-12, in parallel, and summarise')
    .option('-o, --output <format>', 'text or json', 'text')
    .option('--junit <file>', 'write a JUnit XML report (a testsuite per seed, a testcase per step and assertion)')
    .option('--shard <i/n>', 'run only the i-th of n slices of the seeds (1-based); combine the -o json outputs with scenario merge')
    .option('--workers <n>', "worker threads for several seeds (default: the machine's available parallelism)")
    .option(
      '--report <file>',
      'also write an HTML report (FILE.html) of a one-seed run: the cluster map after each step, the timeline, the charts',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  kubesim scenario run examples/scenarios/rolling-update-drain.yaml --junit report.xml\n  kubesim scenario run examples/scenarios/hpa-tuning.yaml --seeds 1-50\n  kubesim scenario run hpa.yaml --seeds 1-100 --shard 2/4 -o json > shard-2.json\n  kubesim scenario run examples/scenarios/zone-failure.yaml --report zone-failure.html',
    )
    .action(async (file: string, opts: RunOptions) => {
      checkOutput(opts.output);
      if (opts.seed !== undefined && opts.seeds !== undefined) throw new CliError('--seed and --seeds may not be used together');
      if (opts.seed !== undefined && !/^\d+$/.test(opts.seed))
        throw new CliError(`invalid argument "${opts.seed}" for "--seed" flag: strconv.ParseInt: parsing "${opts.seed}": invalid syntax`);
      const workers = opts.workers === undefined ? os.availableParallelism() : Number(opts.workers);
      if (!Number.isInteger(workers) || workers < 1)
        throw new CliError(`invalid --workers "${opts.workers}": must be a whole number of at least 1`);
      const spec = loadScenario(file, env.io.cwd);
      let seeds =
        opts.seeds !== undefined ? parseSeeds(opts.seeds) : opts.seed !== undefined ? [Number(opts.seed)] : (spec.seeds ?? [spec.seed]);
      if (opts.shard !== undefined) seeds = shardOf(seeds, opts.shard);
      const sweep = seeds.length > 1 || opts.seeds !== undefined || opts.shard !== undefined;
      if (!seeds.length) throw new CliError(`--shard ${opts.shard} holds no seed of ${opts.seeds ?? spec.seed}`);
      if (opts.report !== undefined) {
        if (!/\.html?$/i.test(opts.report)) throw new CliError(`--report: "${opts.report}" does not end in .html`);
        if (sweep) throw new CliError('--report is for one seed (each seed of a sweep runs its own cluster): use --seed N');
        const { report: model, ...run } = await runScenario(spec, seeds[0], runProgram, { report: true });
        report(env, [run], false, opts);
        // after the run's output: a failed write says so, with the run's verdict printed
        if (model) writeHtmlReport(opts.report, model, env.io.cwd);
        return;
      }
      const runs = await runSeeds(spec, path.resolve(env.io.cwd, file), seeds, workers);
      report(env, runs, sweep, opts);
    });
  scenario
    .command('merge')
    .description('Combine the -o json results of scenario run shards into one summary')
    .argument('<files...>', "the shards' JSON files")
    .option('-o, --output <format>', 'text or json', 'text')
    .option('--junit <file>', 'write a JUnit XML report of every seed')
    .addHelpText('after', '\nExamples:\n  kubesim scenario merge shard-*.json --junit report.xml')
    .action((files: string[], opts: { output: string; junit?: string }) => {
      checkOutput(opts.output);
      const runs = files.flatMap((f) => runsIn(f, env.io.cwd));
      const seen = new Set<number>();
      for (const r of runs) {
        if (seen.has(r.seed)) throw new CliError(`seed ${r.seed} appears in more than one file`);
        seen.add(r.seed);
      }
      const names = new Set(runs.map((r) => r.scenario));
      if (names.size > 1) throw new CliError(`the files hold different scenarios: ${[...names].join(', ')}`);
      report(env, runs, true, opts);
    });
}
