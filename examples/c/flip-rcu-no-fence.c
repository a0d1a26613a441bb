/*
 * flip-rcu-no-fence.c: flip-rcu.c with one planted bug: read_lock has no fence between publishing its snapshot and the section's loads.
 * Sequentially consistent memory hides it; a TSO store buffer delays the snapshot past the
 * updater's scan: only --engine sim --memory-model tso finds it.
 */
#define FLIP_BUG_NO_READER_FENCE
#define FLIP_NAME "c-flip-no-fence"
#define FLIP_DESCRIPTION "flip-rcu.c with a planted bug: read_lock has no fence between publishing its snapshot and the section's loads"
#define FLIP_EXPECTED "use-after-reclaim"
#define FLIP_WEAK 1
#include "flip-rcu.c"
