/**
 * Requests that are valid but probably not what was meant: said out loud on
 * stderr, never silently applied. A command-line stall timeout that replaces
 * a scenario's calibrated one changes what the scenario can detect (a
 * planted bug may then survive, or a correct variant fail), and a --preempt
 * glob that matches none of the flavor's points injects nothing.
 */
import { globToRegExp, type PointInjection } from '../../lib/platform/points.js';
import type { RunRequest } from './resolve-config.js';

export function requestWarnings(
  req: Pick<RunRequest, 'stallTimeoutMs'>, scenarioStallMs: number | undefined, scenario: string,
  points: PointInjection | undefined, flavorPoints: string[] | undefined,
): string[] {
  const out: string[] = [];
  if (req.stallTimeoutMs !== undefined && scenarioStallMs !== undefined && req.stallTimeoutMs !== scenarioStallMs) {
    out.push(`--stall-timeout ${req.stallTimeoutMs} ms overrides scenario ${scenario}'s calibrated ${scenarioStallMs} ms: ` +
      `what it can detect changes (a planted bug may survive, a correct variant may stall)`);
  }
  if (points && flavorPoints && flavorPoints.length > 0) {
    for (const glob of points.match) {
      const re = globToRegExp(glob);
      if (!flavorPoints.some((p) => re.test(p))) {
        out.push(`--preempt "${glob}" matches none of the flavor's preemption points (${flavorPoints.join(', ')}): nothing is injected there`);
      }
    }
  }
  return out;
}
