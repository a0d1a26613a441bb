/**
 * `rcutorture compare` end to end (a short A/A comparison writes its table
 * and its three files), `rcutorture report` rebuilding the HTML for a
 * comparison and for a run, the HTML being self-contained, and bad input.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync, rmSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, scratchDir } from './helpers.js';
import hdr from 'hdr-histogram-js';
import { LatencyRecorder, bucketOf, bucketValue } from '../torture/report/latency-recorder.js';
import { LatencyMerger } from '../torture/report/latency.js';
import { percentileCurve } from '../torture/compare/curves.js';
import { lineChart } from '../torture/compare/svg.js';
import { runHtml } from '../torture/compare/html.js';
import { num } from '../torture/compare/format.js';
import { resolveRunConfig } from '../torture/run/resolve-config.js';
import { runTorture } from '../torture/run/run.js';

/** Self-contained: nothing fetched, nothing run. The SVG namespace is a name, not a fetch. */
function expectSelfContained(html: string): void {
  expect(html).not.toMatch(/<script|<link|<img|<iframe|\ssrc=|\shref=|@import|url\(/i);
  expect(html.replace(/xmlns="http:\/\/www\.w3\.org\/2000\/svg"/g, '')).not.toMatch(/https?:\/\//);
}

describe('charts', () => {
  it('reads a percentile curve off a histogram: starts at the minimum, ends at the maximum', () => {
    const rec = new LatencyRecorder();
    for (let ms = 1; ms <= 100; ms++) rec.recordMs('drain', ms);
    const m = new LatencyMerger();
    m.addRecorded(rec.export());
    const { points, count } = percentileCurve(m.export().drain);
    expect(count).toBe(100);
    expect(points[0][1]).toBeCloseTo(1, 1);
    expect(points.at(-1)![1]).toBeCloseTo(100, 0);
    expect(points.at(-1)![0]).toBeCloseTo(2, 5); // log10(100 samples): the p99 column
  });

  it('agrees with HdrHistogram getValueAtPercentile at every point of the curve', () => {
    const rec = new LatencyRecorder();
    for (let i = 1; i <= 5000; i++) rec.recordMs('synchronize', (i % 97) * 0.37 + (i % 13 === 0 ? 250 : 0));
    const m = new LatencyMerger();
    m.addRecorded(rec.export());
    const encoded = m.export().synchronize;
    const h = hdr.decodeFromCompressedBase64(encoded, 32, false);
    for (const [x, ms] of percentileCurve(encoded).points.slice(0, -1)) {
      expect(ms, `x=${x}`).toBe(h.getValueAtPercentile(100 * (1 - 10 ** -x)) / 1000);
    }
  });

  it('records latencies in buckets the main thread reads back within 0.2% (workers load no histogram library)', () => {
    for (const us of [1, 2, 999, 1023, 1024, 1025, 4097, 65_537, 1_234_567, 3_600_000_000]) {
      const v = bucketValue(bucketOf(us));
      expect(Math.abs(v - us) / us, `${us} us read back as ${v}`).toBeLessThan(0.002);
    }
    // Buckets are ordered as their values: a percentile never moves below a smaller value.
    for (let us = 1; us < 200_000; us = Math.ceil(us * 1.01)) expect(bucketOf(us + 1)).toBeGreaterThanOrEqual(bucketOf(us));
    const m = new LatencyMerger();
    const a = new LatencyRecorder(), b = new LatencyRecorder();
    for (let i = 0; i < 900; i++) a.recordMs('synchronize', 2);
    for (let i = 0; i < 100; i++) b.recordMs('synchronize', 40);
    m.addRecorded(a.export());
    m.addRecorded(b.export());
    const st = m.stats().synchronize;
    expect(st.count).toBe(1000);
    expect(st.p50).toBeCloseTo(2, 2);
    expect(st.p99 / 40).toBeCloseTo(1, 2);
  });

  it('draws a chart without data as a labelled empty box instead of failing', () => {
    const svg = lineChart({ title: 'empty', series: [{ name: 'x', color: '#000', points: [] }], x: { label: 'x', scale: 'linear' }, y: { label: 'y', scale: 'log' } });
    expect(svg).toMatch(/^<svg[^>]*>.*no data.*<\/svg>$/s);
  });
});

describe('rcutorture compare and report', () => {
  it('compares qemu-v0 with itself: one line per trial, the table, compare.json/md and a self-contained report.html; report rebuilds it', async () => {
    const results = scratchDir();
    const r = await runCli(['compare', '--variants', 'qemu-v0,qemu-v0', '--duration', '2s', '--trials', '1', '--seed', '5', '--results', results]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^\[1\/2\] trial 1\/1 qemu-v0 seed 5: SUCCESS/m);
    expect(r.stdout).toMatch(/^\[2\/2\] trial 1\/1 qemu-v0#2 seed 5: SUCCESS/m);
    expect(r.stdout).toMatch(/^metric +qemu-v0 +qemu-v0#2 +qemu-v0#2\/qemu-v0$/m);
    expect(r.stdout).toMatch(/^reads\/s per reader /m);

    const [folder] = readdirSync(results);
    expect(folder).toMatch(/^compare-\d{8}-\d{6}$/);
    const dir = join(results, folder);
    const c = JSON.parse(readFileSync(join(dir, 'compare.json'), 'utf8'));
    expect(c.kind).toBe('compare');
    expect(c.interrupted).toBe(false);
    expect(c.seeds).toEqual([5]);
    expect(c.trials.map((t: { column: number; seed: number }) => [t.column, t.seed])).toEqual([[0, 5], [1, 5]]);
    expect(c.variants.map((v: { label: string }) => v.label)).toEqual(['qemu-v0', 'qemu-v0#2']);
    expect(c.variants[0].metrics.readsPerSecPerReader.median).toBeGreaterThan(0);
    expect(c.variants[1].ratios.readsPerSecPerReader.ratio).toBeGreaterThan(0);
    expect(c.machine.cores).toBeGreaterThan(0);

    // Each trial left its own run folder, with the timeline and the callback backlog.
    const runs = readdirSync(join(dir, 'runs'));
    expect(runs).toHaveLength(2);
    const s = JSON.parse(readFileSync(join(dir, 'runs', runs[0], 'summary.json'), 'utf8'));
    expect(s.timeline.samples.length).toBeGreaterThanOrEqual(1);
    // Cumulative counters: never going down, and readers had run by the last sample of the run phase.
    const reads = s.timeline.samples.map((x: { reads: number }) => x.reads);
    expect(reads).toEqual([...reads].sort((a, b) => a - b));
    expect(reads.at(-1)).toBeGreaterThan(0);
    expect(s.runPhase.ms).toBeGreaterThanOrEqual(2000);
    expect(s.maxCallbacksPending).toBeGreaterThanOrEqual(s.counters.callbacksPending);

    const md = readFileSync(join(dir, 'compare.md'), 'utf8');
    expect(md).toContain('```\nrcutorture compare --variants qemu-v0,qemu-v0 --duration 2s --trials 1 --seed 5 --results ');
    expect(md).toMatch(/^- machine: .+ cores, .+ GiB, node v\d+/m);
    expect(md).toMatch(/^\| metric \| qemu-v0 \| qemu-v0#2 \| qemu-v0#2\/qemu-v0 \|$/m);

    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expectSelfContained(html);
    expect((html.match(/<svg /g) ?? []).length).toBeGreaterThanOrEqual(4); // latency per op + throughput
    expect(html).toContain('Throughput over time');

    rmSync(join(dir, 'report.html'));
    const rep = await runCli(['report', dir]);
    expect(rep.code, rep.stderr).toBe(0);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toBe(html);

    const runRep = await runCli(['report', join(dir, 'runs', runs[0])]);
    expect(runRep.code, runRep.stderr).toBe(0);
    const runHtml = readFileSync(join(dir, 'runs', runs[0], 'report.html'), 'utf8');
    expectSelfContained(runHtml);
    expect(runHtml).toContain('qemu-v0 on default: SUCCESS');
    expect((runHtml.match(/<svg /g) ?? []).length).toBe(4);
  });

  it('refuses bad input with one line and exit 2, writing nothing', async () => {
    const results = join(scratchDir(), 'out');
    const cases: [string[], RegExp][] = [
      [['compare', '--variants', 'qemu-v0'], /bad --variants "qemu-v0": give two or more/],
      [['compare', '--variants', 'qemu-v0,nosuch-variant'], /unknown variant "nosuch-variant"/],
      [['compare', '--variants', 'qemu-v0,qemu-v0', '--trials', '0'], /bad --trials "0"/],
      [['compare', '--variants', 'qemu-v0,qemu-v0', '--scenario', 'nosuch'], /unknown scenario "nosuch"/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli([...args, '--results', results]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
    expect(existsSync(results)).toBe(false);

    const empty = join(scratchDir(), 'empty');
    mkdirSync(empty);
    const r = await runCli(['report', empty]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/holds neither compare\.json .* nor summary\.json/);
    expect(readdirSync(empty)).toEqual([]);
  });
});

describe('the run report', () => {
  it('of a sim run: Linux\'s histograms, the virtual clock said as the reason for no latencies and no timeline, English counts, no "(thread -1)"', async () => {
    const cfg = await resolveRunConfig({ variant: 'qemu-v0', durationMs: 1000, seed: 3, engine: 'sim', readers: 2, fakewriters: 1, sim: { schedules: 1 } });
    const s = await runTorture(cfg, { resultsRoot: null });
    expect(s.readerPipe[0]).toBeGreaterThan(0);
    // A harness finding of no one thread, as the end-of-run checks make them.
    const html = runHtml({ ...s, examples: [{ cls: 'callback-lost', thread: -1, message: 'a callback was never invoked' }] });
    expectSelfContained(html);
    expect(html).toContain('Reader Pipe');
    expect(html).toContain('Free-Block Circulation');
    expect(html).toContain(`<td>${num(s.readerPipe[0])}</td>`);
    expect(html).toContain('its clock is virtual');
    expect(html).not.toContain('older rcutorture');
    expect(html).toContain('2 readers, 1 writer, 1 fakewriter,');
    expect(html).toContain('callback-lost: a callback was never invoked');
    expect(html).not.toContain('thread -1');
  });
});
