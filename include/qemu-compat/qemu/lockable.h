/*
 * qemu/lockable.h for rcutorture's QEMU mode: QEMU_LOCK_GUARD and
 * WITH_QEMU_LOCK_GUARD over QemuMutex, QemuRecMutex and QemuSpin, released by
 * a cleanup attribute when the scope ends (as QEMU's g_autoptr does).
 */
#ifndef QEMU_LOCKABLE_H
#define QEMU_LOCKABLE_H
#include "qemu/thread.h"

typedef void QemuLockUnlockFunc(void *);

typedef struct QemuLockable {
  void *object;
  QemuLockUnlockFunc *lock;
  QemuLockUnlockFunc *unlock;
} QemuLockable;

static inline void qc__mutex_lock(void *m) { (qemu_mutex_lock)(m); }
static inline void qc__mutex_unlock(void *m) { qemu_mutex_unlock(m); }
static inline void qc__rec_lock(void *m) { qemu_rec_mutex_lock(m); }
static inline void qc__rec_unlock(void *m) { qemu_rec_mutex_unlock(m); }
static inline void qc__spin_lock(void *m) { qemu_spin_lock(m); }
static inline void qc__spin_unlock(void *m) { qemu_spin_unlock(m); }

#define QEMU_MAKE_LOCKABLE(x) (&(QemuLockable){ .object = (x), \
  .lock = _Generic((x), QemuMutex *: qc__mutex_lock, QemuRecMutex *: qc__rec_lock, QemuSpin *: qc__spin_lock), \
  .unlock = _Generic((x), QemuMutex *: qc__mutex_unlock, QemuRecMutex *: qc__rec_unlock, QemuSpin *: qc__spin_unlock) })
#define QEMU_MAKE_LOCKABLE_NONNULL(x) QEMU_MAKE_LOCKABLE(x)

static inline void qemu_lockable_lock(QemuLockable *x) { x->lock(x->object); }
static inline void qemu_lockable_unlock(QemuLockable *x) { x->unlock(x->object); }

static inline QemuLockable *qc__lockable_auto_lock(QemuLockable *x) {
  qemu_lockable_lock(x);
  return x;
}
static inline void qc__lockable_auto_unlock(QemuLockable **x) {
  if (*x) qemu_lockable_unlock(*x);
}

#define QC__GLUE2(a, b) a##b
#define QC__GLUE(a, b) QC__GLUE2(a, b)

/* Holds the lock until the end of the enclosing scope. */
#define QEMU_LOCK_GUARD(x) \
  __attribute__((cleanup(qc__lockable_auto_unlock), unused)) QemuLockable * \
  QC__GLUE(qemu_lockable_auto, __COUNTER__) = qc__lockable_auto_lock(QEMU_MAKE_LOCKABLE(x))

/* Holds the lock for the statement that follows (leaving it by break/return also unlocks). */
#define WITH_QEMU_LOCK_GUARD(x) WITH_QEMU_LOCK_GUARD_((x), QC__GLUE(qemu_lockable_auto, __COUNTER__))
#define WITH_QEMU_LOCK_GUARD_(x, var) \
  for (__attribute__((cleanup(qc__lockable_auto_unlock))) QemuLockable *var = \
         qc__lockable_auto_lock(QEMU_MAKE_LOCKABLE(x)); \
       var; qc__lockable_auto_unlock(&var), var = NULL)
#endif
