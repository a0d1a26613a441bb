/*
 * The few glib names util/rcu.c and its headers use, for rcutorture's QEMU
 * mode. g_malloc and friends come from a small allocator of ours
 * (qemu-compat.c) over a static arena in the shared memory.
 */
#ifndef QEMU_COMPAT_GLIB_H
#define QEMU_COMPAT_GLIB_H
#include <stddef.h>
#include <stdbool.h>
#include "rcutorture.h"

typedef int gboolean;
typedef void *gpointer;
typedef size_t gsize;
#ifndef TRUE
#define TRUE 1
#define FALSE 0
#endif

void *qc_malloc(size_t size);
void qc_free(void *p);
void qc_usleep(unsigned long us);

static inline void *qc_malloc0(size_t size) {
  void *p = qc_malloc(size);
  __builtin_memset(p, 0, size);
  return p;
}
#define g_malloc(n) qc_malloc(n)
#define g_malloc0(n) qc_malloc0(n)
#define g_new(T, n) ((T *)qc_malloc(sizeof(T) * (n)))
#define g_new0(T, n) ((T *)qc_malloc0(sizeof(T) * (n)))
#define g_free(p) qc_free(p)
/* g_usleep sleeps; in a background thread it is also where a stop request ends the thread. */
#define g_usleep(us) qc_usleep(us)

#define G_GNUC_UNUSED __attribute__((unused))
#define G_GNUC_WARN_UNUSED_RESULT __attribute__((warn_unused_result))
#define G_STRINGIFY(x) #x
#define g_assert(cond) \
  ((cond) ? (void)0 : rt_abort(__FILE__ ": g_assert failed: " #cond))
#define g_assert_not_reached() rt_abort(__FILE__ ": g_assert_not_reached")
#define g_return_if_fail(cond) do { if (!(cond)) return; } while (0)

/* g_autoptr: a cleanup attribute calling the type's declared cleanup function. */
#define G_DEFINE_AUTOPTR_CLEANUP_FUNC(T, fn) \
  typedef T *qc_autoptr_##T; \
  static inline __attribute__((unused)) void qc_autoptr_cleanup_##T(T **p) { if (*p) fn(*p); }
#define g_autoptr(T) __attribute__((cleanup(qc_autoptr_cleanup_##T))) qc_autoptr_##T
#endif
