#!/usr/bin/env node
/**
 * The rcutorture command line. Signal and stdio guards come first; the
 * commands (and everything they import) load only after them, so a signal
 * during start-up is honoured and a closed pipe never crashes a run.
 */
import { guardSignals } from './signals.js';
import { guardStdio } from './stdio.js';

guardSignals();
guardStdio();
await import('./program.js');
