/**
 * Inline SVG line charts for the HTML report: no scripts, no fonts, no
 * network, so the report opens anywhere, offline, years later.
 */

export interface Series { name: string; color: string; points: [number, number][] }

export interface Axis {
  label: string;
  scale: 'linear' | 'log';
  /** Fixed ticks (in data units, before scaling); computed when absent. */
  ticks?: { value: number; label: string }[];
  format?: (v: number) => string;
  /** Start a linear axis at zero. */
  zero?: boolean;
}

export interface ChartSpec { title: string; series: Series[]; x: Axis; y: Axis; width?: number; height?: number }

export const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function defaultFormat(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e6) return `${Number((v / 1e6).toPrecision(3))}M`;
  if (a >= 1e3) return `${Number((v / 1e3).toPrecision(3))}k`;
  return String(Number(v.toPrecision(3)));
}

/** 1-2-5 steps for a linear axis. */
function linearTicks(lo: number, hi: number, fmt: (v: number) => string): { value: number; label: string }[] {
  const span = hi - lo || Math.abs(hi) || 1;
  const raw = span / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  const out: { value: number; label: string }[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push({ value: v, label: fmt(Number(v.toPrecision(12))) });
  return out;
}

/** Powers of ten, with 2 and 5 between them when the range is short. */
function logTicks(lo: number, hi: number, fmt: (v: number) => string): { value: number; label: string }[] {
  const out: { value: number; label: string }[] = [];
  const e0 = Math.floor(Math.log10(lo));
  const e1 = Math.ceil(Math.log10(hi));
  const mults = e1 - e0 <= 2 ? [1, 2, 5] : [1];
  for (let e = e0; e <= e1; e++) {
    for (const m of mults) {
      const v = m * 10 ** e;
      if (v >= lo * 0.999 && v <= hi * 1.001) out.push({ value: v, label: fmt(Number(v.toPrecision(6))) });
    }
  }
  return out;
}

function extent(values: number[], axis: Axis): [number, number] {
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (axis.scale === 'log') {
    lo = 10 ** Math.floor(Math.log10(lo));
    hi = 10 ** Math.ceil(Math.log10(hi));
  } else {
    if (axis.zero) lo = Math.min(0, lo);
    if (hi === lo) hi = lo + 1;
    hi += (hi - lo) * 0.05;
  }
  return [lo, hi];
}

export function lineChart(spec: ChartSpec): string {
  const W = spec.width ?? 600;
  const H = spec.height ?? 320;
  const m = { left: 64, right: 30, top: 28, bottom: 44 };
  const pw = W - m.left - m.right;
  const ph = H - m.top - m.bottom;
  const usable = (axis: Axis) => (v: number) => Number.isFinite(v) && (axis.scale === 'linear' || v > 0);
  const series = spec.series
    .map((s) => ({ ...s, points: s.points.filter(([x, y]) => usable(spec.x)(x) && usable(spec.y)(y)) }))
    .filter((s) => s.points.length > 0);
  const head = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escapeXml(spec.title)}" font-family="sans-serif" font-size="11">` +
    `<text x="${m.left}" y="16" font-size="13" font-weight="bold">${escapeXml(spec.title)}</text>`;
  if (series.length === 0) return `${head}<text x="${W / 2}" y="${H / 2}" text-anchor="middle" fill="#888">no data</text></svg>`;

  const xs = series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = series.flatMap((s) => s.points.map((p) => p[1]));
  const [x0, x1] = spec.x.ticks ? [Math.min(...xs, ...spec.x.ticks.map((t) => t.value)), Math.max(...xs, ...spec.x.ticks.map((t) => t.value))] : extent(xs, spec.x);
  const [y0, y1] = extent(ys, spec.y);
  const t = (axis: Axis, v: number) => (axis.scale === 'log' ? Math.log10(v) : v);
  const sx = (v: number) => m.left + ((t(spec.x, v) - t(spec.x, x0)) / (t(spec.x, x1) - t(spec.x, x0) || 1)) * pw;
  const sy = (v: number) => m.top + ph - ((t(spec.y, v) - t(spec.y, y0)) / (t(spec.y, y1) - t(spec.y, y0) || 1)) * ph;
  const fx = spec.x.format ?? defaultFormat;
  const fy = spec.y.format ?? defaultFormat;
  const xt = spec.x.ticks ?? (spec.x.scale === 'log' ? logTicks(x0, x1, fx) : linearTicks(x0, x1, fx));
  const yt = spec.y.ticks ?? (spec.y.scale === 'log' ? logTicks(y0, y1, fy) : linearTicks(y0, y1, fy));
  const r = (v: number) => v.toFixed(1);

  const parts: string[] = [head];
  parts.push(`<rect x="${m.left}" y="${m.top}" width="${pw}" height="${ph}" fill="#fff" stroke="#999"/>`);
  for (const tk of yt) {
    const y = r(sy(tk.value));
    parts.push(`<line x1="${m.left}" x2="${m.left + pw}" y1="${y}" y2="${y}" stroke="#e4e4e4"/>`,
      `<text x="${m.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${escapeXml(tk.label)}</text>`);
  }
  for (const tk of xt) {
    const x = r(sx(tk.value));
    parts.push(`<line x1="${x}" x2="${x}" y1="${m.top}" y2="${m.top + ph}" stroke="#e4e4e4"/>`,
      `<text x="${x}" y="${m.top + ph + 14}" text-anchor="middle">${escapeXml(tk.label)}</text>`);
  }
  parts.push(`<text x="${m.left + pw / 2}" y="${H - 6}" text-anchor="middle">${escapeXml(spec.x.label)}</text>`,
    `<text transform="translate(14 ${m.top + ph / 2}) rotate(-90)" text-anchor="middle">${escapeXml(spec.y.label)}</text>`);
  for (const s of series) {
    const d = s.points.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${r(sx(x))},${r(sy(y))}`).join('');
    parts.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="1.8"><title>${escapeXml(s.name)}</title></path>`);
    if (s.points.length === 1) parts.push(`<circle cx="${r(sx(s.points[0][0]))}" cy="${r(sy(s.points[0][1]))}" r="3" fill="${s.color}"/>`);
  }
  // Legend below the plot, wrapped into rows, so it never hides a curve.
  let lx = m.left;
  let ly = H + 6;
  for (const sr of series) {
    const w = 34 + sr.name.length * 6.5;
    if (lx + w > W && lx > m.left) { lx = m.left; ly += 16; }
    parts.push(`<line x1="${lx}" x2="${lx + 18}" y1="${ly}" y2="${ly}" stroke="${sr.color}" stroke-width="2.5"/>`,
      `<text x="${lx + 22}" y="${ly}" dominant-baseline="middle">${escapeXml(sr.name)}</text>`);
    lx += w;
  }
  parts[0] = parts[0].replace(`viewBox="0 0 ${W} ${H}" width="${W}" height="${H}"`, `viewBox="0 0 ${W} ${ly + 12}" width="${W}" height="${ly + 12}"`);
  parts.push('</svg>');
  return parts.join('');
}
