/**
 * JUnit XML, the format every CI system shows as test results: one test case
 * per variant x scenario x seed run. A failed run carries its failure-class
 * counts, its stall reports (holdouts and all) and the concrete reports the
 * roles made (crash stacks included) in the failure body, so the CI page says
 * what broke without opening the artifacts.
 */
import { failureList, type CaseResult } from './summary.js';
import { formatStall } from '../checks/watchdog.js';
import { exampleLine } from './examples.js';

/** XML 1.0 cannot carry these at all, escaped or not. */
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function xmlEscape(text: string): string {
  return text.replace(NOT_XML, '\uFFFD')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/**
 * The test case name: the same in every run of the same matrix, so CI test
 * history lines up (a random seed in the name made each run a new test). A
 * soak's seeds are told apart by their index; the seed itself is a property.
 */
export function caseName(c: Pick<CaseResult, 'variant' | 'scenario'> & { seedIndex?: number }): string {
  return `${c.variant} ${c.scenario}${c.seedIndex !== undefined ? ` #${c.seedIndex + 1}` : ''}`;
}

function properties(c: CaseResult): string {
  return `      <properties><property name="seed" value="${c.seed}"/></properties>`;
}

/** The text a failed or broken case shows: counts, stall reports, example reports. */
export function failureText(c: CaseResult): string {
  const lines: string[] = [`verdict: ${c.verdict}`];
  const counts = failureList(c.failures);
  if (counts) lines.push(`failures: ${counts}`);
  if (c.error) lines.push(`error: ${c.error}`);
  if (c.signal) lines.push(`interrupted by ${c.signal}`);
  for (const s of c.stalls) lines.push(...formatStall(s));
  for (const e of c.examples) lines.push(exampleLine(e));
  if (c.resultsDir) lines.push(`results: ${c.resultsDir}`);
  return lines.join('\n');
}

function testcase(c: CaseResult & { seedIndex?: number }): string {
  const attrs = `name="${xmlEscape(caseName(c))}" classname="${xmlEscape(`rcutorture.${c.variant}.${c.scenario}`)}" ` +
    `time="${(c.durationMs / 1000).toFixed(3)}"`;
  const body = xmlEscape(failureText(c));
  switch (c.verdict) {
    case 'SUCCESS':
      return `    <testcase ${attrs}>\n${properties(c)}\n    </testcase>`;
    case 'FAILURE':
      return `    <testcase ${attrs}>\n${properties(c)}\n      <failure message="${xmlEscape(failureList(c.failures))}" type="FAILURE">${body}</failure>\n    </testcase>`;
    default: {
      // Interrupted or errored: the case did not complete, which is an error, not a pass.
      const msg = c.verdict === 'INTERRUPTED' ? `interrupted${c.signal ? ` by ${c.signal}` : ''}` : (c.error ?? 'internal error');
      return `    <testcase ${attrs}>\n${properties(c)}\n      <error message="${xmlEscape(msg)}" type="${c.verdict}">${body}</error>\n    </testcase>`;
    }
  }
}

/** A whole JUnit document: one <testsuite> holding every case, in the order given. */
export function junitXml(cases: CaseResult[], suite = 'rcutorture', timestamp = new Date()): string {
  const count = (v: CaseResult['verdict']) => cases.filter((c) => c.verdict === v).length;
  const failures = count('FAILURE');
  const errors = cases.length - failures - count('SUCCESS');
  const time = (cases.reduce((t, c) => t + c.durationMs, 0) / 1000).toFixed(3);
  const totals = `tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="0" time="${time}"`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xmlEscape(suite)}" ${totals}>`,
    `  <testsuite name="${xmlEscape(suite)}" ${totals} timestamp="${timestamp.toISOString().replace(/\.\d+Z$/, '')}">`,
    ...cases.map(testcase),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
