/**
 * The simulation engine's part of a run configuration, and the defaults a
 * sim run starts from. A simulated schedule is small on purpose: a few
 * threads and a short stall timeout (virtual time), so that many schedules
 * run per second and a hang is called out after a bounded number of steps.
 */
import type { FaultConfig, RunConfig } from '../../run/config.js';

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
 * Virtual ms of stall timeout per flood pool node under sim. A flooder's
 * pool bounds the backlog a correct flavor must work off (a barrier, a
 * launder or the end-of-run liveness phase waits behind all of it), and a
 * callback costs virtual time in proportion to its steps, shared with every
 * runnable thread: ~0.1-0.3 virtual ms each under a flood (measured on
 * urcu-mb, qemu-v0 and ebr), where a real core runs one in about a
 * microsecond. A pool sized for the threads engine (16384 per flooder)
 * therefore takes longer than a stall timeout to work off in virtual time,
 * and correct flavors showed gp-stalls. With every pool together at most
 * stallTimeoutMs / SIM_MS_PER_FLOOD_NODE, a whole backlog is worked off in
 * under a tenth of a stall timeout; a flavor that serves a callback per
 * grace period still falls a stall timeout behind (grace periods take
 * milliseconds), which is what the forward-progress and backlog checks see.
 */
export const SIM_MS_PER_FLOOD_NODE = 4;

/** The flood of `faults` with its pools sized for virtual time (unchanged when small enough). */
export function simFlood(faults: FaultConfig, stallTimeoutMs: number): FaultConfig {
  const flood = faults.flood;
  if (!flood) return faults;
  const nodes = Math.max(16, Math.floor(stallTimeoutMs / SIM_MS_PER_FLOOD_NODE / flood.flooders));
  return nodes >= flood.nodes ? faults : { ...faults, flood: { ...flood, nodes } };
}

/**
 * Virtual time a schedule's run phase lasts at least, besides its steps: the
 * checks that judge lateness against the stall timeout (forward progress,
 * callback backlog) need a run phase longer than one; so a flood gets two.
 */
export function minRunMs(cfg: Pick<RunConfig, 'faults' | 'stallTimeoutMs'>): number {
  return cfg.faults.flood ? 2 * cfg.stallTimeoutMs : 0;
}

/**
 * What a sim request changes in the resolved configuration (spread last
 * over it); nothing for the threads engine. `needsWeakMemory`: the flavor
 * tortured is one only a weak memory model can expose.
 */
export function simOverrides(req: SimRequest, scenario: SizeSource, faults: FaultConfig, needsWeakMemory = false): Partial<RunConfig> {
  if (req.engine !== 'sim') return {};
  // A flavor whose bug only weak memory shows is simulated under TSO unless asked otherwise.
  const memoryModel = req.sim?.memoryModel ?? (needsWeakMemory ? 'tso' : SIM_DEFAULTS.memoryModel);
  const size = <K extends keyof typeof SIM_SIZES>(k: K): number => req[k] ?? scenario[k] ?? SIM_SIZES[k];
  const stallTimeoutMs = size('stallTimeoutMs');
  return {
    engine: 'sim',
    sim: { ...SIM_DEFAULTS, ...req.sim, memoryModel },
    readers: size('readers'),
    fakewriters: size('fakewriters'),
    elements: size('elements'),
    stallTimeoutMs,
    faults: simFlood(faults, stallTimeoutMs),
  };
}
