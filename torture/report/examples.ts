/** The failure examples printed before the verdict: a few, and how many there were. */
import type { Summary } from './summary.js';

/** Examples printed at the end of a run. */
export const SHOWN_EXAMPLES = 10;

export function failureExamples(examples: Summary['examples'], counted?: Record<string, number>): string[] {
  const lines = examples.slice(0, SHOWN_EXAMPLES).map((e) => `  ${e.cls}: ${e.message.split('\n')[0]}`);
  const kept = examples.length;
  const total = counted ? Object.values(counted).reduce((a, b) => a + b, 0) : kept;
  if (kept > SHOWN_EXAMPLES || total > kept) {
    lines.push(`  (${lines.length} of ${Math.max(total, kept)} failures shown; summary.json keeps ${kept} examples)`);
  }
  return lines;
}
