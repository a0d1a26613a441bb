/**
 * The console side of a run: colour where the terminal takes it, and on an
 * interactive terminal a live progress line redrawn in place under the
 * ordinary output. In CI (the CI variable set) or when the output is not a
 * terminal there is no live line and no escape code at all: only the plain
 * periodic statistics blocks the orchestrator prints anyway, which is what a
 * CI log viewer can show.
 *
 * Colour follows the conventions: NO_COLOR (any non-empty value) turns it
 * off, FORCE_COLOR forces it on (chalk's reading of it, 0..3), otherwise it
 * is on only for a terminal. log.txt never sees any of this: the orchestrator
 * logs the plain line before handing it here.
 */
import { Chalk, supportsColor, type ChalkInstance } from 'chalk';
import type { LineKind, RunClock } from '../run/options.js';
import type { Snapshot } from './statistics.js';
import { errorTotal } from './statistics.js';

type Env = Record<string, string | undefined>;

interface Stream { isTTY?: boolean; columns?: number; write(s: string): unknown }

export function colorLevel(stream: Stream, env: Env = process.env): 0 | 1 | 2 | 3 {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  if (env.FORCE_COLOR !== undefined) {
    if (env.FORCE_COLOR === '' || env.FORCE_COLOR === 'true') return 1;
    if (env.FORCE_COLOR === 'false') return 0;
    const n = Number.parseInt(env.FORCE_COLOR, 10);
    return (Number.isFinite(n) ? Math.max(0, Math.min(3, n)) : 1) as 0 | 1 | 2 | 3;
  }
  if (!stream.isTTY) return 0;
  return supportsColor ? supportsColor.level : 1;
}

/** A live line only on an interactive terminal outside CI. */
export function wantsLiveLine(stream: Stream, env: Env = process.env): boolean {
  const ci = env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0';
  return Boolean(stream.isTTY) && !ci && env.TERM !== 'dumb';
}

const CLEAR_LINE = '\r\x1b[2K';
/** Redraw at most this often: a terminal needs no more, and it keeps the tick cheap. */
const REDRAW_MS = 250;

const si = (n: number): string =>
  n >= 1e9 ? `${(n / 1e9).toFixed(2)}G` : n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : n >= 1e4 ? `${(n / 1e3).toFixed(1)}k` : `${Math.round(n)}`;

export interface ConsoleOptions {
  /** Only verdict lines (and nothing live). */
  quiet?: boolean;
  env?: Env;
}

export class ConsoleReporter {
  private readonly chalk: ChalkInstance;
  private readonly live: boolean;
  private shown = '';
  private prev: Snapshot | null = null;
  private lastDraw = -Infinity;

  constructor(private readonly stream: Stream, private readonly opts: ConsoleOptions = {}) {
    const env = opts.env ?? process.env;
    this.chalk = new Chalk({ level: colorLevel(stream, env) });
    this.live = !opts.quiet && wantsLiveLine(stream, env);
  }

  /** One line of the run's output (orchestrator `out`). */
  line = (text: string, kind: LineKind): void => {
    if (this.opts.quiet && kind !== 'verdict') return;
    this.stream.write(this.erase() + this.paint(text, kind) + '\n' + this.shown);
  };

  /** Every tick of a run (orchestrator `onTick`): redraws the live line. */
  tick = (snap: Snapshot, totalMs: number, clock?: RunClock): void => {
    if (!this.live) return;
    if (snap.atMs - this.lastDraw < REDRAW_MS) return;
    const text = this.status(snap, totalMs, clock);
    this.prev = snap;
    this.lastDraw = snap.atMs;
    const width = Math.max(20, (this.stream.columns || 80) - 1);
    this.shown = this.chalk.dim(text.length > width ? text.slice(0, width) : text);
    this.stream.write(CLEAR_LINE + this.shown);
  };

  /** Removes the live line (end of a run). */
  done(): void {
    if (this.shown) this.stream.write(CLEAR_LINE);
    this.shown = '';
    this.prev = null;
    this.lastDraw = -Infinity;
  }

  private erase(): string { return this.shown ? CLEAR_LINE : ''; }

  /** Elapsed on the torture clock (what --duration counts) when the run gives it, and the phase outside torture. */
  private status(s: Snapshot, totalMs: number, clock?: RunClock): string {
    const c = s.counters;
    const p = this.prev;
    const dt = p ? Math.max(1, s.atMs - p.atMs) / 1000 : Math.max(1, s.atMs) / 1000;
    const readsPerSec = (c.reads - (p?.counters.reads ?? 0)) / dt;
    const errors = errorTotal(s.failures);
    if (clock?.phase === 'start-up') return `  starting workers (${(s.atMs / 1000).toFixed(1)}s)`;
    const at = clock ? clock.tortureMs : s.atMs;
    const end = clock?.phase === 'end' ? ' end phase' : '';
    return `  ${(at / 1000).toFixed(1)}s/${(totalMs / 1000).toFixed(1)}s${end}  reads ${si(readsPerSec)}/s` +
      `  grace periods ${si(c.gracePeriods)}  pending callbacks ${si(c.callbacksPending)}  errors ${errors}`;
  }

  private paint(text: string, kind: LineKind): string {
    const c = this.chalk;
    switch (kind) {
      case 'verdict':
        return / FAILURE\b/.test(text) ? c.red.bold(text) : / (INTERRUPTED|ERROR)\b/.test(text) ? c.yellow.bold(text)
          : / SUCCESS\b/.test(text) ? c.green.bold(text) : c.bold(text);
      case 'stall': return c.red(text);
      case 'header': return c.bold(text);
      case 'detail': return c.yellow(text);
      default: return text;
    }
  }
}
