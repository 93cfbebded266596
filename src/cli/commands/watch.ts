import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { globals, withSession, type Globals } from '../context';
import { CliError } from '../../util/errors';
import { parseDuration } from '../../util/duration';
import type { Session } from '../../engine/session';
import type { StoredEvent } from '../../model/objects';
import { redraw, renderEventLines, renderWatchFrame } from '../../printers/watch-view';

/** Real time between redraws when paced. */
const TICK_REAL_MS = 500;

export interface WatchPlan {
  /** virtual ms per real ms; 0: as fast as possible */
  speed: number;
  /** virtual ms from the start; undefined: until Ctrl-C */
  untilMs: number | undefined;
}

/** `10x`, `10`, `0.5x`; 0 means no pacing. */
export function parseSpeed(text: string): number {
  const m = /^(\d+(?:\.\d+)?)x?$/.exec(String(text).trim());
  if (!m) throw new CliError(`invalid argument "${text}" for "--speed" flag: expected a multiplier such as 1x, 10x or 0.5x`);
  return Number(m[1]);
}

/** Complete + Validate: everything is checked before the first tick writes anything. */
export function watchPlan(opts: { speed: string; until?: string; pace: boolean }): WatchPlan {
  const speed = opts.pace ? parseSpeed(opts.speed) : 0;
  let untilMs: number | undefined;
  if (opts.until !== undefined) {
    untilMs = parseDuration(opts.until, '--until');
    if (untilMs <= 0) throw new CliError(`invalid argument "${opts.until}" for "--until" flag: must be greater than 0`);
  }
  if (speed === 0 && untilMs === undefined)
    throw new CliError('--no-pace (or --speed 0) needs --until: without pacing the watch would never stop');
  return { speed, untilMs };
}

/**
 * `kubesim watch`: runs the cluster in the foreground. Every tick is its own transaction
 * (Session.run), so other kubesim commands can interleave with it; between ticks the clock
 * is paced against real time (src/clock) at --speed. With --no-pace each tick jumps to the
 * next scheduled wake-up instead. Ctrl-C ends it after the tick under way (already saved).
 */
export function register(program: Command, env: CommandEnv): void {
  program
    .command('watch')
    .description('Run the cluster in the foreground with a live view of nodes, deployments, pods and events')
    .option('--speed <factor>', 'Virtual time per real time, e.g. 10x (0: as fast as possible)', '1x')
    .option('--until <duration>', 'Stop after this much virtual time, e.g. 10m')
    .option('--no-pace', 'Do not wait for real time: jump from one scheduled event to the next (needs --until)')
    .option('-A, --all-namespaces', 'Show deployments, pods and events of every namespace')
    .addHelpText('after', '\nExamples:\n  kubesim watch --speed 10x\n  kubesim watch --until 10m --no-pace')
    .action(async (opts: Parameters<typeof watchPlan>[0] & { allNamespaces?: boolean }, cmd: Command) => {
      const g = globals(cmd, env);
      const plan = watchPlan(opts);
      await runWatch(g, env, plan, !!opts.allNamespaces);
    });
}

async function runWatch(g: Globals, env: CommandEnv, plan: WatchPlan, allNamespaces: boolean): Promise<void> {
  const terminal = env.io.isTTY && !env.io.env.NO_COLOR;
  const stop = new AbortController();
  const onInterrupt = () => stop.abort();
  process.once('SIGINT', onInterrupt);
  const printed = new Set<string>();
  const eventKey = (e: StoredEvent) =>
    `${e.involved.kind}/${e.involved.namespace}/${e.involved.name}/${e.involved.uid}/${e.reason}/${e.message}/${e.count}/${e.lastTimestamp}`;
  const pace = plan.speed === 0 ? 'as fast as possible' : `speed ${plan.speed}x`;
  let startedAt = 0;
  let deadline = Infinity;
  const realTime = env.io.realTime;
  const realStart = realTime.now();
  try {
    for (let tick = 0; ; tick++) {
      const { output, done } = withSession(g, (s) => {
        if (tick === 0) {
          startedAt = s.now;
          if (plan.untilMs !== undefined) deadline = startedAt + plan.untilMs;
          for (const e of visibleEvents(s, g, allNamespaces)) printed.add(eventKey(e));
        } else {
          advance(s, plan, startedAt, realTime.now() - realStart, deadline);
        }
        const frame = () => renderWatchFrame(frameOf(s, g, allNamespaces, startedAt, pace), terminal);
        const finished = s.now >= deadline || stop.signal.aborted;
        if (terminal) return { output: redraw(frame()), done: finished };
        if (tick === 0) return { output: frame(), done: finished };
        const fresh = visibleEvents(s, g, allNamespaces).filter((e) => !printed.has(eventKey(e)));
        for (const e of fresh) printed.add(eventKey(e));
        const lines = renderEventLines(fresh);
        return { output: finished ? `${lines}\n${frame()}` : lines, done: finished };
      });
      env.io.out(output);
      if (done) break;
      // Ctrl-C during the sleep: one more tick records the time that passed and draws the last frame
      if (plan.speed > 0) await realTime.sleep(TICK_REAL_MS, stop.signal);
    }
  } finally {
    process.removeListener('SIGINT', onInterrupt);
  }
}

/** One tick's worth of virtual time: to real elapsed × speed, or to the next wake-up; never past --until. */
function advance(s: Session, plan: WatchPlan, startedAt: number, realElapsed: number, deadline: number): void {
  let target: number;
  if (plan.speed > 0) target = startedAt + realElapsed * plan.speed;
  else target = s.engine.pendingWakeup() ?? deadline;
  target = Math.min(target, deadline);
  if (target > s.now) s.engine.runUntil(Math.round(target));
}

function visibleEvents(s: Session, g: Globals, allNamespaces: boolean): StoredEvent[] {
  return s.events(allNamespaces ? {} : { namespace: g.namespace });
}

function frameOf(s: Session, g: Globals, allNamespaces: boolean, startedAt: number, pace: string) {
  const ns = allNamespaces ? undefined : g.namespace;
  return {
    now: s.now,
    startedAt,
    pace,
    nodes: s.store.list('Node'),
    nodeGroups: s.store.list('NodeGroup'),
    deployments: s.store.list('Deployment', ns),
    pods: s.store.list('Pod', ns),
    events: visibleEvents(s, g, allNamespaces),
    allNamespaces,
    ctx: { now: s.now, store: s.store },
  };
}
