/*
 * Named preemption points of rcutorture's QEMU mode. The tree's code names
 * none, so the host layer marks where QEMU code publishes or blocks, named
 * after the calling function: "enqueue:after-exchange" (qatomic_xchg),
 * "wait_for_readers:before-wait" (qemu_event_wait, qemu_sem_*wait,
 * qemu_cond_*wait), "rcu_register_thread:in-lock" (qemu_mutex_lock). A
 * scenario's `points` globs and --preempt stretch these windows on the
 * threads engine; the sim engine schedules at every ABI call anyway.
 */
#ifndef QEMU_COMPAT_POINTS_H
#define QEMU_COMPAT_POINTS_H

/* Builds "<func>:<where>" into `slot` once (per call site), then passes it to rt_point. */
void qc_point_at(char *slot, unsigned size, const char *func, const char *where);

#define QC_POINT(where) do { \
    static char qc__point_name[96]; \
    qc_point_at(qc__point_name, sizeof qc__point_name, __func__, where); \
  } while (0)
#endif
