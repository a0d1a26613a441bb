/**
 * report.html: one self-contained file (inline CSS and SVG, no scripts, no
 * fonts, no network) for a comparison or for a single run.
 */
import type { Summary } from '../report/summary.js';
import { percentileCurve, percentileTicks, rateSeries, levelSeries, medianSeries } from './curves.js';
import { MARK, num } from './format.js';
import { machineLine } from './machine.js';
import { countsFor, type CompareResult } from './result.js';
import { PALETTE, escapeXml as esc, lineChart, type Series } from './svg.js';
import { compareTable, tableNotes } from './table.js';
import { plural } from '../report/plural.js';
import { exampleLine } from '../report/examples.js';

/** Operations with latency charts, in this order; a run's other recordings (liveness) are not distributions. */
const CHART_OPS: { op: string; label: string }[] = [
  { op: 'synchronize', label: 'synchronize_rcu' },
  { op: 'drain', label: 'drain_call_rcu' },
  { op: 'callback', label: 'call_rcu → callback invoked' },
  { op: 'barrier', label: 'rcu_barrier' },
  { op: 'force_rcu', label: 'force_rcu' },
  { op: 'call_rcu', label: 'call_rcu (enqueue)' },
];

const CSS = `
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;max-width:1320px;padding:0 16px;color:#222}
h1{font-size:20px}h2{font-size:16px;margin-top:28px;border-bottom:1px solid #ddd}
table{border-collapse:collapse;font-size:12px;margin:8px 0}
th,td{border:1px solid #ddd;padding:3px 8px;text-align:right;white-space:nowrap}
th:first-child,td:first-child{text-align:left}
th{background:#f4f4f4}
.ns{color:#888}.sig{font-weight:bold}
.meta{font-size:13px;line-height:1.6}
code,pre{font-family:ui-monospace,monospace;font-size:12px;background:#f6f6f6;padding:2px 4px}
.charts{display:flex;flex-wrap:wrap;gap:16px}
.note{font-size:12px;color:#555}
.SUCCESS{color:#2a7a2a}.FAILURE{color:#b00}.INTERRUPTED,.ERROR{color:#b60}
`;

function page(title: string, body: string[]): string {
  return `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>` +
    `<meta name="viewport" content="width=device-width,initial-scale=1"><style>${CSS}</style></head>` +
    `<body>\n${body.join('\n')}\n</body></html>\n`;
}

function htmlTable(header: string[], rows: string[][], cellHtml: (text: string, col: number) => string = (t) => esc(t)): string {
  return `<table><thead><tr>${header.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>` +
    rows.map((r) => `<tr>${r.map((c, i) => `<td>${cellHtml(c, i)}</td>`).join('')}</tr>`).join('') + '</tbody></table>';
}

/** Latency distribution chart: one curve per named histogram, in its own colour (default: by position). */
function latencyChart(title: string, hists: { name: string; encoded: string; color?: string }[]): string {
  let maxX = 1;
  const series: Series[] = hists.map(({ name, encoded, color }, i) => {
    const c = percentileCurve(encoded);
    maxX = Math.max(maxX, ...c.points.map((p) => p[0]));
    return { name: `${name} (n=${c.count})`, color: color ?? PALETTE[i % PALETTE.length], points: c.points };
  });
  return lineChart({
    title, series, x: { label: 'percentile', scale: 'linear', ticks: percentileTicks(maxX) },
    y: { label: 'latency (ms)', scale: 'log' },
  });
}

function timeChart(title: string, yLabel: string, series: Series[]): string {
  return lineChart({ title, series, x: { label: 'time (s)', scale: 'linear', zero: true }, y: { label: yLabel, scale: 'linear', zero: true } });
}

const charts = (svgs: string[]) => `<div class="charts">${svgs.join('\n')}</div>`;

// ---- comparison --------------------------------------------------------------------

export function compareHtml(r: CompareResult): string {
  const title = `rcutorture compare: ${r.variants.map((v) => v.label).join(' vs ')} on ${r.request.scenario}`;
  const t = compareTable(r);
  const ratioCol = (i: number) => i >= 3 && i % 2 === 1;
  const cellHtml = (text: string, col: number) => {
    if (!ratioCol(col) || text === '—' || text === '') return esc(text);
    return text.endsWith(` ${MARK.significant}`) ? `<span class="sig">${esc(text)}</span>` : `<span class="ns">${esc(text)}</span>`;
  };
  const latency = CHART_OPS
    .filter(({ op }) => r.variants.some((v) => v.histograms[op]))
    .map(({ op, label }) => latencyChart(`${label} latency, all trials merged`,
      // A variant keeps its column's colour in every chart, also where another has no curve.
      r.variants.flatMap((v, column) => (v.histograms[op]
        ? [{ name: v.label, encoded: v.histograms[op], color: PALETTE[column % PALETTE.length] }] : []))));
  const perVariant = (f: (t: NonNullable<CompareResult['trials'][number]['timeline']>, readers: number) => [number, number][]) =>
    r.variants.map((v, column): Series => ({
      name: v.label, color: PALETTE[column % PALETTE.length],
      points: medianSeries(r.trials.filter((tr) => tr.column === column && tr.timeline && countsFor('throughput', tr)).map((tr) => f(tr.timeline!, tr.readers))),
    }));
  const trialRows = r.trials.map((tr) => [String(tr.trial + 1), r.variants[tr.column].label, String(tr.seed), tr.verdict,
    `${(tr.wallMs / 1000).toFixed(1)}s`, tr.resultsDir ?? '']);
  return page(title, [
    `<h1>${esc(title)}</h1>`,
    `<div class="meta"><div><code>rcutorture ${esc(r.command)}</code></div>`,
    `<div>machine: ${esc(machineLine(r.machine))}</div>`,
    `<div>date: ${esc(r.startedAt)} · rcutorture ${esc(r.version)} · ${r.request.trials} trials × ${r.request.durationMs / 1000}s per variant, interleaved · seeds ${esc(r.seeds.join(', '))}</div>`,
    r.interrupted ? '<div class="FAILURE">interrupted: only finished trials are counted</div>' : '',
    '</div>',
    '<h2>Summary</h2>',
    htmlTable(t.header, t.rows, cellHtml),
    `<ul class="note">${tableNotes(r).map((n) => `<li>${esc(n)}</li>`).join('')}</ul>`,
    '<h2>Latency distributions</h2>',
    '<p class="note">Percentile curves of every trial\'s HdrHistogram merged per variant; log latency axis. Curves to the right are the tail.</p>',
    charts(latency),
    '<h2>Throughput over time</h2>',
    `<p class="note">Rates per sampling interval, median over trials at each sample.</p>`,
    charts([
      timeChart('reader critical sections per second per reader', 'reads/s per reader', perVariant((tl, readers) => rateSeries(tl, 'reads', readers))),
      timeChart('grace periods per second', 'grace periods/s', perVariant((tl) => rateSeries(tl, 'gracePeriods'))),
      timeChart('callbacks pending', 'callbacks', perVariant((tl) => levelSeries(tl, 'callbacksPending'))),
    ]),
    '<h2>Trials</h2>',
    htmlTable(['trial', 'variant', 'seed', 'verdict', 'wall time', 'run folder'], trialRows,
      (text, col) => (col === 3 ? `<span class="${esc(text)}">${esc(text)}</span>` : esc(text))),
  ]);
}

// ---- single run ----------------------------------------------------------------------

/** Linux's three histograms, as its statistics print them: bucket 0 first, the last bucket "this many or more". */
function linuxHistograms(s: Summary): string {
  const rows: [string, number[] | undefined][] = [
    ['Reader Pipe (grace periods an element aged during a read)', s.readerPipe],
    ['Reader Batch (grace periods completed during a read section)', s.readerBatch],
    ['Free-Block Circulation (elements that reached each pipe stage)', s.freeBlockCirculation],
  ];
  const width = Math.max(...rows.map(([, h]) => h?.length ?? 0));
  if (width === 0) return '<p class="note">This run recorded no Reader Pipe / Reader Batch histograms.</p>';
  return htmlTable(['histogram', ...Array.from({ length: width }, (_, i) => String(i))],
    rows.filter(([, h]) => h).map(([name, h]) => [name, ...h!.map((n) => num(n))]));
}

export function runHtml(s: Summary): string {
  const title = `rcutorture: ${s.variant} on ${s.scenario}: ${s.verdict}`;
  const sim = s.engine === 'sim';
  const ops = CHART_OPS.filter(({ op }) => s.histograms?.[op]);
  const latencyRows = Object.entries(s.latency ?? {}).map(([op, l]) =>
    [op, String(l.count), num(l.p50), num(l.p90), num(l.p99), num(l.max), num(l.mean)]);
  const counterRows = Object.entries(s.counters).map(([k, v]) => [k, num(v)]);
  if (s.maxCallbacksPending !== undefined) counterRows.push(['max callbacks pending', num(s.maxCallbacksPending)]);
  const failed = Object.entries(s.failures).filter(([, n]) => n > 0);
  const tl = s.timeline;
  const t = s.threads;
  const latency = latencyRows.length > 0
    ? [htmlTable(['operation', 'count', 'p50', 'p90', 'p99', 'max', 'mean'], latencyRows),
      charts([latencyChart('latency distributions', ops.map(({ op, label }) => ({ name: label, encoded: s.histograms[op] })))])]
    : [`<p class="note">${sim
      ? 'The sim engine records no latencies: its clock is virtual, and a virtual millisecond says nothing about an implementation\'s speed.'
      : 'This run recorded no latencies.'}</p>`];
  const noTimeline = sim
    ? 'The sim engine keeps no timeline: its clock is virtual and starts again with every schedule.'
    : 'This run has no timeline (made by an older rcutorture).';
  const body = [
    `<h1 class="${esc(s.verdict)}">${esc(title)}</h1>`,
    '<div class="meta">',
    `<div>rcutorture ${esc(s.version)} · engine ${esc(s.engine)} · seed ${s.seed} · started ${esc(s.startedAt)} · ${(s.durationMs / 1000).toFixed(1)}s${sim ? ' of wall time' : ''}</div>`,
    `<div>threads: ${plural(t.readers, 'reader')}, ${plural(t.writers, 'writer')}, ${plural(t.fakewriters, 'fakewriter')}, background ${esc(t.background.join(', ') || 'none')}</div>`,
    `<div>failures: ${failed.length ? esc(failed.map(([k, n]) => `${k}=${n}`).join(' ')) : 'none'} · stalls: ${s.stalls.length}</div>`,
    '</div>',
    '<h2>Reader Pipe, Reader Batch, Free-Block Circulation</h2>',
    '<p class="note">As Linux\'s rcutorture prints them: a read that saw an element more than one grace period old (pipe bucket 2 or more) is a use-after-reclaim.</p>',
    linuxHistograms(s),
    `<h2>Latency (ms)</h2>`,
    ...latency,
    '<h2>Throughput over time</h2>',
    tl ? charts([
      timeChart('reader critical sections per second per reader', 'reads/s per reader', [{ name: s.variant, color: PALETTE[0], points: rateSeries(tl, 'reads', s.threads.readers) }]),
      timeChart('grace periods per second', 'grace periods/s', [{ name: s.variant, color: PALETTE[0], points: rateSeries(tl, 'gracePeriods') }]),
      timeChart('callbacks pending', 'callbacks', [{ name: s.variant, color: PALETTE[0], points: levelSeries(tl, 'callbacksPending') }]),
    ]) : `<p class="note">${noTimeline}</p>`,
    '<h2>Counters</h2>',
    htmlTable(['counter', 'value'], counterRows),
    ...(s.examples.length ? ['<h2>Failure reports</h2>',
      `<pre>${esc(s.examples.slice(0, 20).map(exampleLine).join('\n\n'))}</pre>`] : []),
    ...(s.stalls.length ? ['<h2>Stalls</h2>', `<pre>${esc(JSON.stringify(s.stalls, null, 2))}</pre>`] : []),
    '<h2>Configuration</h2>',
    `<pre>${esc(JSON.stringify(s.config, null, 2))}</pre>`,
  ];
  return page(title, body);
}
