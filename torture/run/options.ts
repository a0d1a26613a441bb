/** What a caller passes to a run besides its configuration (a leaf: engines, campaigns and the CLI share it). */
import type { Snapshot } from '../report/statistics.js';

export interface RunOptions {
  /** Folder under which the run folder is made; null for none. */
  resultsRoot?: string | null;
  /** The run folder's name under resultsRoot (a soak names its cases' folders); default `<timestamp>-<variant>-<scenario>`. */
  folderName?: string;
  /** Console output, one line at a time, with what kind of line it is. */
  out?: (line: string, kind: LineKind) => void;
  /** Aborting it interrupts the run; its reason names the signal (SIGINT, SIGTERM). */
  signal?: AbortSignal;
  /**
   * Called every tick with the counters (the live progress line). `clock`
   * is the torture clock --duration counts on (from when every role runs,
   * frozen when the torture phase ends) and the phase the run is in.
   */
  onTick?: (snap: Snapshot, totalMs: number, clock?: RunClock) => void;
  /**
   * End the run at the first failure counted or reported (the kill matrix
   * wants time to detect, not a full run); the verdict is then FAILURE.
   * `onFailure` learns the run time at which it was seen.
   */
  stopOnFailure?: boolean;
  onFailure?: (atMs: number) => void;
}

/** Where a run is, on the clock --duration counts. */
export interface RunClock { tortureMs: number; phase: 'start-up' | 'torture' | 'end' }

export type LineKind = 'header' | 'stats' | 'stall' | 'detail' | 'verdict';
