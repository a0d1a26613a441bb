/**
 * The simulation engine's part of a run configuration, and the defaults a
 * sim run starts from. A simulated schedule is small on purpose: a few
 * threads and a short stall timeout (virtual time), so that many schedules
 * run per second and a hang is called out after a bounded number of steps.
 */
import type { RunConfig } from '../../run/config.js';

export interface SimConfig {
  /** 'sc': every access hits memory in program order; 'tso': per-thread store buffers (x86). */
  memoryModel: 'sc' | 'tso';
  /** Schedules to run (absent: as many as --duration of wall time allows). */
  schedules?: number;
  /** Steps per schedule before the run phase ends (then the end-of-run liveness phase). */
  steps: number;
  /** 'random': seeded random choices; 'pct': probabilistic concurrency testing. */
  strategy: 'random' | 'pct';
  /** PCT bug depth d: d-1 priority change points; schedule i uses depth 1 + (i mod d). */
  pctDepth: number;
  /** Replays a failing schedule may spend on shrinking (0: do not shrink). */
  shrinkRuns: number;
}

export const SIM_DEFAULTS: SimConfig = { memoryModel: 'sc', steps: 20_000, strategy: 'random', pctDepth: 3, shrinkRuns: 40 };

/** Role counts and sizes of a sim run unless the request or the scenario says otherwise. */
const SIM_SIZES = { readers: 2, fakewriters: 1, elements: 32, stallTimeoutMs: 1000 };

/** Without --duration, a run bounded by --schedules has no wall-time limit (a day, in practice). */
export const SIM_UNBOUNDED_MS = 86_400_000;

export interface SimRequest {
  engine?: 'threads' | 'sim';
  sim?: Partial<SimConfig>;
  readers?: number;
  fakewriters?: number;
  elements?: number;
  stallTimeoutMs?: number;
}

type SizeSource = { readers?: number; fakewriters?: number; elements?: number; stallTimeoutMs?: number };

/**
 * What a sim request changes in the resolved configuration (spread last
 * over it); nothing for the threads engine. `needsWeakMemory`: the flavor
 * tortured is one only a weak memory model can expose.
 */
export function simOverrides(req: SimRequest, scenario: SizeSource, needsWeakMemory = false): Partial<RunConfig> {
  if (req.engine !== 'sim') return {};
  // A flavor whose bug only weak memory shows is simulated under TSO unless asked otherwise.
  const memoryModel = req.sim?.memoryModel ?? (needsWeakMemory ? 'tso' : SIM_DEFAULTS.memoryModel);
  const size = <K extends keyof typeof SIM_SIZES>(k: K): number => req[k] ?? scenario[k] ?? SIM_SIZES[k];
  return {
    engine: 'sim',
    sim: { ...SIM_DEFAULTS, ...req.sim, memoryModel },
    readers: size('readers'),
    fakewriters: size('fakewriters'),
    elements: size('elements'),
    stallTimeoutMs: size('stallTimeoutMs'),
  };
}
