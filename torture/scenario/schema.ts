/**
 * The scenario file format, as a zod schema: every key a scenario may hold,
 * what values it allows, and the defaults a missing key takes. The same
 * group schemas check the fault flags of the command line (cli/fault-options.ts),
 * so a file and a flag accept exactly the same keys and values.
 *
 * Errors are one line naming the file, the key path and what is allowed;
 * malformed JSON names the line and column.
 */
import { z } from 'zod';
import {
  DEFAULT_FAULTS, type BusyLoopFaults, type CallbackFaults, type ChurnFaults, type FaultConfig, type FloodFaults,
  type OptionalFaults, type SleepFaults, type StutterFaults, type UpdaterSleepFaults,
} from '../run/config.js';
import type { PointInjection } from '../../lib/platform/points.js';
import { STALL_TIMEOUT_MS, UsageError } from '../run/parse.js';
import { strictJsonProblem } from '../io/json-strict.js';

// ---- value kinds, each with the text that says what it allows -----------------

const int = (min: number, max: number) =>
  z.number().int().min(min).max(max).describe(`a whole number from ${min} to ${max}`);
const ms = (max = 3_600_000) => z.number().min(0).max(max).describe(`milliseconds from 0 to ${max}`);
const fraction = () => z.number().min(0).max(1).describe('a number from 0 to 1');
/** "1 in N": 0 turns the fault off. */
const oneIn = () => int(0, 1_000_000_000).describe('1 in N as a whole number N (0 = never)');
const weight = () => z.number().min(0).max(1000).describe('a weight from 0 to 1000');
const bool = () => z.boolean().describe('true or false');

// ---- fault groups ---------------------------------------------------------------

export const readerSchema = z.strictObject({
  shortDelayOneIn: oneIn(),
  shortDelayUs: z.number().min(0).max(1_000_000).describe('microseconds from 0 to 1000000'),
  longDelayOneIn: oneIn(),
  longDelayMs: ms(),
  nestOneIn: oneIn(),
  maxNesting: int(1, 16),
  yieldOneIn: oneIn(),
});

export const writerSchema = z.strictObject({
  delayMinMs: ms(), delayMaxMs: ms(), syncFraction: fraction(),
});

export const fakewriterSchema = z.strictObject({
  delayMinMs: ms(),
  delayMaxMs: ms(),
  weights: z.strictObject({ synchronize: weight(), callRcu: weight(), drain: weight(), barrier: weight(), force: weight() }).partial(),
  callBurst: int(1, 10_000),
});

export const pointsSchema = z.strictObject({
  match: z.array(z.string().min(1).describe('a point name glob such as enqueue:*'))
    .min(1).describe('a list of point name globs such as ["enqueue:*", "read_lock:after-load"]'),
  probability: fraction(), minMs: ms(60_000), maxMs: ms(60_000),
});

export const sleepsSchema = z.strictObject({
  readers: fraction(), probability: fraction(), minMs: ms(), maxMs: ms(), outsideProbability: fraction(),
});

export const busyLoopSchema = z.strictObject({
  readers: fraction(),
  maxSpinMs: z.union([z.number().min(1).max(86_400_000), z.literal('forever')])
    .describe('milliseconds from 1 to 86400000, or "forever"'),
});

export const callbacksSchema = z.strictObject({
  probability: fraction(), minMs: ms(60_000), maxMs: ms(60_000), spin: bool(),
});

export const floodSchema = z.strictObject({
  flooders: int(1, 16),
  burst: int(1, 100_000),
  pauseMs: ms(60_000),
  nodes: int(16, 1_000_000),
  maxPending: int(1, 100_000_000),
  memoryCapMb: int(64, 1_000_000),
});

export const churnSchema = z.strictObject({
  churners: int(1, 32), minSections: int(0, 1_000_000), maxSections: int(0, 1_000_000), pauseMs: ms(60_000), fresh: bool(),
  callbacks: int(0, 64), drainEvery: int(0, 1_000_000),
});

export const stutterSchema = z.strictObject({ pauseMs: ms(600_000), runMs: z.number().min(1).max(3_600_000).describe('milliseconds from 1 to 3600000') });

export const updaterSleepsSchema = z.strictObject({ probability: fraction(), minMs: ms(), maxMs: ms() });

/** Defaults of the optional groups: what a group takes when it is named with some keys missing. */
export const GROUP_DEFAULTS: { [K in keyof Required<OptionalFaults>]: Required<OptionalFaults>[K] } = {
  points: { match: ['*'], probability: 0.01, minMs: 0, maxMs: 1 } satisfies PointInjection,
  sleeps: { readers: 0.5, probability: 0.01, minMs: 1, maxMs: 10, outsideProbability: 0 } satisfies SleepFaults,
  busyLoop: { readers: 0.25, maxSpinMs: 200 } satisfies BusyLoopFaults,
  callbacks: { probability: 0.05, minMs: 0.1, maxMs: 2, spin: false } satisfies CallbackFaults,
  flood: { flooders: 1, burst: 256, pauseMs: 1, nodes: 4096, maxPending: 1_000_000, memoryCapMb: 2048 } satisfies FloodFaults,
  churn: { churners: 1, minSections: 1, maxSections: 50, pauseMs: 0, fresh: false, callbacks: 4, drainEvery: 0 } satisfies ChurnFaults,
  stutter: { pauseMs: 500, runMs: 2000 } satisfies StutterFaults,
  updaterSleeps: { probability: 0.05, minMs: 1, maxMs: 20 } satisfies UpdaterSleepFaults,
};

/** Every fault group by its scenario key. */
export const FAULT_GROUPS = {
  reader: readerSchema,
  writer: writerSchema,
  fakewriter: fakewriterSchema,
  points: pointsSchema,
  sleeps: sleepsSchema,
  busyLoop: busyLoopSchema,
  callbacks: callbacksSchema,
  flood: floodSchema,
  churn: churnSchema,
  stutter: stutterSchema,
  updaterSleeps: updaterSleepsSchema,
} as const;
export type FaultGroup = keyof typeof FAULT_GROUPS;
export const OPTIONAL_GROUPS = Object.keys(GROUP_DEFAULTS) as (keyof OptionalFaults)[];

/**
 * What a scenario (or the flags) say about the faults: per group, some keys,
 * or `false` for "this fault off" (optional groups only).
 */
export type FaultOverrides = {
  reader?: Partial<FaultConfig['reader']>;
  writer?: Partial<FaultConfig['writer']>;
  fakewriter?: Partial<Omit<FaultConfig['fakewriter'], 'weights'>> & { weights?: Partial<FaultConfig['fakewriter']['weights']> };
} & { [K in keyof OptionalFaults]?: Partial<NonNullable<OptionalFaults[K]>> | false };

const faultsSchema = z.strictObject({
  reader: readerSchema.partial(),
  writer: writerSchema.partial(),
  fakewriter: fakewriterSchema.partial(),
  ...Object.fromEntries(OPTIONAL_GROUPS.map((g) => [g, z.union([FAULT_GROUPS[g].partial(), z.literal(false)])
    .describe(`an object with keys ${Object.keys(FAULT_GROUPS[g].shape).join(', ')}, or false to turn it off`)])),
}).partial();

export const scenarioSchema = z.strictObject({
  description: z.string().min(1).regex(/^[^\n\r\u2028\u2029]*$/).describe('a one-line description'),
  readers: int(1, 64).optional(),
  fakewriters: int(0, 32).optional(),
  stallTimeoutMs: z.number().int().min(STALL_TIMEOUT_MS.min).max(STALL_TIMEOUT_MS.max).describe(`milliseconds from ${STALL_TIMEOUT_MS.min} to ${STALL_TIMEOUT_MS.max}`).optional(),
  counterMode: z.enum(['wide', 'narrow']).describe('"wide" or "narrow"').optional(),
  counterBits: int(3, 32).optional(),
  elements: int(16, 100_000).optional(),
  faults: faultsSchema.optional(),
});

export interface Scenario {
  name: string;
  description: string;
  /** Where it was loaded from. */
  file?: string;
  readers?: number;
  fakewriters?: number;
  stallTimeoutMs?: number;
  counterMode?: 'wide' | 'narrow';
  counterBits?: number;
  elements?: number;
  faults: FaultConfig;
}

// ---- applying overrides ------------------------------------------------------------

/** `base` with `over` laid on top: keys given win, a group given as false is turned off. */
export function applyFaultOverrides(base: FaultConfig, over: FaultOverrides | undefined): FaultConfig {
  if (!over) return base;
  const out: FaultConfig = {
    ...base,
    reader: { ...base.reader, ...over.reader },
    writer: { ...base.writer, ...over.writer },
    fakewriter: { ...base.fakewriter, ...over.fakewriter, weights: { ...base.fakewriter.weights, ...over.fakewriter?.weights } },
  };
  const target = out as unknown as Record<string, unknown>;
  for (const g of OPTIONAL_GROUPS) {
    const o = over[g];
    if (o === undefined) continue;
    if (o === false) delete target[g];
    else target[g] = { ...GROUP_DEFAULTS[g], ...base[g], ...o };
  }
  checkRanges(out);
  return out;
}

/** Ranges given as separate min and max keys must not be upside down. */
function checkRanges(f: FaultConfig): void {
  const pairs: [string, number | undefined, number | undefined][] = [
    ['writer.delayMinMs/delayMaxMs', f.writer.delayMinMs, f.writer.delayMaxMs],
    ['fakewriter.delayMinMs/delayMaxMs', f.fakewriter.delayMinMs, f.fakewriter.delayMaxMs],
    ['points.minMs/maxMs', f.points?.minMs, f.points?.maxMs],
    ['sleeps.minMs/maxMs', f.sleeps?.minMs, f.sleeps?.maxMs],
    ['callbacks.minMs/maxMs', f.callbacks?.minMs, f.callbacks?.maxMs],
    ['churn.minSections/maxSections', f.churn?.minSections, f.churn?.maxSections],
    ['updaterSleeps.minMs/maxMs', f.updaterSleeps?.minMs, f.updaterSleeps?.maxMs],
  ];
  for (const [what, lo, hi] of pairs) {
    if (lo !== undefined && hi !== undefined && lo > hi) throw new RangeError(`${what}: the minimum ${lo} is above the maximum ${hi}`);
  }
}

// ---- parsing a scenario file ------------------------------------------------------------

/** Parses and validates the text of a scenario file; throws a UsageError naming `file`. */
export function parseScenario(text: string, name: string, file: string): Scenario {
  // A UTF-8 byte-order mark (Windows editors write one) is not part of the JSON.
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
    const strict = strictJsonProblem(text, raw);
    if (strict) throw new UsageError(`scenario ${file}: ${strict}`);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const { line, column, what } = locateJsonError(text);
    throw new UsageError(`scenario ${file}: malformed JSON at line ${line}, column ${column}: ${what}`);
  }
  const r = scenarioSchema.safeParse(raw);
  if (!r.success) throw new UsageError(`scenario ${file}: ${describeIssue(r.error.issues[0], scenarioSchema, raw)}`);
  const sc = r.data;
  let faults: FaultConfig;
  try {
    faults = applyFaultOverrides(DEFAULT_FAULTS, sc.faults as FaultOverrides | undefined);
  } catch (e) {
    throw new UsageError(`scenario ${file}: ${(e as Error).message}`);
  }
  return {
    name, description: sc.description, file,
    readers: sc.readers, fakewriters: sc.fakewriters, stallTimeoutMs: sc.stallTimeoutMs,
    counterMode: sc.counterMode, counterBits: sc.counterBits, elements: sc.elements, faults,
  };
}

// ---- error text ----------------------------------------------------------------------------

type Issue = z.core.$ZodIssue;

/** The schema found at `path` below `root` (through optional, partial and union wrappers). */
function schemaAt(root: z.ZodType, path: PropertyKey[]): z.ZodType | undefined {
  let s: z.ZodType | undefined = root;
  for (const key of path) {
    s = s && unwrap(s);
    if (!s) return undefined;
    if (s instanceof z.ZodObject) s = (s.shape as Record<string, z.ZodType>)[String(key)];
    else if (s instanceof z.ZodArray) s = s.element as z.ZodType;
    else return undefined;
  }
  return s;
}

/** Strips optional wrappers; of a union, the object member (a fault group or false). */
function unwrap(s: z.ZodType): z.ZodType {
  for (;;) {
    if (s instanceof z.ZodOptional) s = s.unwrap() as z.ZodType;
    else if (s instanceof z.ZodUnion) {
      const obj = (s.options as z.ZodType[]).find((o) => o instanceof z.ZodObject);
      if (!obj) return s;
      s = obj;
    } else return s;
  }
}

/** What a key allows, from its schema's description (or the object's keys). */
function allowedAt(root: z.ZodType, path: PropertyKey[]): string {
  const s = schemaAt(root, path);
  if (!s) return 'nothing here';
  if (s.description) return s.description;
  const inner = unwrap(s);
  if (inner instanceof z.ZodObject) return `an object with keys ${Object.keys(inner.shape).join(', ')}`;
  return inner.description ?? 'a different value';
}

/** One line for the first problem zod found: the key path, what is wrong, what is allowed. */
export function describeIssue(issue: Issue, root: z.ZodType, input: unknown): string {
  const at = (path: PropertyKey[]) => path.map(String).join('.');
  if (issue.code === 'invalid_union') {
    // A group or `false`: the branch that got past the top (a deeper path) says what is really wrong.
    const branch = issue.errors.find((errs) => errs.length > 0 && errs[0].path.length > 0);
    if (branch) return describeIssue({ ...branch[0], path: [...issue.path, ...branch[0].path] } as Issue, root, input);
  }
  if (issue.code === 'unrecognized_keys') {
    const obj = unwrap(schemaAt(root, issue.path) ?? root);
    const keys = obj instanceof z.ZodObject ? Object.keys(obj.shape) : [];
    const key = at([...issue.path, issue.keys[0]]);
    return `unknown key "${key}" (allowed here: ${keys.join(', ')})`;
  }
  const key = at(issue.path);
  if (issue.path.length === 0) return `must be a JSON object (${allowedAt(root, [])})`;
  let value: unknown = input;
  for (const k of issue.path) value = value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[k] : undefined;
  if (value === undefined) return `"${key}" is required: ${allowedAt(root, issue.path)}`;
  const given = ` ${JSON.stringify(value)}`;
  return `bad value${given} for "${key}": must be ${allowedAt(root, issue.path)}`;
}

/**
 * Line and column of the first syntax error in `text`. Node's JSON.parse
 * does not always say where; this small scanner follows the JSON grammar
 * just far enough to find the first place it breaks.
 */
export function locateJsonError(text: string): { line: number; column: number; what: string } {
  let i = 0;
  const fail = (what: string): never => { throw Object.assign(new Error(what), { at: i }); };
  const ws = () => { while (i < text.length && ' \t\r\n'.includes(text[i])) i++; };
  const lit = (word: string) => { if (text.startsWith(word, i)) i += word.length; else fail('unexpected character'); };
  const str = () => {
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') i++;
      else if (text.charCodeAt(i) < 0x20) fail('control character in a string');
      i++;
    }
    if (i >= text.length) fail('unterminated string');
    i++;
  };
  const num = () => {
    const m = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
    m.lastIndex = i;
    if (!m.exec(text)) fail('bad number');
    i = m.lastIndex;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === undefined) fail('unexpected end of input');
    if (c === '{') {
      i++; ws();
      if (text[i] === '}') { i++; return; }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a key in double quotes');
        str(); ws();
        if (text[i] !== ':') fail('expected ":" after a key');
        i++; value(); ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === '}') { i++; return; }
        fail('expected "," or "}"');
      }
    }
    if (c === '[') {
      i++; ws();
      if (text[i] === ']') { i++; return; }
      for (;;) {
        value(); ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === ']') { i++; return; }
        fail('expected "," or "]"');
      }
    }
    if (c === '"') return str();
    if (c === 't') return lit('true');
    if (c === 'f') return lit('false');
    if (c === 'n') return lit('null');
    if (c === '-' || (c >= '0' && c <= '9')) return num();
    fail('unexpected character');
  };
  let what = 'not valid JSON';
  try {
    value(); ws();
    if (i < text.length) fail('unexpected text after the end');
  } catch (e) {
    what = (e as Error).message;
  }
  const before = text.slice(0, Math.min(i, text.length));
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1].length + 1, what };
}
