/*
 * qemu/thread.h for rcutorture's QEMU mode: QEMU's thread primitives as
 * futex-style objects on 32-bit cells of the shared memory, through the ABI
 * (so every lock, wait and wake is a Platform call). Written for rcutorture.
 *
 * Semantics kept from QEMU because postings depend on them:
 * - qemu_sem_timedwait() returns 0 when it took the semaphore, -1 on timeout;
 * - qemu_event_* is a manual-reset event: set wakes every waiter, wait
 *   returns at once while set, reset only clears a set event;
 * - qemu_thread_create() does not start a thread: it records the function
 *   (util/rcu.c's call_rcu thread), and the flavor runs it as the harness's
 *   background thread of the same name.
 */
#ifndef QEMU_THREAD_H
#define QEMU_THREAD_H

#include <stdint.h>
#include <stdbool.h>
#include "rcutorture.h"
#include "qemu-compat-points.h"

typedef struct QemuMutex {
  uint32_t state; /* 0 free, 1 locked, 2 locked with waiters */
  bool initialized;
} QemuMutex;

typedef struct QemuRecMutex {
  QemuMutex m;
  uint32_t owner; /* thread id + 1 of the holder, 0 when free */
  uint32_t depth;
} QemuRecMutex;

typedef struct QemuCond {
  uint32_t seq; /* bumped by every signal/broadcast; waiters sleep on it */
  bool initialized;
} QemuCond;

typedef struct QemuSemaphore {
  uint32_t count;
  bool initialized;
} QemuSemaphore;

typedef struct QemuEvent {
  uint32_t value; /* QC_EV_SET, QC_EV_FREE or QC_EV_BUSY (free, with waiters) */
  bool initialized;
} QemuEvent;

typedef struct QemuSpin {
  uint32_t value;
} QemuSpin;

typedef struct QemuThread {
  int index; /* into the recorded threads; -1 when none */
} QemuThread;

#define QEMU_THREAD_JOINABLE 0
#define QEMU_THREAD_DETACHED 1

void qemu_mutex_init(QemuMutex *m);
void qemu_mutex_destroy(QemuMutex *m);
void qemu_mutex_lock(QemuMutex *m);
int qemu_mutex_trylock(QemuMutex *m); /* 0 when taken, else -EBUSY */
void qemu_mutex_unlock(QemuMutex *m);

void qemu_rec_mutex_init(QemuRecMutex *m);
void qemu_rec_mutex_destroy(QemuRecMutex *m);
void qemu_rec_mutex_lock(QemuRecMutex *m);
int qemu_rec_mutex_trylock(QemuRecMutex *m);
void qemu_rec_mutex_unlock(QemuRecMutex *m);

void qemu_cond_init(QemuCond *c);
void qemu_cond_destroy(QemuCond *c);
void qemu_cond_signal(QemuCond *c);
void qemu_cond_broadcast(QemuCond *c);
void qemu_cond_wait(QemuCond *c, QemuMutex *m);
bool qemu_cond_timedwait(QemuCond *c, QemuMutex *m, int ms); /* false on timeout */

void qemu_sem_init(QemuSemaphore *s, int init);
void qemu_sem_destroy(QemuSemaphore *s);
void qemu_sem_post(QemuSemaphore *s);
void qemu_sem_wait(QemuSemaphore *s);
int qemu_sem_timedwait(QemuSemaphore *s, int ms); /* 0 when taken, -1 on timeout */

void qemu_event_init(QemuEvent *ev, bool init);
void qemu_event_destroy(QemuEvent *ev);
void qemu_event_set(QemuEvent *ev);
void qemu_event_reset(QemuEvent *ev);
void qemu_event_wait(QemuEvent *ev);
bool qemu_event_timedwait(QemuEvent *ev, int ms); /* true when set */

static inline void qemu_spin_init(QemuSpin *s) { rt_store(&s->value, 0, RT_RELAXED); }
static inline void qemu_spin_lock(QemuSpin *s) {
  while (rt_exchange(&s->value, 1, RT_ACQUIRE) != 0) {
    while (rt_load(&s->value, RT_RELAXED) != 0) rt_relax();
  }
}
static inline bool qemu_spin_trylock(QemuSpin *s) { return rt_exchange(&s->value, 1, RT_ACQUIRE) != 0; }
static inline bool qemu_spin_locked(QemuSpin *s) { return rt_load(&s->value, RT_RELAXED) != 0; }
static inline void qemu_spin_unlock(QemuSpin *s) { rt_store(&s->value, 0, RT_RELEASE); }
static inline void qemu_spin_destroy(QemuSpin *s) { (void)s; }

void qemu_thread_create(QemuThread *thread, const char *name, void *(*start_routine)(void *), void *arg, int mode);
void *qemu_thread_join(QemuThread *thread);
void qemu_thread_get_self(QemuThread *thread);
bool qemu_thread_is_self(QemuThread *thread);
__attribute__((noreturn)) void qemu_thread_exit(void *retval);

/*
 * Named preemption points around the blocking calls, named after the caller
 * (qemu-compat-points.h). The functions themselves are (qemu_mutex_lock)...
 */
#define qemu_mutex_lock(m) do { (qemu_mutex_lock)(m); QC_POINT("in-lock"); } while (0)
#define qemu_event_wait(ev) do { QC_POINT("before-wait"); (qemu_event_wait)(ev); } while (0)
#define qemu_event_timedwait(ev, ms) ({ QC_POINT("before-wait"); (qemu_event_timedwait)(ev, ms); })
#define qemu_sem_wait(s) do { QC_POINT("before-wait"); (qemu_sem_wait)(s); } while (0)
#define qemu_sem_timedwait(s, ms) ({ QC_POINT("before-wait"); (qemu_sem_timedwait)(s, ms); })
#define qemu_cond_wait(c, m) do { QC_POINT("before-wait"); (qemu_cond_wait)(c, m); } while (0)
#define qemu_cond_timedwait(c, m, ms) ({ QC_POINT("before-wait"); (qemu_cond_timedwait)(c, m, ms); })

#endif /* QEMU_THREAD_H */
