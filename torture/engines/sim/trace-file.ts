/**
 * trace.txt and schedule.txt carry the same schedule id, a hash of the
 * schedule's own content, so `replay` can tell a trace of another run (a user
 * mix-up: exit 2) from a replay that really differs (nondeterminism in the
 * harness: a bug of ours, exit 3).
 */
import { createHash } from 'node:crypto';

const ID_LINE = /^# schedule-id: ([0-9a-f]+)\n/;
const SCHEDULE_ID_FIELD = /^id: ([0-9a-f]+)$/m;

/** The id of a schedule file's text (its own id line left out, so the id can be written into it). */
export function scheduleId(scheduleText: string): string {
  const body = scheduleText.split('\n').filter((l) => !SCHEDULE_ID_FIELD.test(l)).join('\n');
  return createHash('sha256').update(body).digest('hex').slice(0, 16);
}

/** schedule.txt with its id line appended to the header fields (parseSchedule ignores fields it does not know). */
export function withScheduleId(scheduleText: string): { text: string; id: string } {
  const id = scheduleId(scheduleText);
  return { text: scheduleText.replace(/^(decisions: .*)$/m, `id: ${id}\n$1`), id };
}

/** The id written into a schedule file, if it has one. */
export function idOfSchedule(scheduleText: string): string | undefined {
  return SCHEDULE_ID_FIELD.exec(scheduleText)?.[1];
}

export function formatTrace(id: string, lines: readonly string[]): string {
  return `# schedule-id: ${id}\n${lines.join('\n')}\n`;
}

/** A trace file's schedule id (absent in traces of older versions) and the trace itself. */
export function parseTrace(text: string): { id?: string; body: string } {
  const m = ID_LINE.exec(text);
  return m ? { id: m[1], body: text.slice(m[0].length) } : { body: text };
}
