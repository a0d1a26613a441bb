/*
 * qemu-compat.c: the host side of rcutorture's QEMU mode, written for
 * rcutorture. Futex-style QemuMutex, QemuRecMutex, QemuCond, QemuSemaphore and
 * QemuEvent on 32-bit cells through the ABI; the BQL; recorded threads; a
 * small allocator for g_malloc; and the stop points where a background
 * thread (QEMU's call_rcu thread never returns) ends when the harness asks.
 *
 * Compiled as part of rcutorture-qemu.c's translation unit.
 */
#include "qemu/osdep.h"
#include "qemu/thread.h"
#include "qemu/main-loop.h"

/* How long a background thread blocks before it looks at its stop flag again. */
#define QC_STOP_POLL_MS 100

/* ---- per-thread state ------------------------------------------------------ */

/* QemuMutexes (and the BQL) this thread holds: it may only be stopped holding none. */
static __thread int qc_locks_held;
/* Non-zero in a harness background thread running a recorded QEMU thread. */
static __thread int qc_in_background;
/* Whether this thread holds the BQL (bql_locked()). */
static __thread bool qc_holds_bql;
/* Its address identifies the thread (QemuRecMutex owners, qemu_thread_is_self). */
static __thread char qc_self_marker;

static uint32_t qc_self_id(void) { return (uint32_t)(uintptr_t)&qc_self_marker; }

/*
 * Where a background thread ends once the harness asks it to: only at a
 * blocking call and holding no lock, so no other thread is left waiting on
 * something it holds.
 */
static void qc_stop_point(void) {
  if (qc_in_background && qc_locks_held == 0 && rt_should_stop()) rt_thread_exit();
}

/* How long one blocking wait may last: forever, or a slice in a background thread. */
static int32_t qc_wait_slice(void) { return qc_in_background ? QC_STOP_POLL_MS : -1; }

void qc_usleep(unsigned long us) {
  qc_stop_point();
  rt_sleep_us((uint32_t)us);
  qc_stop_point();
}

/* ---- named points ------------------------------------------------------------- */

/*
 * Names are built once per call site and then only read, so rt_point sees one
 * constant string per pointer. Two threads may build the same name at once:
 * they write identical bytes, and the first byte is published last.
 */
void qc_point_at(char *slot, unsigned size, const char *func, const char *where) {
  if (__atomic_load_n(&slot[0], __ATOMIC_ACQUIRE) == 0) {
    char name[96];
    unsigned n = 0;
    for (const char *s = func; *s && n < sizeof name - 1; s++) name[n++] = *s;
    if (n < sizeof name - 1) name[n++] = ':';
    for (const char *s = where; *s && n < sizeof name - 1; s++) name[n++] = *s;
    name[n] = 0;
    if (n >= size) n = size - 1;
    for (unsigned i = 1; i <= n; i++) slot[i] = i == n ? 0 : name[i];
    __atomic_store_n(&slot[0], name[0], __ATOMIC_RELEASE);
  }
  rt_point(slot);
}

/* ---- QemuMutex: the three-state futex mutex ------------------------------- */

enum { QC_UNLOCKED = 0, QC_LOCKED = 1, QC_CONTENDED = 2 };

void qemu_mutex_init(QemuMutex *m) {
  rt_store(&m->state, QC_UNLOCKED, RT_RELAXED);
  m->initialized = true;
}

void qemu_mutex_destroy(QemuMutex *m) {
  if (rt_load(&m->state, RT_RELAXED) != QC_UNLOCKED) rt_abort("qemu_mutex_destroy: mutex is held");
  m->initialized = false;
}

void (qemu_mutex_lock)(QemuMutex *m) {
  uint32_t c = rt_cmpxchg(&m->state, QC_UNLOCKED, QC_LOCKED, RT_ACQUIRE);
  if (c != QC_UNLOCKED) {
    if (c != QC_CONTENDED) c = rt_exchange(&m->state, QC_CONTENDED, RT_ACQUIRE);
    while (c != QC_UNLOCKED) {
      rt_wait(&m->state, QC_CONTENDED, -1);
      c = rt_exchange(&m->state, QC_CONTENDED, RT_ACQUIRE);
    }
  }
  qc_locks_held++;
}

int qemu_mutex_trylock(QemuMutex *m) {
  if (rt_cmpxchg(&m->state, QC_UNLOCKED, QC_LOCKED, RT_ACQUIRE) != QC_UNLOCKED) return -16; /* -EBUSY */
  qc_locks_held++;
  return 0;
}

void qemu_mutex_unlock(QemuMutex *m) {
  uint32_t was = rt_fetch_add(&m->state, (uint32_t)-1, RT_RELEASE);
  if (was == QC_UNLOCKED) rt_abort("qemu_mutex_unlock: mutex is not held");
  qc_locks_held--;
  if (was != QC_LOCKED) {
    rt_store(&m->state, QC_UNLOCKED, RT_RELEASE);
    rt_wake(&m->state, 1);
  }
}

/* ---- QemuRecMutex ------------------------------------------------------------ */

void qemu_rec_mutex_init(QemuRecMutex *m) {
  qemu_mutex_init(&m->m);
  rt_store(&m->owner, 0, RT_RELAXED);
  m->depth = 0;
}

void qemu_rec_mutex_destroy(QemuRecMutex *m) { qemu_mutex_destroy(&m->m); }

void qemu_rec_mutex_lock(QemuRecMutex *m) {
  if (rt_load(&m->owner, RT_RELAXED) == qc_self_id()) {
    m->depth++;
    return;
  }
  qemu_mutex_lock(&m->m);
  rt_store(&m->owner, qc_self_id(), RT_RELAXED);
  m->depth = 1;
}

int qemu_rec_mutex_trylock(QemuRecMutex *m) {
  if (rt_load(&m->owner, RT_RELAXED) == qc_self_id()) {
    m->depth++;
    return 0;
  }
  if (qemu_mutex_trylock(&m->m) != 0) return -16;
  rt_store(&m->owner, qc_self_id(), RT_RELAXED);
  m->depth = 1;
  return 0;
}

void qemu_rec_mutex_unlock(QemuRecMutex *m) {
  if (rt_load(&m->owner, RT_RELAXED) != qc_self_id()) rt_abort("qemu_rec_mutex_unlock: not the owner");
  if (--m->depth > 0) return;
  rt_store(&m->owner, 0, RT_RELAXED);
  qemu_mutex_unlock(&m->m);
}

/* ---- QemuCond: waiters sleep on a sequence that every signal bumps ------------ */

void qemu_cond_init(QemuCond *c) {
  rt_store(&c->seq, 0, RT_RELAXED);
  c->initialized = true;
}

void qemu_cond_destroy(QemuCond *c) { c->initialized = false; }

void qemu_cond_signal(QemuCond *c) {
  rt_fetch_add(&c->seq, 1, RT_SEQ_CST);
  rt_wake(&c->seq, 1);
}

void qemu_cond_broadcast(QemuCond *c) {
  rt_fetch_add(&c->seq, 1, RT_SEQ_CST);
  rt_wake(&c->seq, -1);
}

static int qc_cond_wait_ms(QemuCond *c, QemuMutex *m, int32_t ms) {
  uint32_t seq = rt_load(&c->seq, RT_ACQUIRE);
  qemu_mutex_unlock(m);
  int r = rt_wait(&c->seq, seq, ms);
  (qemu_mutex_lock)(m);
  return r;
}

void (qemu_cond_wait)(QemuCond *c, QemuMutex *m) { qc_cond_wait_ms(c, m, -1); }

bool (qemu_cond_timedwait)(QemuCond *c, QemuMutex *m, int ms) {
  return qc_cond_wait_ms(c, m, ms < 0 ? 0 : ms) != RT_WAIT_TIMED_OUT;
}

/* ---- deadlines for the timed waits ------------------------------------------ */

/* Milliseconds left until `deadline` (0 when past); a slice of it in a background thread. */
static int32_t qc_remaining(double deadline) {
  double left = deadline - rt_now_ms();
  if (left <= 0) return 0;
  int32_t ms = left > 0x7fffffff ? 0x7fffffff : (int32_t)(left + 0.999);
  return qc_in_background && ms > QC_STOP_POLL_MS ? QC_STOP_POLL_MS : ms;
}

/* ---- QemuSemaphore: a counting futex -------------------------------------------- */

void qemu_sem_init(QemuSemaphore *s, int init) {
  rt_store(&s->count, (uint32_t)init, RT_RELAXED);
  s->initialized = true;
}

void qemu_sem_destroy(QemuSemaphore *s) { s->initialized = false; }

void qemu_sem_post(QemuSemaphore *s) {
  rt_fetch_add(&s->count, 1, RT_SEQ_CST);
  rt_wake(&s->count, 1);
}

/* Takes one unit if there is one. */
static bool qc_sem_try(QemuSemaphore *s) {
  uint32_t c = rt_load(&s->count, RT_ACQUIRE);
  while ((int32_t)c > 0) {
    uint32_t seen = rt_cmpxchg(&s->count, c, c - 1, RT_SEQ_CST);
    if (seen == c) return true;
    c = seen;
  }
  return false;
}

void (qemu_sem_wait)(QemuSemaphore *s) {
  while (!qc_sem_try(s)) {
    rt_wait(&s->count, 0, qc_wait_slice());
    qc_stop_point();
  }
}

int (qemu_sem_timedwait)(QemuSemaphore *s, int ms) {
  double deadline = rt_now_ms() + (ms < 0 ? 0 : ms);
  for (;;) {
    if (qc_sem_try(s)) return 0;
    int32_t left = qc_remaining(deadline);
    if (left == 0) return -1;
    rt_wait(&s->count, 0, left);
    qc_stop_point();
  }
}

/*
 * ---- QemuEvent: manual reset, futex on one word --------------------------------
 * SET/FREE/BUSY are chosen so that reset is one fetch_or: SET|FREE = FREE and
 * BUSY|FREE = BUSY (reset leaves an event that already has waiters alone).
 */
enum { QC_EV_SET = 0, QC_EV_FREE = 1, QC_EV_BUSY = 3 };

void qemu_event_init(QemuEvent *ev, bool init) {
  rt_store(&ev->value, init ? QC_EV_SET : QC_EV_FREE, RT_RELAXED);
  ev->initialized = true;
}

void qemu_event_destroy(QemuEvent *ev) { ev->initialized = false; }

void qemu_event_set(QemuEvent *ev) {
  /* The setter's earlier stores must be visible to whoever sees the event set. */
  rt_fence();
  if (rt_load(&ev->value, RT_RELAXED) != QC_EV_SET) {
    if (rt_exchange(&ev->value, QC_EV_SET, RT_SEQ_CST) == QC_EV_BUSY) rt_wake(&ev->value, -1);
  }
}

void qemu_event_reset(QemuEvent *ev) {
  /* A read-modify-write: the caller's later loads come after the reset (QEMU: smp_mb__after_rmw). */
  rt_fetch_or(&ev->value, QC_EV_FREE, RT_SEQ_CST);
}

/* Returns true once the event is set, false when `deadline` (ms, <0: none) passes first. */
static bool qc_event_wait_until(QemuEvent *ev, double deadline) {
  for (;;) {
    uint32_t v = rt_load(&ev->value, RT_ACQUIRE);
    if (v == QC_EV_SET) return true;
    /* Announce a waiter, unless the event was set in between. */
    if (v == QC_EV_FREE && rt_cmpxchg(&ev->value, QC_EV_FREE, QC_EV_BUSY, RT_SEQ_CST) == QC_EV_SET) return true;
    int32_t ms = qc_wait_slice();
    if (deadline >= 0) {
      ms = qc_remaining(deadline);
      if (ms == 0) return rt_load(&ev->value, RT_ACQUIRE) == QC_EV_SET;
    }
    rt_wait(&ev->value, QC_EV_BUSY, ms);
    qc_stop_point();
  }
}

void (qemu_event_wait)(QemuEvent *ev) { qc_event_wait_until(ev, -1); }

bool (qemu_event_timedwait)(QemuEvent *ev, int ms) {
  return qc_event_wait_until(ev, rt_now_ms() + (ms < 0 ? 0 : ms));
}

/* ---- the BQL ------------------------------------------------------------------- */

static QemuMutex qc_bql; /* zero is QC_UNLOCKED: no init needed */

void bql_lock(void) {
  if (qc_holds_bql) rt_abort("bql_lock: BQL already held by this thread");
  qemu_mutex_lock(&qc_bql);
  qc_holds_bql = true;
}

void bql_unlock(void) {
  if (!qc_holds_bql) rt_abort("bql_unlock: BQL not held by this thread");
  qc_holds_bql = false;
  qemu_mutex_unlock(&qc_bql);
}

bool bql_locked(void) { return qc_holds_bql; }

/* ---- threads: recorded by qemu_thread_create, run by the harness ------------------ */

#define QC_MAX_THREADS 4

struct qc_thread_record {
  const char *name;
  void *(*fn)(void *);
  void *arg;
};

static struct qc_thread_record qc_threads[QC_MAX_THREADS];
static uint32_t qc_thread_count;
/* Index + 1 of the recorded thread this harness thread runs; 0 elsewhere. */
static __thread int qc_thread_index;

void qemu_thread_create(QemuThread *thread, const char *name, void *(*start_routine)(void *), void *arg, int mode) {
  (void)mode;
  uint32_t i = rt_fetch_add(&qc_thread_count, 1, RT_SEQ_CST);
  if (i >= QC_MAX_THREADS) rt_abort("qemu_thread_create: more threads than rcutorture's QEMU mode records");
  qc_threads[i] = (struct qc_thread_record){ name, start_routine, arg };
  thread->index = (int)i;
}

void *qemu_thread_join(QemuThread *thread) {
  (void)thread;
  rt_abort("qemu_thread_join: recorded threads run as the harness's background threads and are never joined");
}

void qemu_thread_get_self(QemuThread *thread) { thread->index = qc_thread_index - 1; }

bool qemu_thread_is_self(QemuThread *thread) { return thread->index == qc_thread_index - 1; }

void qemu_thread_exit(void *retval) {
  (void)retval;
  if (!qc_in_background) rt_abort("qemu_thread_exit outside a recorded thread");
  rt_thread_exit();
}

/* Number of recorded threads, and the name of one (NULL past the end). */
static const char *qc_thread_name(uint32_t i) {
  return i < rt_load(&qc_thread_count, RT_ACQUIRE) ? qc_threads[i].name : NULL;
}

/* Runs recorded thread `i` in this harness background thread; returns when stopped. */
static void qc_run_thread(uint32_t i) {
  if (qc_thread_name(i) == NULL) rt_abort("the tree's util/rcu.c created no thread for this background slot");
  qc_in_background = 1;
  qc_thread_index = (int)i + 1;
  qc_threads[i].fn(qc_threads[i].arg);
  /* A recorded thread that returns on its own is done as well. */
  qc_in_background = 0;
}

/* ---- g_malloc: size classes over a static arena ----------------------------------- */

#define QC_ARENA_BYTES (256 * 1024)
#define QC_MIN_CLASS 4  /* 16 bytes */
#define QC_MAX_CLASS 16 /* 64 KiB */

static _Alignas(16) unsigned char qc_arena[QC_ARENA_BYTES];
static uint32_t qc_arena_used;
static void *qc_free_lists[QC_MAX_CLASS + 1];
static QemuSpin qc_alloc_lock;

/* Each block is preceded by 16 bytes whose first word is its size class. */
void *qc_malloc(size_t size) {
  unsigned cls = QC_MIN_CLASS;
  while (cls <= QC_MAX_CLASS && ((size_t)1 << cls) < size) cls++;
  if (cls > QC_MAX_CLASS) rt_abort("g_malloc: request larger than the QEMU mode allocator serves");
  qemu_spin_lock(&qc_alloc_lock);
  unsigned char *block = qc_free_lists[cls];
  if (block) {
    qc_free_lists[cls] = *(void **)(block + 16);
  } else {
    uint32_t need = 16 + ((uint32_t)1 << cls);
    if (qc_arena_used + need > QC_ARENA_BYTES) {
      qemu_spin_unlock(&qc_alloc_lock);
      rt_abort("g_malloc: the QEMU mode arena is exhausted");
    }
    block = qc_arena + qc_arena_used;
    qc_arena_used += need;
  }
  qemu_spin_unlock(&qc_alloc_lock);
  *(uint32_t *)block = cls;
  return block + 16;
}

void qc_free(void *p) {
  if (!p) return;
  unsigned char *block = (unsigned char *)p - 16;
  unsigned cls = *(uint32_t *)block;
  if (cls < QC_MIN_CLASS || cls > QC_MAX_CLASS) rt_abort("g_free: not a block of the QEMU mode allocator");
  qemu_spin_lock(&qc_alloc_lock);
  *(void **)p = qc_free_lists[cls];
  qc_free_lists[cls] = block;
  qemu_spin_unlock(&qc_alloc_lock);
}
