/*
 * qemu/atomic.h for rcutorture's QEMU mode: QEMU's qatomic_* API mapped onto
 * the rcutorture ABI (include/rcutorture.h), so that every atomic access of
 * the tree's util/rcu.c is a Platform call (a scheduling point under
 * --engine sim, TSO-buffered when it is a relaxed or release store).
 *
 * Orders are QEMU's: qatomic_read/set are relaxed; load_acquire/store_release
 * and rcu_read/rcu_set are acquire/release; xchg, cmpxchg and every
 * fetch-op/op-fetch are sequentially consistent.
 *
 * wasm32 cells are 32 bits: objects of 1, 2 and 4 bytes are supported (1 and
 * 2 on their containing word: a store becomes a CAS loop, which under the
 * sim's TSO also drains the store buffer, see docs/qemu-mode.md); a 64-bit
 * qatomic is a compile-time error.
 */
#ifndef QEMU_ATOMIC_H
#define QEMU_ATOMIC_H

#include <stdint.h>
#include <stdbool.h>
#include "rcutorture.h"
#include "qemu-compat-points.h"

/* ---- barriers ------------------------------------------------------------- */

/* Compiler-only barrier: no plain access moves across it; emits no code. */
#define barrier() __atomic_signal_fence(__ATOMIC_SEQ_CST)

/* Full barrier: the Platform's fence (drains the TSO store buffer). */
#define smp_mb() rt_fence()
/*
 * Acquire/release and read/write barriers: the only weak model rcutorture
 * simulates is TSO, which never reorders load-load, store-store or
 * load-store, so these cost nothing there, as on x86: compiler barriers.
 * Mapping them to a full fence would hide a missing smp_mb().
 */
#define smp_mb_release() barrier()
#define smp_mb_acquire() barrier()
#define smp_wmb() barrier()
#define smp_rmb() barrier()
#define smp_read_barrier_depends() barrier()
/* Every ABI read-modify-write is sequentially consistent: nothing to add around it. */
#define smp_mb__before_rmw() barrier()
#define smp_mb__after_rmw() barrier()

/* ---- the sized accessors -------------------------------------------------- */

enum qc_rmw_op { QC_XCHG, QC_ADD, QC_AND, QC_OR, QC_XOR };

static inline uint32_t qc__mask(unsigned size) {
  return size == 1 ? 0xffu : size == 2 ? 0xffffu : 0xffffffffu;
}

/* Loads `size` bytes at p with `order`, zero-extended. */
static inline uint32_t qc__load(const volatile void *p, unsigned size, int order) {
  if (size == 4) return rt_load((const volatile uint32_t *)p, order);
  return (rt_load(rt__word_of(p), order) >> rt__shift_of(p)) & qc__mask(size);
}

/* The new value of the `size`-byte field of `word` at bit `sh` after `op`. */
static inline uint32_t qc__apply(uint32_t word, unsigned sh, unsigned size, int op, uint32_t v) {
  uint32_t mask = qc__mask(size) << sh;
  uint32_t field = (word & mask) >> sh;
  uint32_t out;
  switch (op) {
  case QC_XCHG: out = v; break;
  case QC_ADD: out = field + v; break;
  case QC_AND: out = field & v; break;
  case QC_OR: out = field | v; break;
  default: out = field ^ v; break;
  }
  return (word & ~mask) | ((out << sh) & mask);
}

/*
 * A read-modify-write on the containing word by compare-and-exchange; returns
 * the field's old value. Also how sub-word stores are done (QC_XCHG), so a
 * byte store never tears its neighbours.
 */
static inline uint32_t qc__rmw_cas(volatile void *p, unsigned size, int op, uint32_t v, int order) {
  volatile uint32_t *w = size == 4 ? (volatile uint32_t *)p : rt__word_of(p);
  unsigned sh = size == 4 ? 0 : rt__shift_of(p);
  uint32_t old = rt_load(w, RT_RELAXED);
  for (;;) {
    uint32_t seen = rt_cmpxchg(w, old, qc__apply(old, sh, size, op, v), order);
    if (seen == old) return (old >> sh) & qc__mask(size);
    old = seen;
  }
}

static inline void qc__store(volatile void *p, unsigned size, uint32_t v, int order) {
  if (size == 4) rt_store((volatile uint32_t *)p, v, order);
  else qc__rmw_cas(p, size, QC_XCHG, v, order);
}

/* Returns the old value; the ABI has these natively on full words. */
static inline uint32_t qc__rmw(volatile void *p, unsigned size, int op, uint32_t v, int order) {
  volatile uint32_t *w = (volatile uint32_t *)p;
  if (size == 4) {
    switch (op) {
    case QC_XCHG: return rt_exchange(w, v, order);
    case QC_ADD: return rt_fetch_add(w, v, order);
    case QC_AND: return rt_fetch_and(w, v, order);
    case QC_OR: return rt_fetch_or(w, v, order);
    default: break; /* no fetch_xor in the ABI */
    }
  }
  return qc__rmw_cas(p, size, op, v, order);
}

static inline uint32_t qc__cmpxchg(volatile void *p, unsigned size, uint32_t expected, uint32_t desired, int order) {
  if (size == 4) return rt_cmpxchg((volatile uint32_t *)p, expected, desired, order);
  volatile uint32_t *w = rt__word_of(p);
  unsigned sh = rt__shift_of(p);
  uint32_t mask = qc__mask(size);
  uint32_t old = rt_load(w, RT_RELAXED);
  for (;;) {
    uint32_t field = (old >> sh) & mask;
    if (field != (expected & mask)) return field;
    uint32_t seen = rt_cmpxchg(w, old, qc__apply(old, sh, size, QC_XCHG, desired), order);
    if (seen == old) return field;
    old = seen;
  }
}

/* ---- typed macros ----------------------------------------------------------- */

#define QC__CHECK_SIZE(ptr) \
  _Static_assert(sizeof(*(ptr)) == 1 || sizeof(*(ptr)) == 2 || sizeof(*(ptr)) == 4, \
                 "qatomic_* on an object that is not 1, 2 or 4 bytes: wasm32 cells are 32 bits")
/* A value of *ptr's type as cell bits (pointers are 32 bits on wasm32). */
#define QC__BITS(ptr, v) ((uint32_t)(uintptr_t)(__typeof__(*(ptr)))(v))
#define QC__VALUE(ptr, bits) ((__typeof__(*(ptr)))(uintptr_t)(bits))

#define qc__read_order(ptr, order) ({ QC__CHECK_SIZE(ptr); \
  QC__VALUE(ptr, qc__load((ptr), sizeof(*(ptr)), (order))); })
#define qc__set_order(ptr, i, order) do { QC__CHECK_SIZE(ptr); \
  qc__store((ptr), sizeof(*(ptr)), QC__BITS(ptr, i), (order)); } while (0)
#define qc__fetch_op(ptr, op, n) ({ QC__CHECK_SIZE(ptr); \
  QC__VALUE(ptr, qc__rmw((ptr), sizeof(*(ptr)), (op), QC__BITS(ptr, n), RT_SEQ_CST)); })
#define qc__op_fetch(ptr, op, n, combine) ({ __typeof__(*(ptr)) qc__n = (n); \
  __typeof__(*(ptr)) qc__old = qc__fetch_op(ptr, op, qc__n); (__typeof__(*(ptr)))(qc__old combine qc__n); })

#define qatomic_read__nocheck(ptr) qc__read_order(ptr, RT_RELAXED)
#define qatomic_read(ptr) qc__read_order(ptr, RT_RELAXED)
#define qatomic_set__nocheck(ptr, i) qc__set_order(ptr, i, RT_RELAXED)
#define qatomic_set(ptr, i) qc__set_order(ptr, i, RT_RELAXED)
#define qatomic_load_acquire(ptr) qc__read_order(ptr, RT_ACQUIRE)
#define qatomic_store_release(ptr, i) qc__set_order(ptr, i, RT_RELEASE)
/* consume is promoted to acquire, as every compiler does. */
#define qatomic_rcu_read(ptr) qc__read_order(ptr, RT_ACQUIRE)
#define qatomic_rcu_read__nocheck(ptr, valptr) (*(valptr) = qatomic_rcu_read(ptr))
#define qatomic_rcu_set(ptr, i) qc__set_order(ptr, i, RT_RELEASE)
/* Older trees (before QEMU 8.1): sequentially consistent load and store. */
#define qatomic_mb_read(ptr) qc__read_order(ptr, RT_SEQ_CST)
#define qatomic_mb_set(ptr, i) qc__set_order(ptr, i, RT_SEQ_CST)

/* A point after it: an exchange often publishes a node before linking it (enqueue:after-exchange). */
#define qatomic_xchg__nocheck(ptr, i) ({ __typeof__(*(ptr)) qc__was = qc__fetch_op(ptr, QC_XCHG, i); \
  QC_POINT("after-exchange"); qc__was; })
#define qatomic_xchg(ptr, i) qatomic_xchg__nocheck(ptr, i)
/* Returns the value seen, like QEMU's (success iff it equals `old`). */
#define qatomic_cmpxchg__nocheck(ptr, old, new) ({ QC__CHECK_SIZE(ptr); \
  QC__VALUE(ptr, qc__cmpxchg((ptr), sizeof(*(ptr)), QC__BITS(ptr, old), QC__BITS(ptr, new), RT_SEQ_CST)); })
#define qatomic_cmpxchg(ptr, old, new) qatomic_cmpxchg__nocheck(ptr, old, new)

#define qatomic_fetch_add(ptr, n) qc__fetch_op(ptr, QC_ADD, n)
#define qatomic_fetch_sub(ptr, n) qc__fetch_op(ptr, QC_ADD, -(n))
#define qatomic_fetch_inc(ptr) qatomic_fetch_add(ptr, 1)
#define qatomic_fetch_dec(ptr) qatomic_fetch_sub(ptr, 1)
#define qatomic_fetch_and(ptr, n) qc__fetch_op(ptr, QC_AND, n)
#define qatomic_fetch_or(ptr, n) qc__fetch_op(ptr, QC_OR, n)
#define qatomic_fetch_xor(ptr, n) qc__fetch_op(ptr, QC_XOR, n)

#define qatomic_add_fetch(ptr, n) qc__op_fetch(ptr, QC_ADD, n, +)
#define qatomic_sub_fetch(ptr, n) qc__op_fetch(ptr, QC_ADD, -(n), +)
#define qatomic_inc_fetch(ptr) qatomic_add_fetch(ptr, 1)
#define qatomic_dec_fetch(ptr) qatomic_sub_fetch(ptr, 1)
#define qatomic_and_fetch(ptr, n) qc__op_fetch(ptr, QC_AND, n, &)
#define qatomic_or_fetch(ptr, n) qc__op_fetch(ptr, QC_OR, n, |)
#define qatomic_xor_fetch(ptr, n) qc__op_fetch(ptr, QC_XOR, n, ^)

#define qatomic_add(ptr, n) ((void)qatomic_fetch_add(ptr, n))
#define qatomic_sub(ptr, n) ((void)qatomic_fetch_sub(ptr, n))
#define qatomic_inc(ptr) ((void)qatomic_fetch_inc(ptr))
#define qatomic_dec(ptr) ((void)qatomic_fetch_dec(ptr))
#define qatomic_and(ptr, n) ((void)qatomic_fetch_and(ptr, n))
#define qatomic_or(ptr, n) ((void)qatomic_fetch_or(ptr, n))
#define qatomic_xor(ptr, n) ((void)qatomic_fetch_xor(ptr, n))

/* Trees before QEMU 5.2 spell them atomic_* (renamed to qatomic_* in 2020). */
#ifndef QEMU_COMPAT_NO_LEGACY_ATOMICS
#define atomic_read(ptr) qatomic_read(ptr)
#define atomic_set(ptr, i) qatomic_set(ptr, i)
#define atomic_load_acquire(ptr) qatomic_load_acquire(ptr)
#define atomic_store_release(ptr, i) qatomic_store_release(ptr, i)
#define atomic_rcu_read(ptr) qatomic_rcu_read(ptr)
#define atomic_rcu_set(ptr, i) qatomic_rcu_set(ptr, i)
#define atomic_mb_read(ptr) qatomic_mb_read(ptr)
#define atomic_mb_set(ptr, i) qatomic_mb_set(ptr, i)
#define atomic_xchg(ptr, i) qatomic_xchg(ptr, i)
#define atomic_cmpxchg(ptr, old, new) qatomic_cmpxchg(ptr, old, new)
#define atomic_fetch_add(ptr, n) qatomic_fetch_add(ptr, n)
#define atomic_fetch_sub(ptr, n) qatomic_fetch_sub(ptr, n)
#define atomic_fetch_inc(ptr) qatomic_fetch_inc(ptr)
#define atomic_fetch_dec(ptr) qatomic_fetch_dec(ptr)
#define atomic_fetch_and(ptr, n) qatomic_fetch_and(ptr, n)
#define atomic_fetch_or(ptr, n) qatomic_fetch_or(ptr, n)
#define atomic_inc(ptr) qatomic_inc(ptr)
#define atomic_dec(ptr) qatomic_dec(ptr)
#define atomic_add(ptr, n) qatomic_add(ptr, n)
#define atomic_sub(ptr, n) qatomic_sub(ptr, n)
#define atomic_and(ptr, n) qatomic_and(ptr, n)
#define atomic_or(ptr, n) qatomic_or(ptr, n)
#endif

#endif /* QEMU_ATOMIC_H */
