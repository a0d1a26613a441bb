/**
 * From a request (what the user or a command asked for) to the effective
 * run configuration: the scenario gives the base, explicit fields override
 * it. Every command that starts runs (run, mutants, compare, soak) goes
 * through here, so they agree on defaults and validation.
 */
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { FLAVORS } from '../lib/rcu/registry.js';
import type { RunConfig } from './config.js';
import { loadImplFlavors } from './flavors.js';
import { freshSeed } from './random.js';
import { loadScenario } from './scenarios.js';
import { unknownName } from './cli/parse.js';

export interface RunRequest {
  variant: string;
  impl?: string;
  scenario?: string;
  durationMs: number;
  seed?: number;
  readers?: number;
  fakewriters?: number;
  stallTimeoutMs?: number;
  statIntervalMs?: number;
  counterMode?: 'wide' | 'narrow';
  counterBits?: number;
  elements?: number;
}

const TEN_MINUTES = 600_000;

export async function resolveRunConfig(req: RunRequest): Promise<RunConfig> {
  const impl = req.impl ? resolve(req.impl) : undefined;
  const pool = impl ? [...(await loadImplFlavors(impl)), ...FLAVORS] : FLAVORS;
  if (!pool.some((f) => f.name === req.variant)) throw unknownName('variant', req.variant, pool.map((f) => f.name));
  const sc = loadScenario(req.scenario ?? 'default');
  const pick = <T>(v: T | undefined, d: T): T => (v !== undefined ? v : d);
  return {
    variant: req.variant,
    impl,
    scenario: sc.name,
    engine: 'threads',
    seed: pick(req.seed, freshSeed()),
    durationMs: req.durationMs,
    readers: pick(req.readers, sc.readers ?? Math.max(2, 2 * availableParallelism())),
    fakewriters: pick(req.fakewriters, sc.fakewriters ?? 2),
    stallTimeoutMs: pick(req.stallTimeoutMs, sc.stallTimeoutMs ?? 10_000),
    statIntervalMs: pick(req.statIntervalMs, req.durationMs < TEN_MINUTES ? 5000 : 60_000),
    counterMode: pick(req.counterMode, sc.counterMode ?? 'wide'),
    counterBits: pick(req.counterBits, sc.counterBits ?? 32),
    elements: pick(req.elements, sc.elements ?? 256),
    cbNodesPerFakewriter: 64,
    faults: sc.faults,
  };
}
