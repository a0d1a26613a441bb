/**
 * Signals from the first line of main on. This module imports nothing heavy
 * and is evaluated before the commands load (which takes a second on a busy
 * machine): a SIGINT or SIGTERM that comes before a run has started exits at
 * once with 128 + the signal number, as an unhandled one would, but says so;
 * once a run is attached, the first signal stops it in order (roles stopped,
 * summary.json written) and a second exits at once.
 *
 * Under `npx rcutorture` (npm exec) this process is not npm's child: npm runs
 * `sh -c rcutorture ...` and forwards SIGINT/SIGTERM to that shell only. A
 * SIGTERM kills the shell and would leave the run going on orphaned, so
 * under npm exec the loss of the parent counts as a hangup (SIGHUP). (A
 * SIGINT the shell swallows; the project's .npmrc makes npm use a shell that
 * execs the command, so that npm signals this process directly.)
 */
import { constants } from 'node:os';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * A run stops within this long of the first signal, whatever the
 * implementation under test is doing: the orchestrator's interrupt teardown
 * fits well inside it, and this is the backstop if it ever does not (the
 * periodic summary.json, written since the start, then tells the story).
 */
const INTERRUPT_DEADLINE_MS = 2800;

let run: AbortController | null = null;
let seen = 0;

/** 128 + the signal's number: 130 for SIGINT, 143 for SIGTERM, 129 for SIGHUP. */
export function signalExitCode(sig: string): number {
  return 128 + (constants.signals[sig as keyof typeof constants.signals] ?? constants.signals.SIGINT);
}

function say(line: string): void {
  // stderr may be closed too (a terminal gone with SIGHUP): nothing to tell then.
  try { process.stderr.write(`rcutorture: ${line}\n`); } catch { /* closed */ }
}

function onSignal(sig: string): void {
  seen++;
  if (run === null) {
    say(`${sig} before a run started: exiting`);
    process.exit(signalExitCode(sig));
  }
  if (seen > 1 || run.signal.aborted) process.exit(signalExitCode(sig));
  say(`${sig}: stopping and writing the summary (again to exit at once)`);
  run.abort(sig);
  setTimeout(() => {
    say(`${sig}: teardown took too long, exiting`);
    process.exit(signalExitCode(sig));
  }, INTERRUPT_DEADLINE_MS).unref();
}

/** How often the parent is checked under npm exec: a fraction of the 3 s an interrupt may take. */
const PARENT_POLL_MS = 100;

/** True when npm exec (npx) started this process through a shell of its own. */
function underNpmExec(): boolean {
  return process.env.npm_command === 'exec' || process.env.npm_lifecycle_event === 'npx';
}

/** Under npm exec, a parent that is gone (this process re-parented) is a hangup. */
function watchParent(): void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    say(`parent process ${parent} (npm exec's shell) is gone`);
    onSignal('SIGHUP');
  }, PARENT_POLL_MS);
  timer.unref();
}

/** Installs the handlers; called by main before anything else loads. */
export function guardSignals(): void {
  for (const sig of SIGNALS) process.on(sig, () => onSignal(sig));
  if (underNpmExec()) watchParent();
}

/**
 * From now on a signal stops this run in order (its reason names the signal).
 * A signal that came while the run was being set up (after guardSignals but
 * with no run attached) has already exited the process.
 */
export function attachRun(controller: AbortController): void {
  run = controller;
}
