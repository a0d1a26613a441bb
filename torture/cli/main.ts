#!/usr/bin/env node
/**
 * The rcutorture command line. Signal and stdio guards come first; the
 * commands (and everything they import) load only after them, so a signal
 * during start-up is honoured and a closed pipe never crashes a run.
 */
import { guardSignals } from './signals.js';
import { guardStdio } from './stdio.js';
import { traceStartup } from './startup-trace.js';

guardSignals();
guardStdio();
traceStartup('signal and stdio guards installed');
await import('./program.js');
