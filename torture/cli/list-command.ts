/** `rcutorture list [variants|mutants|scenarios] [--json]`. */
import type { Command } from 'commander';
import { VARIANTS, MUTANTS } from '../../lib/rcu/registry.js';
import type { RcuFlavor } from '../../lib/rcu/flavor.js';
import { listScenarios } from '../scenarios.js';
import { UsageError } from './parse.js';
import { wrapParser } from './util.js';

export function flavorEntry(f: RcuFlavor) {
  return { name: f.name, kind: f.kind, description: f.description, provenance: f.provenance, expected: f.expected ?? [] };
}

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  '));
}

export function registerList(program: Command): void {
  program.command('list [what]')
    .description('list variants and mutants, or scenarios (what: variants, mutants, scenarios)')
    .option('--json', 'machine-readable')
    .action(wrapParser(async (what: string | undefined, o: { json?: boolean }) => {
      if (what !== undefined && !['variants', 'mutants', 'scenarios', 'flavors'].includes(what)) {
        throw new UsageError(`bad list "${what}": use variants, mutants or scenarios`);
      }
      if (what === 'scenarios') {
        const sc = listScenarios();
        if (o.json) console.log(JSON.stringify(sc, null, 2));
        else for (const l of table([['SCENARIO', 'DESCRIPTION'], ...sc.map((s) => [s.name, s.description])])) console.log(l);
        return;
      }
      const flavors = what === 'variants' ? VARIANTS : what === 'mutants' ? MUTANTS : [...VARIANTS, ...MUTANTS];
      if (o.json) { console.log(JSON.stringify(flavors.map(flavorEntry), null, 2)); return; }
      for (const [title, group] of [['VARIANTS', flavors.filter((f) => f.kind === 'variant')], ['MUTANTS', flavors.filter((f) => f.kind === 'mutant')]] as const) {
        if (group.length === 0) continue;
        console.log(`${title}`);
        for (const l of table(group.map((f) => ['  ' + f.name, f.expected?.length ? `expects ${f.expected.join('/')}` : 'expects nothing', f.description]))) console.log(l);
        console.log('');
      }
      console.log('provenance: `rcutorture list --json`');
    }));
}
