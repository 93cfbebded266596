import chalk from 'chalk';
import type { KObject, StoredEvent } from '../model/objects';
import type { PodLike } from '../model/kinds';
import type { PrintContext } from '../api/registry';
import { kindInfo } from '../api/registry';
import { goDuration, toRFC3339 } from '../util/duration';
import { tableRows } from './output';
import { renderTable } from './table';

/**
 * The live view of `kubesim watch`: a header line, then NODES, NODE GROUPS, DEPLOYMENTS,
 * PODS and RECENT EVENTS tables (kubectl's columns). On a terminal it is redrawn in place,
 * coloured; otherwise (or with NO_COLOR) the frame is printed at the start and the end, and
 * every tick appends the events that happened in it, one line each.
 */
export interface WatchFrame {
  now: number;
  startedAt: number;
  /** "10x", "as fast as possible" */
  pace: string;
  nodes: KObject[];
  nodeGroups: KObject[];
  deployments: KObject[];
  pods: PodLike[];
  events: StoredEvent[];
  allNamespaces: boolean;
  ctx: PrintContext;
}

/** How many of the newest events the frame shows. */
export const RECENT_EVENTS = 8;

/** ANSI: cursor home, clear screen. */
const CLEAR = '\x1b[H\x1b[2J';

type Paint = (text: string) => string;

interface Palette {
  good: Paint;
  warn: Paint;
  bad: Paint;
  title: Paint;
  dim: Paint;
}

function palette(colour: boolean): Palette {
  const c = new chalk.Instance({ level: colour ? 1 : 0 });
  return { good: c.green, warn: c.yellow, bad: c.red, title: c.bold, dim: c.gray };
}

const GOOD = new Set(['Running', 'Ready', 'Completed', 'Normal']);
const WARN = new Set(['Pending', 'ContainerCreating', 'Terminating', 'PodInitializing', 'Ready,SchedulingDisabled', 'Warning']);

function statusPaint(p: Palette, value: string): Paint {
  if (GOOD.has(value)) return p.good;
  if (WARN.has(value) || value.startsWith('Init:')) return p.warn;
  return p.bad;
}

/**
 * Colours one column of an already aligned table: the cell starts where its header does
 * (the tabwriter aligns every row to it), and colour codes added afterwards cannot upset
 * the alignment.
 */
function colourColumn(table: string, header: string, p: Palette): string {
  const lines = table.split('\n');
  const start = lines[0].indexOf(header);
  if (start < 0) return table;
  return lines
    .map((line, i) => {
      if (i === 0 || !line) return line;
      const rest = line.slice(start);
      const cell = rest.split(/\s{2,}|\s$/)[0].trim();
      if (!cell) return line;
      return line.slice(0, start) + statusPaint(p, cell)(cell) + rest.slice(cell.length);
    })
    .join('\n');
}

function section<T extends KObject>(
  title: string,
  objects: T[],
  ctx: PrintContext,
  p: Palette,
  opts: { allNamespaces: boolean; statusHeader?: string; extra?: (o: T) => string; extraHeader?: string },
): string {
  if (!objects.length) return `${p.title(title)}\n  ${p.dim('<none>')}\n`;
  const rows = tableRows(objects, ctx, { withNamespace: opts.allNamespaces });
  if (opts.extra) rows.forEach((r, i) => r.push(i === 0 ? (opts.extraHeader ?? '') : opts.extra!(objects[i - 1])));
  let table = renderTable(rows);
  if (opts.statusHeader) table = colourColumn(table, opts.statusHeader, p);
  return `${p.title(title)}\n${table}`;
}

export function eventObject(e: StoredEvent): string {
  const info = kindInfo(e.involved.kind);
  return `${info ? info.singular : e.involved.kind.toLowerCase()}/${e.involved.name}`;
}

/** Events as the plain log prints them: time, type, reason, object, message (aligned per batch). */
export function renderEventLines(events: StoredEvent[], colour = false): string {
  if (!events.length) return '';
  const p = palette(colour);
  const table = renderTable(events.map((e) => [toRFC3339(e.lastTimestamp), e.type, e.reason, eventObject(e), e.message]));
  return colour ? table.replace(/ (Warning) /g, (_, w: string) => ` ${p.warn(w)} `) : table;
}

export function renderWatchFrame(f: WatchFrame, colour: boolean): string {
  const p = palette(colour);
  const elapsed = goDuration(Math.max(0, f.now - f.startedAt));
  let out = `${p.title('kubesim watch')}  ${toRFC3339(f.now)}  (+${elapsed}, ${f.pace})\n\n`;
  out += section('NODES', f.nodes, f.ctx, p, { allNamespaces: false, statusHeader: 'STATUS' });
  if (f.nodeGroups.length) out += `\n${section('NODE GROUPS', f.nodeGroups, f.ctx, p, { allNamespaces: false })}`;
  out += `\n${section('DEPLOYMENTS', f.deployments, f.ctx, p, { allNamespaces: f.allNamespaces })}`;
  out += `\n${section('PODS', f.pods, f.ctx, p, { allNamespaces: f.allNamespaces, statusHeader: 'STATUS', extraHeader: 'NODE', extra: (o) => o.spec?.nodeName || '<none>' })}`;
  const recent = f.events.slice(-RECENT_EVENTS);
  out += `\n${p.title('RECENT EVENTS')}\n`;
  out += recent.length ? renderEventLines(recent, colour) : `  ${p.dim('<none>')}\n`;
  return out;
}

/** A frame drawn over the previous one (terminal mode). */
export function redraw(frame: string): string {
  return CLEAR + frame;
}
