/**
 * Scenarios: named fault configurations, one JSON file each in the package's
 * scenarios/ folder (data, not code), or any file given by path. The format
 * and its validation live in scenario-schema.ts.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseScenario, type Scenario } from './schema.js';
import { UsageError, unknownName } from '../run/parse.js';

export type { Scenario };

/**
 * The shipped scenarios folder. This module runs as torture/scenario/load.ts
 * (tests) or dist/torture/scenario/load.js (the CLI): the folder sits at the
 * package root in both cases, two or three levels up.
 */
export function scenariosDir(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  for (const up of ['../..', '../../..']) {
    const dir = resolve(here, up, 'scenarios');
    if (existsSync(resolve(dir, 'default.json'))) return dir;
  }
  throw new Error(`scenarios folder not found above ${here}`);
}

function shippedNames(): string[] {
  return readdirSync(scenariosDir()).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
}

export function listScenarios(): { name: string; description: string }[] {
  return shippedNames().map((name) => {
    const sc = loadScenario(name);
    return { name: sc.name, description: sc.description };
  });
}

/** A path (it has a slash or ends in .json) is read as a file; anything else is a shipped scenario's name. */
function isPath(ref: string): boolean {
  return ref.includes('/') || ref.includes('\\') || ref.endsWith('.json');
}

export function loadScenario(ref: string): Scenario {
  if (isPath(ref)) {
    const file = resolve(ref);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new UsageError(`bad --scenario "${ref}": cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    return parseScenario(text, basename(file).replace(/\.json$/, ''), ref);
  }
  const names = shippedNames();
  if (!names.includes(ref)) throw unknownName('scenario', ref, names);
  const file = resolve(scenariosDir(), `${ref}.json`);
  return parseScenario(readFileSync(file, 'utf8'), ref, `scenarios/${ref}.json`);
}
