/*
 * rcutorture-qemu.c: the flavor a QEMU source tree's util/rcu.c becomes in
 * rcutorture's QEMU mode (`rcutorture --qemu <tree>`). Written for rcutorture.
 *
 * One translation unit: our host layer (qemu-compat.c), then the tree's
 * util/rcu.c and util/notify.c, compiled unchanged against the headers in
 * this directory and the tree's own include/qemu/{rcu,queue,notify}.h (so the
 * read side, QLIST_REMOVE and the notifier lists are QEMU's own). torture/c/
 * qemu-tree.ts passes:
 *   QEMU_COMPAT_RCU_C, QEMU_COMPAT_NOTIFY_C  the tree's files, as "path" strings
 *   QEMU_COMPAT_FLAVOR_NAME, QEMU_COMPAT_PROVENANCE  run name (git describe) and origin
 *   QEMU_COMPAT_HAVE_FORCE_RCU  when the tree declares force_rcu(void)
 *
 * One intervention: util/rcu.c initialises itself in a constructor, and
 * clang's wasm-ld (with no _initialize) runs constructors before EVERY
 * exported call. The constructor attribute is therefore neutralised while the
 * file is compiled, and the glue calls rcu_init() exactly once, from the first
 * thread that enters the flavor.
 */
#include "qemu-compat.c"

#ifndef QEMU_COMPAT_RCU_C
#error "QEMU_COMPAT_RCU_C (the tree's util/rcu.c) is not defined: build through rcutorture --qemu"
#endif

#define __constructor__ __unused__ /* rcu_init: called once by qc_init_once() */
#include QEMU_COMPAT_RCU_C
#undef __constructor__
#ifdef QEMU_COMPAT_NOTIFY_C
#include QEMU_COMPAT_NOTIFY_C
#endif

#ifndef QEMU_COMPAT_FLAVOR_NAME
#define QEMU_COMPAT_FLAVOR_NAME "qemu-tree"
#endif
#ifndef QEMU_COMPAT_PROVENANCE
#define QEMU_COMPAT_PROVENANCE "a QEMU source tree's util/rcu.c"
#endif

/* ---- one-time initialisation ------------------------------------------------ */

enum { QC_INIT_NONE = 0, QC_INIT_RUNNING = 1, QC_INIT_DONE = 2 };
static uint32_t qc_init_state;
/* This thread has seen the initialisation done: no ABI call on later entries. */
static __thread bool qc_init_seen;

/*
 * rcu_init() registers the thread that runs it (QEMU's main thread). The
 * harness registers every thread itself, so that registration is undone at
 * once: the registry holds exactly the threads the harness registered.
 */
static void qc_init_once(void) {
  if (qc_init_seen) return;
  uint32_t s = rt_cmpxchg(&qc_init_state, QC_INIT_NONE, QC_INIT_RUNNING, RT_ACQUIRE);
  if (s == QC_INIT_NONE) {
    rcu_init();
    rcu_unregister_thread();
    rt_store(&qc_init_state, QC_INIT_DONE, RT_RELEASE);
    rt_wake(&qc_init_state, -1);
  } else {
    while (rt_load(&qc_init_state, RT_ACQUIRE) != QC_INIT_DONE) rt_wait(&qc_init_state, QC_INIT_RUNNING, -1);
  }
  qc_init_seen = true;
}

/* ---- entry points ------------------------------------------------------------- */

static void qc_register_thread(int slot) {
  (void)slot; /* QEMU knows a reader by its thread-local rcu_reader */
  qc_init_once();
  rcu_register_thread();
}

static void qc_unregister_thread(void) { rcu_unregister_thread(); }
static void qc_read_lock(void) { rcu_read_lock(); }
static void qc_read_unlock(void) { rcu_read_unlock(); }

static void qc_synchronize(void) {
  qc_init_once();
  synchronize_rcu();
}

static void qc_call_rcu(struct rt_head *head, void (*func)(struct rt_head *)) {
  _Static_assert(sizeof(struct rt_head) == sizeof(struct rcu_head), "rt_head is QEMU's rcu_head");
  qc_init_once();
  call_rcu1((struct rcu_head *)head, (RCUCBFunc *)func);
}

static void qc_drain(void) {
  qc_init_once();
  drain_call_rcu();
}

#ifdef QEMU_COMPAT_HAVE_FORCE_RCU
static void qc_force(void) {
  qc_init_once();
  force_rcu();
}
#define QC_FORCE qc_force
#define QC_CAP_FORCE RT_CAP_FORCE
#else
#define QC_FORCE NULL
#define QC_CAP_FORCE 0
#endif

/* ---- force notifiers: a kick adds one to the reader's cell and wakes it --------- */

#define QC_MAX_KICKS 4

struct qc_kick {
  Notifier notifier;
  volatile uint32_t *cell;
};

/* Per reader thread, like QEMU's vCPU notifiers: the updater calls them from outside. */
static __thread struct qc_kick qc_kicks[QC_MAX_KICKS];
static __thread int qc_kick_count;
static uint32_t qc_kicks_total;

static void qc_kick_notify(Notifier *n, void *data) {
  (void)data;
  struct qc_kick *k = container_of(n, struct qc_kick, notifier);
  rt_fetch_add(k->cell, 1, RT_SEQ_CST);
  rt_wake(k->cell, -1);
  rt_fetch_add(&qc_kicks_total, 1, RT_RELAXED);
}

/* rcu_add_force_rcu_notifier, once per cell: a thread re-registering keeps its notifier. */
static void qc_add_force_notifier(volatile uint32_t *cell) {
  for (int i = 0; i < qc_kick_count; i++) {
    if (qc_kicks[i].cell == cell) return;
  }
  if (qc_kick_count == QC_MAX_KICKS) rt_abort("add_force_notifier: too many notifiers for one thread");
  struct qc_kick *k = &qc_kicks[qc_kick_count++];
  k->notifier.notify = qc_kick_notify;
  k->cell = cell;
  qc_init_once();
  rcu_add_force_rcu_notifier(&k->notifier);
}

/* ---- background threads: what qemu_thread_create recorded -------------------------- */

/* util/rcu.c creates one thread, "call_rcu": it is background thread 0. */
static void qc_run_call_rcu(int slot) {
  (void)slot; /* call_rcu_thread registers itself */
  qc_init_once();
  qc_run_thread(0);
}

static const struct rt_thread qc_background[] = {
  { "call_rcu", qc_run_call_rcu },
  { NULL, NULL },
};

static const struct rt_counter qc_counters[] = {
  { "kicks", "kicks", "readers", "force notifiers called: a busy reader was asked to leave its section", &qc_kicks_total },
  { NULL, NULL, NULL, NULL, NULL },
};

static const struct rt_flavor qc_flavor = {
  .name = QEMU_COMPAT_FLAVOR_NAME,
  .description = "QEMU util/rcu.c from a source tree, compiled unchanged against rcutorture's QEMU host layer",
  .provenance = QEMU_COMPAT_PROVENANCE,
  .caps = RT_CAP_CALL_RCU | RT_CAP_DRAIN | RT_CAP_FIFO | QC_CAP_FORCE,
  .expected = "",
  .scenario = NULL,
  .needs_weak_memory = 0,
  .register_thread = qc_register_thread,
  .unregister_thread = qc_unregister_thread,
  .read_lock = qc_read_lock,
  .read_unlock = qc_read_unlock,
  .synchronize = qc_synchronize,
  .call_rcu = qc_call_rcu,
  .drain = qc_drain,
  .barrier = NULL,
  .force = QC_FORCE,
  .gp_seq = NULL,
  .add_force_notifier = qc_add_force_notifier,
  .threads = qc_background,
  .counters = qc_counters,
  /* Named after the tree's functions (qemu-compat-points.h): not known in advance. */
  .points = NULL,
};

RT_FLAVORS(&qc_flavor)
