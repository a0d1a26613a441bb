// The per-scenario table of results/baselines/stall-clock-under-load.md from soak folders: per scenario x variant,
// the seeds that were SUCCESS and the lowest stall-clock share; then totals, and the cases whose counted time
// (share x duration) fell under their stall timeout.
// Usage: node scripts/soak-table.mjs <stall timeout ms> <soak folder or soak.json>...
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
const [timeoutMs, ...inputs] = process.argv.slice(2);
const cases = [];
let each;
for (const i of inputs) {
  const f = statSync(i).isDirectory() ? join(i, 'soak.json') : i;
  const s = JSON.parse(readFileSync(f, 'utf8'));
  each = s.matrix.durationEachMs;
  cases.push(...s.cases);
}
const variants = [...new Set(cases.map((c) => c.variant))];
const scenarios = [...new Set(cases.map((c) => c.scenario))].sort();
const pct = (x) => `${Math.round(x * 100)}%`;
console.log(`| scenario | ${variants.join(' | ')} |`);
console.log(`|---|${variants.map(() => '---').join('|')}|`);
for (const sc of scenarios) {
  const cells = variants.map((v) => {
    const cs = cases.filter((c) => c.variant === v && c.scenario === sc);
    if (cs.length === 0) return '-';
    const ok = cs.filter((c) => c.verdict === 'SUCCESS').length;
    const low = Math.min(...cs.map((c) => c.stallClockShare ?? 1));
    return `${ok}/${cs.length}${ok === cs.length ? '' : ' **' + cs.filter((c) => c.verdict !== 'SUCCESS').map((c) => c.verdict).join(',') + '**'} (${pct(low)})`;
  });
  console.log(`| ${sc} | ${cells.join(' | ')} |`);
}
const shares = cases.map((c) => c.stallClockShare ?? 1).sort((a, b) => a - b);
const med = shares[Math.floor(shares.length / 2)];
const verdicts = {};
for (const c of cases) verdicts[c.verdict] = (verdicts[c.verdict] ?? 0) + 1;
const blind = cases.filter((c) => (c.stallClockShare ?? 1) * each < Number(timeoutMs));
console.log(`\n${cases.length} cases: ${Object.entries(verdicts).map(([k, n]) => `${n} ${k}`).join(', ')}; ` +
  `stall-clock share median ${pct(med)}, lowest ${pct(shares[0])}, highest ${pct(shares[shares.length - 1])}; ` +
  `counted (share x ${each / 1000} s) median ${(med * each / 1000).toFixed(1)} s, lowest ${(shares[0] * each / 1000).toFixed(1)} s; ` +
  `${blind.length} cases counted less than the ${Number(timeoutMs) / 1000} s stall timeout`);
const gps = cases.map((c) => c.counters?.gracePeriods ?? 0).sort((a, b) => a - b);
const reads = cases.map((c) => c.counters?.reads ?? 0).sort((a, b) => a - b);
console.log(`grace periods per case: median ${gps[gps.length >> 1]}, lowest ${gps[0]}; reads per case: median ${reads[reads.length >> 1]}, lowest ${reads[0]}`);
for (const c of cases.filter((c) => c.verdict !== 'SUCCESS')) console.log(`NOT SUCCESS: case ${c.k} ${c.variant} ${c.scenario} seed=${c.seed} ${c.verdict} ${JSON.stringify(c.failures)}`);
