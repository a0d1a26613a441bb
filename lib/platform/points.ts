/**
 * Delay injection at named preemption points, shared by the engines.
 *
 * A scenario names the points it wants stretched (`enqueue:*`, or `*` for
 * all), a probability per hit and a delay range. A delay of 0 ms is a pure
 * yield; otherwise the thread sleeps, which on a 2-core machine reliably
 * lets other threads run through the window the point marks.
 */
export interface PointInjection {
  /** Glob patterns over point names; `*` matches any run of characters. */
  match: string[];
  /** Chance that a hit injects a delay, 0..1. */
  probability: number;
  /** Delay range in milliseconds (fractional allowed); 0 = yield. */
  minMs: number;
  maxMs: number;
}

export function globToRegExp(pattern: string): RegExp {
  const body = pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${body}$`);
}

export class PointInjector {
  private readonly patterns: RegExp[];
  private readonly enabled = new Map<string, boolean>();
  private readonly hits = new Map<string, number>();

  constructor(
    private readonly cfg: PointInjection,
    private readonly random: () => number,
    private readonly delay: (ms: number) => void,
  ) {
    this.patterns = cfg.match.map(globToRegExp);
  }

  /** Called at every point; returns whether a delay was injected. */
  hit(name: string): boolean {
    let on = this.enabled.get(name);
    if (on === undefined) {
      on = this.patterns.some((re) => re.test(name));
      this.enabled.set(name, on);
    }
    this.hits.set(name, (this.hits.get(name) ?? 0) + 1);
    if (!on || this.random() >= this.cfg.probability) return false;
    const ms = this.cfg.minMs + this.random() * (this.cfg.maxMs - this.cfg.minMs);
    this.delay(ms);
    return true;
  }

  counts(): Record<string, number> { return Object.fromEntries(this.hits); }
}
