/**
 * Strict parsers for command-line values. Each throws a UsageError whose
 * message names the bad value and what is allowed, in one line.
 */
export class UsageError extends Error {}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Longest duration accepted anywhere: a month of torture is already a lot. */
export const MAX_DURATION_MS = 30 * UNIT_MS.d;

/** "10m", "1h30m", "250ms", "1.5s": one or more number+unit terms; positive, at most 30d. */
export function parseDuration(text: string, what = 'duration'): number {
  const t = text.trim();
  const term = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/y;
  let total = 0;
  let pos = 0;
  while (t.length > 0 && pos < t.length) {
    term.lastIndex = pos;
    const m = term.exec(t);
    if (!m) break;
    total += Number(m[1]) * UNIT_MS[m[2]];
    pos = term.lastIndex;
  }
  if (t.length === 0 || pos !== t.length) {
    throw new UsageError(`bad ${what} "${text}": use a number with a unit (ms, s, m, h, d), or several such as 1h30m`);
  }
  if (!(total > 0)) throw new UsageError(`bad ${what} "${text}": must be greater than zero`);
  if (total > MAX_DURATION_MS) throw new UsageError(`bad ${what} "${text}": must be at most 30d`);
  // Durations are whole milliseconds: 0.1ms would silently become no time at all.
  if (Math.round(total) < 1) throw new UsageError(`bad ${what} "${text}": must be at least 1ms`);
  return Math.round(total);
}

/** The bounds scenario files put on stallTimeoutMs: one limit everywhere. */
export const STALL_TIMEOUT_MS = { min: 100, max: 3_600_000 } as const;

/** --stall-timeout: a duration within the bounds scenario files have. */
export function parseStallTimeout(text: string, what = '--stall-timeout'): number {
  const ms = parseDuration(text, what);
  if (ms < STALL_TIMEOUT_MS.min || ms > STALL_TIMEOUT_MS.max) {
    throw new UsageError(`bad ${what} "${text}": must be from 100ms to 1h (as stallTimeoutMs in scenario files)`);
  }
  return ms;
}

/** "a,b,c": a non-empty list of distinct non-empty names. */
export function parseNameList(text: string, what: string): string[] {
  const names = text.split(',').map((n) => n.trim());
  if (text.trim() === '' || names.some((n) => n === '')) {
    throw new UsageError(`bad ${what} "${text}": use one or more comma-separated names, such as a,b`);
  }
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) throw new UsageError(`bad ${what} "${text}": "${dup}" is listed twice`);
  return names;
}

/** Most copies `N*name` can ask for. */
export const MAX_COPIES = 1000;

/**
 * A name list whose entries may carry kvm.sh's repeat count, `N*name`
 * (`2*default,soak`): each name with its count, 1 when none is given.
 */
export function parseCopiesList(text: string, what: string): { name: string; copies: number }[] {
  const entries = parseNameList(text, what).map((entry) => {
    if (!entry.includes('*')) return { name: entry, copies: 1 };
    const m = /^(\d+)\*([^*\s]+)$/.exec(entry);
    const copies = m ? Number(m[1]) : NaN;
    if (!m || !(copies >= 1 && copies <= MAX_COPIES)) {
      throw new UsageError(`bad ${what} entry "${entry}": use name or N*name with N a whole number from 1 to ${MAX_COPIES}, such as 2*default`);
    }
    return { name: m[2], copies };
  });
  const dup = entries.find((e, i) => entries.findIndex((x) => x.name === e.name) !== i);
  if (dup !== undefined) throw new UsageError(`bad ${what} "${text}": "${dup.name}" is listed twice (give it once, as N*${dup.name})`);
  return entries;
}

/** Most shards a soak can be split into. */
export const MAX_SHARDS = 1000;

/** "i/n" with 1 <= i <= n: this machine's share of a sharded soak. */
export function parseShard(text: string): { index: number; count: number } {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!(index >= 1 && count >= 1 && index <= count && count <= MAX_SHARDS)) {
    throw new UsageError(`bad --shard "${text}": use i/n with 1 <= i <= n <= ${MAX_SHARDS}, such as 1/4`);
  }
  return { index, count };
}

export function parseCount(text: string, what: string, min: number, max: number): number {
  const n = /^\s*-?\d+\s*$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`bad ${what} "${text}": must be a whole number from ${min} to ${max}`);
  }
  return n;
}

export function parseSeed(text: string): number {
  return parseCount(text, 'seed', 0, 0xffffffff);
}

/** Levenshtein distance, for "did you mean" suggestions. */
function distance(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0];
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = d[j];
      d[j] = Math.min(d[j] + 1, d[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return d[b.length];
}

export function nearest(name: string, choices: string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of choices) {
    const dd = distance(name, c);
    if (dd < bestD) { best = c; bestD = dd; }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

export function unknownName(kind: string, name: string, choices: string[]): UsageError {
  const near = nearest(name, choices);
  return new UsageError(`unknown ${kind} "${name}"${near ? ` (did you mean "${near}"?)` : ''}; see \`rcutorture list\``);
}
