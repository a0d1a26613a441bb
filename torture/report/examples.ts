/** The failure examples printed before the verdict: a few, and how many there were. */
import type { Summary } from './summary.js';
import { plural } from './plural.js';

/** One example in full, with its thread when it has one (-1: the harness's own finding, of no one thread). */
export function exampleLine(e: Summary['examples'][number]): string {
  return `${e.cls}${e.thread >= 0 ? ` (thread ${e.thread})` : ''}: ${e.message}`;
}

/** Examples printed at the end of a run. */
export const SHOWN_EXAMPLES = 10;

/** A stall report's first line already names its class (`!!! gp-stall: ...`): say it once. */
function withoutOwnPrefix(line: string, cls: string): string {
  const own = `!!! ${cls}: `;
  return line.startsWith(own) ? line.slice(own.length) : line;
}

/**
 * `reportedElsewhere`: failures counted in `counted` whose reports are not
 * examples (stall reports, printed as they came and kept in summary.stalls):
 * they are not "failures not shown".
 */
export function failureExamples(examples: Summary['examples'], counted?: Record<string, number>, reportedElsewhere = 0): string[] {
  const lines = examples.slice(0, SHOWN_EXAMPLES).map((e) => `  ${e.cls}: ${withoutOwnPrefix(e.message.split('\n')[0], e.cls)}`);
  const kept = examples.length;
  const total = counted ? Object.values(counted).reduce((a, b) => a + b, 0) - reportedElsewhere : kept;
  if (kept > SHOWN_EXAMPLES || total > kept) {
    lines.push(`  (${lines.length} of ${Math.max(total, kept)} failures shown; summary.json keeps ${plural(kept, 'example')})`);
  }
  return lines;
}
