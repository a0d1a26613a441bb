/*
 * flip-rcu-uaf.c: flip-rcu.c with one planted bug: the call_rcu thread waits for a grace period
 * and only then takes the queue, so heads queued during that grace period are invoked without
 * one: a reader still holding such a head sees it reclaimed. Found on the threads engine.
 */
#define FLIP_BUG_TAKE_AFTER_GP
#define FLIP_NAME "c-flip-uaf"
#define FLIP_DESCRIPTION "flip-rcu.c with a planted bug: the call_rcu thread takes the queue after its grace period, not before"
#define FLIP_EXPECTED "premature-callback,use-after-reclaim"
#define FLIP_WEAK 0
#include "flip-rcu.c"
