/*
 * rcutorture.h: the C flavor ABI of rcutorture.
 *
 * A C RCU implementation is compiled to a wasm32 module whose memory is the
 * run's shared heap. Every shared-memory access that matters to the algorithm,
 * and every blocking or timing call, goes through the imports below: they are
 * the harness's Platform (lib/platform/platform.ts) as C functions. Under
 * `--engine sim` each import is a scheduling point, and the TSO model buffers
 * the relaxed and release stores made through rt_store/rt_exchange...; plain
 * C loads and stores go straight to memory and are NOT scheduling points.
 *
 * Memory is byte-addressed in C; the Platform is addressed by 32-bit cell
 * (cell = pointer >> 2), so every atomic object is a 4-byte aligned uint32_t.
 * Sub-word atomics are not in the ABI: rt_load_u8/rt_store_u8 below emulate
 * them on the containing word (a relaxed byte store becomes a CAS loop).
 *
 * Host facts: wasm32 is ILP32 (int, long and pointers are 32 bits); there is
 * no libc (memset/memcpy come from include/rcutorture-rt.c, compiled into
 * every module), no malloc, no fork, no signals. No __attribute__((constructor)):
 * wasm-ld (no entry point) runs constructors before EVERY exported call, in
 * every thread; put one-time set-up in static initializers.
 *
 * A C file declares one or more `struct rt_flavor` and lists them once with
 * RT_FLAVORS(&a, &b). See docs/writing-a-flavor.md ("Writing a flavor in C").
 */
#ifndef RCUTORTURE_H
#define RCUTORTURE_H

#include <stdint.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RT_IMPORT(name) __attribute__((import_module("env"), import_name(#name)))
#define RT_EXPORT(name) __attribute__((export_name(#name), used))

/* Memory orders: the Platform's MemoryOrder. */
enum rt_order { RT_RELAXED = 0, RT_ACQUIRE = 1, RT_RELEASE = 2, RT_SEQ_CST = 3 };

/* rt_wait results, as Atomics.wait reports them. */
enum rt_wait_result { RT_WAIT_OK = 0, RT_WAIT_NOT_EQUAL = 1, RT_WAIT_TIMED_OUT = 2 };

/* ---- The Platform as imports ---------------------------------------- */

RT_IMPORT(rt_load) uint32_t rt_load(const volatile uint32_t *p, int order);
RT_IMPORT(rt_store) void rt_store(volatile uint32_t *p, uint32_t v, int order);
RT_IMPORT(rt_exchange) uint32_t rt_exchange(volatile uint32_t *p, uint32_t v, int order);
/* Returns the value seen: success iff it equals `expected`. */
RT_IMPORT(rt_cmpxchg) uint32_t rt_cmpxchg(volatile uint32_t *p, uint32_t expected, uint32_t desired, int order);
/* Return the value before the operation. */
RT_IMPORT(rt_fetch_add) uint32_t rt_fetch_add(volatile uint32_t *p, uint32_t v, int order);
RT_IMPORT(rt_fetch_or) uint32_t rt_fetch_or(volatile uint32_t *p, uint32_t v, int order);
RT_IMPORT(rt_fetch_and) uint32_t rt_fetch_and(volatile uint32_t *p, uint32_t v, int order);
/* Full memory barrier (smp_mb). */
RT_IMPORT(rt_fence) void rt_fence(void);
/*
 * Futex wait: sleeps while *p == expected, until woken or timeout_ms passes
 * (timeout_ms < 0: forever). May return RT_WAIT_OK spuriously: re-check.
 */
RT_IMPORT(rt_wait) int rt_wait(const volatile uint32_t *p, uint32_t expected, int32_t timeout_ms);
/* Wakes up to `count` waiters on p (count < 0: all); returns how many. */
RT_IMPORT(rt_wake) int rt_wake(const volatile uint32_t *p, int32_t count);
RT_IMPORT(rt_sleep_us) void rt_sleep_us(uint32_t us);
/* Monotonic milliseconds (fractional) since the run started. */
RT_IMPORT(rt_now_ms) double rt_now_ms(void);
/* Spin-loop hint (cpu_relax): lets the simulation engine schedule others. */
RT_IMPORT(rt_relax) void rt_relax(void);
/*
 * A named preemption point ("function:where"). The string must be a constant:
 * it is decoded once per pointer.
 */
RT_IMPORT(rt_point) void rt_point(const char *name);
/* Non-zero once background threads must return from their run(). */
RT_IMPORT(rt_should_stop) int rt_should_stop(void);
/* Calls the harness's callback `fn` on `head` (used by the trampolines). */
RT_IMPORT(rt_invoke) void rt_invoke(int fn, void *head);
/* An assertion failed in C code: the run reports a worker-crash with msg. Does not return. */
RT_IMPORT(rt_abort) __attribute__((noreturn)) void rt_abort(const char *msg);

/*
 * Ends the calling background thread as if its run() had returned: for a
 * service loop that never returns (QEMU's call_rcu_thread is for (;;)).
 * Call it with no lock held. Does not return.
 */
RT_IMPORT(rt_thread_exit) __attribute__((noreturn)) void rt_thread_exit(void);

#define RT_ASSERT(cond) \
  do { if (!(cond)) rt_abort(__FILE__ ": assertion failed: " #cond); } while (0)

/* ---- Convenience: pointers and sub-words ---------------------------- */

/* Pointers are 32 bits on wasm32: they travel through the 32-bit cells. */
#define rt_load_ptr(pp, order) ((void *)(uintptr_t)rt_load((const volatile uint32_t *)(pp), (order)))
#define rt_store_ptr(pp, v, order) rt_store((volatile uint32_t *)(pp), (uint32_t)(uintptr_t)(v), (order))
#define rt_exchange_ptr(pp, v, order) \
  ((void *)(uintptr_t)rt_exchange((volatile uint32_t *)(pp), (uint32_t)(uintptr_t)(v), (order)))

static inline volatile uint32_t *rt__word_of(const volatile void *p) {
  return (volatile uint32_t *)((uintptr_t)p & ~(uintptr_t)3);
}
static inline unsigned rt__shift_of(const volatile void *p) { return ((uintptr_t)p & 3u) * 8u; }

static inline uint8_t rt_load_u8(const volatile uint8_t *p, int order) {
  return (uint8_t)(rt_load(rt__word_of(p), order) >> rt__shift_of(p));
}
/* A byte store on the containing word: a CAS loop, so never torn. */
static inline void rt_store_u8(volatile uint8_t *p, uint8_t v, int order) {
  volatile uint32_t *w = rt__word_of(p);
  unsigned sh = rt__shift_of(p);
  uint32_t old = rt_load(w, RT_RELAXED);
  for (;;) {
    uint32_t want = (old & ~(0xffu << sh)) | ((uint32_t)v << sh);
    uint32_t seen = rt_cmpxchg(w, old, want, order == RT_RELAXED ? RT_RELAXED : RT_SEQ_CST);
    if (seen == old) return;
    old = seen;
  }
}

/* ---- The flavor descriptor ------------------------------------------ */

/*
 * An RCU callback head: two words, the layout of QEMU's struct rcu_head on
 * wasm32. The harness's callback nodes begin with one, so the pointer
 * call_rcu receives may be linked into the flavor's own lists.
 */
struct rt_head {
  struct rt_head *next;
  void (*func)(struct rt_head *head);
};

/* Capabilities (FlavorCaps). */
#define RT_CAP_CALL_RCU (1u << 0)
#define RT_CAP_DRAIN    (1u << 1)
#define RT_CAP_BARRIER  (1u << 2)
#define RT_CAP_FORCE    (1u << 3)
#define RT_CAP_FIFO     (1u << 4) /* callbacks of one producer run in queue order */
#define RT_CAP_QSBR     (1u << 5) /* readers announce quiescent states, may go offline */

/* A background thread (the call_rcu thread...): run() returns once rt_should_stop(). */
struct rt_thread {
  const char *name;
  /* `slot` is the thread slot it may register as a reader with. */
  void (*run)(int slot);
};

/* A counter the flavor reports; the harness reads *cell itself (no call). */
struct rt_counter {
  const char *key;
  const char *label;
  /* "grace periods", "callbacks", "readers" or "unsolicited" (see CounterSpec). */
  const char *group;
  const char *description;
  const volatile uint32_t *cell;
};

struct rt_flavor {
  const char *name;
  const char *description;
  const char *provenance;
  uint32_t caps;                 /* RT_CAP_* */
  /* Comma-separated failure classes the suite must report; "" for a correct flavor. */
  const char *expected;
  /* The scenario that targets its bug, or NULL. */
  const char *scenario;
  /* Non-zero: only a weak-memory (TSO) simulation can expose its bug. */
  int needs_weak_memory;

  /* Entry points. Required: */
  void (*register_thread)(int slot);
  void (*unregister_thread)(void);
  void (*read_lock)(void);
  void (*read_unlock)(void);
  void (*synchronize)(void);
  void (*call_rcu)(struct rt_head *head, void (*func)(struct rt_head *head));
  /* Optional (NULL when absent): */
  void (*drain)(void);
  void (*barrier)(void);
  void (*force)(void);
  /* Linux's rcu_seq: 2 * completed grace periods, +1 while one is in progress. */
  uint32_t (*gp_seq)(void);
  void (*quiescent_state)(void);
  void (*offline)(void);
  void (*online)(void);
  /* Kick a busy reader: to notify, add 1 to *cell and rt_wake(cell, -1). */
  void (*add_force_notifier)(volatile uint32_t *cell);

  /* Terminated by an entry with name NULL; NULL for none. */
  const struct rt_thread *threads;
  /* Terminated by an entry with key NULL; NULL for none. */
  const struct rt_counter *counters;
  /* The names it passes to rt_point, NULL-terminated; NULL when unknown. */
  const char *const *points;
};

/*
 * Lists the file's flavors: RT_FLAVORS(&rcu_a, &rcu_b); at file scope, once
 * per module. Initial state is the C file's static initializers: the harness
 * initializes the image once per run, before any thread starts.
 */
#define RT_FLAVORS(...)                                                     \
  static const struct rt_flavor *const rt__flavor_list[] = {__VA_ARGS__, NULL}; \
  RT_EXPORT(rt_flavors) const struct rt_flavor *const *rt_flavors(void) { return rt__flavor_list; }

#ifdef __cplusplus
}
#endif
#endif /* RCUTORTURE_H */
