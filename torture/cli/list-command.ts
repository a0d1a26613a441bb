/** `rcutorture list [variants|mutants|scenarios] [--json]`. */
import type { Command } from 'commander';
import { VARIANTS, MUTANTS } from '../../lib/rcu/registry.js';
import type { RcuFlavor } from '../../lib/rcu/flavor.js';
import { listScenarios } from '../scenario/load.js';
import { UsageError } from '../run/parse.js';
import { wrapParser } from './util.js';

export function flavorEntry(f: RcuFlavor) {
  return {
    name: f.name, kind: f.kind, description: f.description, provenance: f.provenance, expected: f.expected ?? [],
    ...(f.base ? { base: f.base } : {}),
    ...(f.scenario ? { scenario: f.scenario } : {}),
    ...(f.needsWeakMemory ? { needsWeakMemory: true } : {}),
  };
}

/** One flavor in the text listing: a head line, then its description and provenance. */
function flavorLines(f: RcuFlavor, width: number): string[] {
  const notes = [
    f.kind === 'mutant' && f.base ? `mutant of ${f.base}` : f.kind,
    f.expected?.length ? `expects ${f.expected.join('/')}` : 'expects nothing',
    ...(f.scenario ? [`scenario ${f.scenario}`] : []),
    ...(f.needsWeakMemory ? ['needs the sim engine (weak memory)'] : []),
  ];
  return [`  ${f.name.padEnd(width)}  ${notes.join(', ')}`, `      ${f.description}`, `      provenance: ${f.provenance}`];
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
      const width = Math.max(...flavors.map((f) => f.name.length));
      for (const [title, group] of [['VARIANTS', flavors.filter((f) => f.kind === 'variant')], ['MUTANTS', flavors.filter((f) => f.kind === 'mutant')]] as const) {
        if (group.length === 0) continue;
        console.log(`${title} (${group.length})`);
        for (const f of group) for (const l of flavorLines(f, width)) console.log(l);
        console.log('');
      }
    }));
}
