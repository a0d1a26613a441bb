/*
 * flip-rcu.c: a small correct RCU in C, for rcutorture's C path.
 *
 * Readers publish a snapshot of the global counter's phase bit in their own
 * counter; a grace period flips the phase twice and after each flip waits for
 * every reader still running in the old phase (the two-flip scheme of
 * liburcu's urcu-mb, written here from scratch). call_rcu queues heads on a
 * mutex-protected FIFO list that a background thread drains: it takes the
 * whole list, waits one grace period and invokes the batch in order.
 *
 * The planted-bug examples beside this file include it with one FLIP_BUG_*
 * defined; each bug sits under its #ifdef below.
 */
#include <rcutorture.h>

#ifndef FLIP_NAME
#define FLIP_NAME "c-flip"
#define FLIP_DESCRIPTION "counter-flip RCU in C with a call_rcu thread (examples/c/flip-rcu.c)"
#define FLIP_EXPECTED ""
#define FLIP_WEAK 0
#endif

#define MAX_THREADS 256
#define GP_PHASE 0x10000u   /* the phase bit of gp_ctr and of a reader's snapshot */
#define GP_ONLINE 1u        /* a non-zero snapshot means "inside a section" */
#define SPINS_BEFORE_SLEEP 64

/* ---- a futex mutex (0 free, 1 locked, 2 locked with waiters) -------------- */

static void mutex_lock(volatile uint32_t *m) {
  uint32_t c = rt_cmpxchg(m, 0, 1, RT_ACQUIRE);
  if (c == 0) return;
  if (c != 2) c = rt_exchange(m, 2, RT_ACQUIRE);
  while (c != 0) {
    rt_wait(m, 2, -1);
    c = rt_exchange(m, 2, RT_ACQUIRE);
  }
}

static void mutex_unlock(volatile uint32_t *m) {
  if (rt_fetch_add(m, (uint32_t)-1, RT_RELEASE) != 1) {
    rt_store(m, 0, RT_RELEASE);
    rt_wake(m, 1);
  }
}

/* ---- readers ------------------------------------------------------------- */

/* A cache line each, as liburcu's rcu_reader: packed side by side, every
 * section's store would take the neighbours' counters from core to core. */
struct reader {
  volatile uint32_t ctr;  /* 0 outside a section, else GP_ONLINE | phase at entry */
} __attribute__((aligned(64)));

static struct reader readers[MAX_THREADS];
static volatile uint32_t reader_slots;  /* high-water mark of registered slots */
static volatile uint32_t gp_ctr = GP_ONLINE;
static _Thread_local struct reader *me;
static _Thread_local uint32_t nesting;

static void flip_register_thread(int slot) {
  if (slot < 0 || slot >= MAX_THREADS) rt_abort("flip-rcu: thread slot out of range");
  me = &readers[slot];
  uint32_t want = (uint32_t)slot + 1;
  uint32_t seen = rt_load(&reader_slots, RT_RELAXED);
  while (seen < want) {
    uint32_t got = rt_cmpxchg(&reader_slots, seen, want, RT_SEQ_CST);
    if (got == seen) break;
    seen = got;
  }
}

static void flip_unregister_thread(void) {
  RT_ASSERT(nesting == 0);
  me = NULL;
}

static void flip_read_lock(void) {
  if (nesting++ != 0) return;
  rt_store(&me->ctr, rt_load(&gp_ctr, RT_RELAXED), RT_RELAXED);
  rt_point("read_lock:after-publish");
#ifndef FLIP_BUG_NO_READER_FENCE
  rt_fence(); /* our snapshot is visible before the section's loads (pairs with the flip's fence) */
#endif
}

static void flip_read_unlock(void) {
  RT_ASSERT(nesting > 0);
  if (--nesting != 0) return;
  rt_fence(); /* the section's loads are done before the snapshot is cleared */
  rt_store(&me->ctr, 0, RT_RELEASE);
}

/* ---- grace periods ------------------------------------------------------- */

static volatile uint32_t gp_lock;
static volatile uint32_t gp_seq;        /* rcu_seq: 2 * completed, +1 while one runs */
static volatile uint32_t gp_count;      /* counter: grace periods completed */

/* Whether a reader's snapshot holds up the current phase. */
static int blocks_phase(uint32_t snap, uint32_t gp) {
  return snap != 0 && ((snap ^ gp) & GP_PHASE);
}

static void wait_for_old_readers(void) {
  uint32_t gp = rt_load(&gp_ctr, RT_RELAXED);
  uint32_t n = rt_load(&reader_slots, RT_ACQUIRE);
  for (uint32_t i = 0; i < n; i++) {
    for (int spins = 0; blocks_phase(rt_load(&readers[i].ctr, RT_ACQUIRE), gp); spins++) {
      if (spins < SPINS_BEFORE_SLEEP) rt_relax();
      else rt_sleep_us(100);
    }
  }
}

static void flip_synchronize(void) {
  mutex_lock(&gp_lock);
  rt_store(&gp_seq, rt_load(&gp_seq, RT_RELAXED) + 1, RT_RELAXED);
  rt_fence(); /* the caller's unpublish is visible before we read any reader's snapshot */
  for (int phase = 0; phase < 2; phase++) {
    rt_store(&gp_ctr, rt_load(&gp_ctr, RT_RELAXED) ^ GP_PHASE, RT_RELAXED);
    rt_point("synchronize:after-flip");
    rt_fence(); /* the flip is visible before we read the snapshots (pairs with read_lock's fence) */
    wait_for_old_readers();
  }
  rt_fence(); /* every reader's section is over before the caller reclaims */
  rt_store(&gp_seq, rt_load(&gp_seq, RT_RELAXED) + 1, RT_RELEASE);
  rt_fetch_add(&gp_count, 1, RT_RELAXED);
  mutex_unlock(&gp_lock);
}

static uint32_t flip_gp_seq(void) { return rt_load(&gp_seq, RT_ACQUIRE); }

/* ---- call_rcu ------------------------------------------------------------ */

static volatile uint32_t cb_lock;
static struct rt_head *volatile cb_head;
static struct rt_head *volatile cb_tail;
static volatile uint32_t cb_event;      /* bumped after every enqueue; the thread waits on it */
static volatile uint32_t cb_invoked;    /* counter */

static void enqueue(struct rt_head *head) {
  mutex_lock(&cb_lock);
  struct rt_head *tail = rt_load_ptr(&cb_tail, RT_RELAXED);
  if (tail) rt_store_ptr(&tail->next, head, RT_RELAXED);
  else rt_store_ptr(&cb_head, head, RT_RELAXED);
  rt_store_ptr(&cb_tail, head, RT_RELAXED);
  mutex_unlock(&cb_lock);
}

static void wake_thread(void) {
  rt_fetch_add(&cb_event, 1, RT_SEQ_CST);
  rt_wake(&cb_event, -1);
}

static void flip_call_rcu(struct rt_head *head, void (*func)(struct rt_head *)) {
  rt_store_ptr(&head->next, NULL, RT_RELAXED);
  rt_store_ptr(&head->func, func, RT_RELAXED);
#ifdef FLIP_BUG_WAKE_BEFORE_ENQUEUE
  wake_thread();   /* the thread may look, find nothing and sleep before the enqueue */
  rt_point("call_rcu:after-wake");
  enqueue(head);
#else
  enqueue(head);
  rt_point("call_rcu:after-enqueue");
  wake_thread();
#endif
}

static struct rt_head *take_all(void) {
  mutex_lock(&cb_lock);
  struct rt_head *h = rt_load_ptr(&cb_head, RT_RELAXED);
  rt_store_ptr(&cb_head, NULL, RT_RELAXED);
  rt_store_ptr(&cb_tail, NULL, RT_RELAXED);
  mutex_unlock(&cb_lock);
  return h;
}

static void call_rcu_thread(int slot) {
  (void)slot;
  while (!rt_should_stop()) {
    uint32_t seen = rt_load(&cb_event, RT_ACQUIRE);
#ifdef FLIP_BUG_TAKE_AFTER_GP
    /* Peeks, waits, then takes: heads queued during the grace period ride along without one. */
    if (rt_load_ptr(&cb_head, RT_ACQUIRE)) flip_synchronize();
    struct rt_head *h = take_all();
#else
    struct rt_head *h = take_all();
#endif
    if (!h) {
      /* Sleep until an enqueue bumps the event; slices so that a stop is noticed. */
      while (rt_load(&cb_event, RT_ACQUIRE) == seen && !rt_should_stop()) rt_wait(&cb_event, seen, 200);
      continue;
    }
#ifndef FLIP_BUG_TAKE_AFTER_GP
    flip_synchronize(); /* every head in the batch was queued before this grace period began */
#endif
    while (h) {
      struct rt_head *next = rt_load_ptr(&h->next, RT_RELAXED);
      void (*func)(struct rt_head *) = rt_load_ptr(&h->func, RT_RELAXED);
      func(h);
      rt_fetch_add(&cb_invoked, 1, RT_RELAXED);
      h = next;
    }
  }
}

/* drain_call_rcu: a marker on our stack goes through the FIFO behind everything queued before. */
struct drain_marker {
  struct rt_head head;
  volatile uint32_t done;
};

static void drain_done(struct rt_head *head) {
  struct drain_marker *m = (struct drain_marker *)head;
  rt_store(&m->done, 1, RT_RELEASE);
  rt_wake(&m->done, -1);
}

static void flip_drain(void) {
  struct drain_marker m;
  rt_store(&m.done, 0, RT_RELAXED);
  flip_call_rcu(&m.head, drain_done);
  while (rt_load(&m.done, RT_ACQUIRE) == 0) rt_wait(&m.done, 0, -1);
}

/* ---- the descriptor ------------------------------------------------------ */

static const struct rt_thread threads[] = {{"call_rcu", call_rcu_thread}, {NULL, NULL}};
static const struct rt_counter counters[] = {
  {"gps", "grace periods", "grace periods", "grace periods completed by synchronize", &gp_count},
  {"invoked", "callbacks invoked", "callbacks", "callbacks the call_rcu thread invoked", &cb_invoked},
  {NULL, NULL, NULL, NULL, NULL},
};
static const char *const points[] = {
  "read_lock:after-publish", "synchronize:after-flip", "call_rcu:after-enqueue", "call_rcu:after-wake", NULL,
};

static const struct rt_flavor flip_rcu = {
  .name = FLIP_NAME,
  .description = FLIP_DESCRIPTION,
  .provenance = "written for rcutorture from scratch (two-flip grace periods as in liburcu's urcu-mb)",
  .caps = RT_CAP_CALL_RCU | RT_CAP_DRAIN | RT_CAP_FIFO,
  .expected = FLIP_EXPECTED,
  .scenario = NULL,
  .needs_weak_memory = FLIP_WEAK,
  .register_thread = flip_register_thread,
  .unregister_thread = flip_unregister_thread,
  .read_lock = flip_read_lock,
  .read_unlock = flip_read_unlock,
  .synchronize = flip_synchronize,
  .call_rcu = flip_call_rcu,
  .drain = flip_drain,
  .gp_seq = flip_gp_seq,
  .threads = threads,
  .counters = counters,
  .points = points,
};

RT_FLAVORS(&flip_rcu);
