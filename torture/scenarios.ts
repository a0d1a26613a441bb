/**
 * Scenarios: named fault configurations. The fault-injection work moves
 * these to scenarios/*.json with schema validation; until then `default`
 * is the only one.
 */
import { DEFAULT_FAULTS, type FaultConfig } from './config.js';
import { unknownName } from './cli/parse.js';

export interface Scenario {
  name: string;
  description: string;
  readers?: number;
  fakewriters?: number;
  stallTimeoutMs?: number;
  counterMode?: 'wide' | 'narrow';
  counterBits?: number;
  elements?: number;
  faults: FaultConfig;
}

const BUILT_IN: Scenario[] = [
  { name: 'default', description: 'rcutorture-shaped readers, a writer and fakewriters, no injected faults', faults: DEFAULT_FAULTS },
];

export function listScenarios(): { name: string; description: string }[] {
  return BUILT_IN.map(({ name, description }) => ({ name, description }));
}

export function loadScenario(name: string): Scenario {
  const sc = BUILT_IN.find((s) => s.name === name);
  if (!sc) throw unknownName('scenario', name, BUILT_IN.map((s) => s.name));
  return sc;
}
