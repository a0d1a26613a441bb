/**
 * The one way a duration in milliseconds is written in log.txt, the console
 * and JUnit: whole milliseconds. Clocks are read as floats
 * (performance.now), but a stall report saying `1083.5506201250246 ms` only
 * adds noise, and a negative age is a clock-domain slip, never a fact.
 */
export function ms(value: number): string {
  return `${wholeMs(value)} ms`;
}

/** Whole, non-negative milliseconds (a non-finite value reads as 0). */
export function wholeMs(value: number): number {
  return Number.isFinite(value) ? Math.max(0, Math.round(value)) : 0;
}
