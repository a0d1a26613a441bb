/*
 * flip-rcu-lost-wakeup.c: flip-rcu.c with one planted bug: call_rcu wakes the call_rcu thread before it enqueues.
 * The thread can look, find the list empty and sleep after the wake-up: a lost wake-up that
 * leaves the last callbacks (and a drain) waiting until some later call_rcu: found by --engine sim.
 */
#define FLIP_BUG_WAKE_BEFORE_ENQUEUE
#define FLIP_NAME "c-flip-lost-wakeup"
#define FLIP_DESCRIPTION "flip-rcu.c with a planted bug: call_rcu wakes the call_rcu thread before it enqueues"
#define FLIP_EXPECTED "callback-stall"
#define FLIP_WEAK 0
#include "flip-rcu.c"
