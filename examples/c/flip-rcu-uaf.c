/*
 * flip-rcu-uaf.c: flip-rcu.c with one planted bug: synchronize waits for the readers of the new phase instead of the old one.
 * Readers that entered before the flip are not waited for: found on the threads engine.
 */
#define FLIP_BUG_WAIT_WRONG_PHASE
#define FLIP_NAME "c-flip-uaf"
#define FLIP_DESCRIPTION "flip-rcu.c with a planted bug: synchronize waits for the readers of the new phase instead of the old one"
#define FLIP_EXPECTED "use-after-reclaim"
#define FLIP_WEAK 0
#include "flip-rcu.c"
