/**
 * What every check declares: the failure classes it reports and the
 * capability of the flavor (or of the run) it needs to say anything. The
 * registry (checks/registry.ts) lists them all; `rcutorture list checks`
 * style documentation and the tests read it from there.
 */
import type { FailureClass } from './classes.js';

/**
 * What a check stands on: a reader role (pipe), call_rcu (callbacks),
 * drain/barrier, the stall watchdog's view of update-side calls, a callback
 * flood (backlog), role heartbeats, an orderly end of run, or the flavor's
 * gpSeq counter.
 */
export type CheckNeed = 'reader' | 'callbacks' | 'drain-barrier' | 'stalls' | 'backlog' | 'heartbeat' | 'end-of-run' | 'gp-seq';

export interface CheckSpec {
  name: string;
  classes: readonly FailureClass[];
  needs: readonly CheckNeed[];
  /** Where it runs: in the roles (every worker) or in the main thread's monitors. */
  runs: 'roles' | 'monitor' | 'end';
  description: string;
}
