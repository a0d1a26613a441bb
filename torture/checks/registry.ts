/**
 * Every check of the harness, with the classes it reports and what it
 * needs. A new check is one file in this folder plus its line here; a test
 * (test/checks.test.ts) holds that every failure class has a check.
 */
import type { CheckSpec } from './check.js';
import { READER_CHECK } from './reader-section.js';
import { CALLBACK_CHECK } from './callbacks.js';
import { DRAIN_CHECK } from './drain.js';
import { STALL_CHECK } from './watchdog.js';
import { BACKLOG_CHECK } from './backlog.js';
import { HEARTBEAT_CHECK } from './heartbeat.js';
import { END_OF_RUN_CHECK } from './end-of-run.js';
import { GP_SEQ_CHECK } from './gp-seq.js';
import { FORWARD_PROGRESS_CHECK } from './forward-progress.js';
import { STUTTER_END_CHECK } from './stutter-end.js';
import { SHORT_GP_CHECK } from './short-grace-period.js';

export const CHECKS: readonly CheckSpec[] = [
  READER_CHECK, CALLBACK_CHECK, DRAIN_CHECK, STALL_CHECK, BACKLOG_CHECK, HEARTBEAT_CHECK, END_OF_RUN_CHECK, GP_SEQ_CHECK,
  SHORT_GP_CHECK, FORWARD_PROGRESS_CHECK, STUTTER_END_CHECK,
];
