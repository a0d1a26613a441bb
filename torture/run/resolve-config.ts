/**
 * From a request (what the user or a command asked for) to the effective
 * run configuration: the scenario gives the base, explicit fields override
 * it. Every command that starts runs (run, mutants, compare, soak) goes
 * through here, so they agree on defaults and validation.
 */
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { DEFAULT_FLAVOR, FLAVORS } from '../../lib/rcu/registry.js';
import type { RunConfig } from './config.js';
import { validateImpl } from './flavors.js';
import { freshSeed } from './random.js';
import { loadScenario } from '../scenario/load.js';
import { UsageError, unknownName } from './parse.js';
import { applyFaultOverrides, type FaultOverrides } from '../scenario/schema.js';
import { drawSwarm } from '../faults/swarm.js';
import { simOverrides, type SimRequest } from '../engines/sim/sim-config.js';
import { requestWarnings } from './warnings.js';

export interface RunRequest extends SimRequest {
  /** Absent: the --impl module's first flavor, else the default variant. */
  variant?: string;
  impl?: string;
  scenario?: string;
  durationMs: number;
  seed?: number;
  readers?: number;
  /** CPUs the run is sized for when the scenario does not fix its readers (2 per CPU); default: the machine's. */
  cpus?: number;
  fakewriters?: number;
  stallTimeoutMs?: number;
  statIntervalMs?: number;
  counterMode?: 'wide' | 'narrow';
  counterBits?: number;
  elements?: number;
  /** Fault flags: laid over the scenario's faults (after --swarm), key by key. */
  faults?: FaultOverrides;
  /** Draw a random subset of fault kinds from the seed (swarm testing). */
  swarm?: boolean;
  /** Told about requests that are valid but probably not what was meant (default: ignored). */
  warn?: (line: string) => void;
}

const TEN_MINUTES = 600_000;

export async function resolveRunConfig(req: RunRequest): Promise<RunConfig> {
  const impl = req.impl ? resolve(req.impl) : undefined;
  // An --impl module is checked whole here, in the main thread, before any worker loads it.
  const implFlavors = req.impl ? await validateImpl(req.impl) : [];
  // --impl without --variant: whoever passes a module means to torture it.
  const variant = req.variant ?? implFlavors[0]?.name ?? DEFAULT_FLAVOR;
  const pool = [...implFlavors, ...FLAVORS];
  if (!pool.some((f) => f.name === variant)) throw unknownName('variant', variant, pool.map((f) => f.name));
  const sc = loadScenario(req.scenario ?? 'default');
  const pick = <T>(v: T | undefined, d: T): T => (v !== undefined ? v : d);
  const seed = pick(req.seed, freshSeed());
  const declaredPoints = pool.find((f) => f.name === variant)?.points;
  const swarm = req.swarm ? drawSwarm(seed, declaredPoints) : undefined;
  // Under sim every preemption point is already a scheduling decision: a delay asked for by flag
  // is refused, one from a scenario or a swarm draw is left out (the header's sim line says so).
  if (req.engine === 'sim' && req.faults?.points) {
    throw new UsageError('--preempt is honoured by --engine threads only: under --engine sim every preemption point is already a scheduling decision');
  }
  let faults;
  try {
    faults = applyFaultOverrides(applyFaultOverrides(sc.faults, swarm?.overrides), req.faults);
  } catch (e) {
    throw new UsageError(`bad fault flags: ${(e as Error).message}`);
  }
  const flavor = pool.find((f) => f.name === variant);
  for (const w of requestWarnings(req, sc.stallTimeoutMs, sc.name, faults.points, flavor?.points)) req.warn?.(w);
  return {
    variant,
    impl,
    scenario: sc.name,
    engine: 'threads',
    seed,
    durationMs: req.durationMs,
    readers: pick(req.readers, sc.readers ?? Math.max(2, 2 * (req.cpus ?? availableParallelism()))),
    fakewriters: pick(req.fakewriters, sc.fakewriters ?? 2),
    stallTimeoutMs: pick(req.stallTimeoutMs, sc.stallTimeoutMs ?? 10_000),
    statIntervalMs: pick(req.statIntervalMs, req.durationMs < TEN_MINUTES ? 5000 : 60_000),
    counterMode: pick(req.counterMode, sc.counterMode ?? 'wide'),
    counterBits: pick(req.counterBits, sc.counterBits ?? 32),
    elements: pick(req.elements, sc.elements ?? 256),
    cbNodesPerFakewriter: 64,
    faults,
    ...(swarm ? { swarm: swarm.kinds } : {}),
    ...simOverrides(req, sc, faults, pool.find((f) => f.name === variant)?.needsWeakMemory === true),
  };
}
