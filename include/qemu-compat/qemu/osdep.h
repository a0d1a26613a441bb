/*
 * qemu/osdep.h for rcutorture's QEMU mode: the host QEMU's util/rcu.c sees
 * when it is compiled to wasm32 against the rcutorture ABI. Written for
 * rcutorture; only the names util/rcu.c, util/notify.c and their headers use.
 *
 * Host facts that differ from a Linux build (docs/qemu-mode.md):
 * - wasm32 is ILP32: `long` is 32 bits, so sizeof(rcu_gp_ctr) < 8 and
 *   synchronize_rcu() runs QEMU's two-phase (parity flip) grace period;
 * - no fork: pthread_atfork() registers nothing;
 * - no libc heap: malloc_trim() is a no-op, g_malloc() is our small allocator;
 * - no sys_membarrier: smp_mb_global() and smp_mb_placeholder() are full
 *   fences (QEMU's fallback without CONFIG_MEMBARRIER).
 */
#ifndef QEMU_OSDEP_H
#define QEMU_OSDEP_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <limits.h>
#include "rcutorture.h"

/* A POSIX host for util/rcu.c's purposes: its atfork hooks compile (and are never called). */
#define CONFIG_POSIX 1
/* util/rcu.c calls malloc_trim() when idle: <malloc.h> here makes it a no-op. */
#define CONFIG_MALLOC_TRIM 1

#include "assert.h"
#include "string.h"
#include "stdlib.h"
#include "glib-compat.h"

#ifndef likely
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#endif

#define xglue(x, y) x##y
#define glue(x, y) xglue(x, y)
#define stringify(s) tostring(s)
#define tostring(s) #s

#ifndef container_of
#define container_of(ptr, type, member) ((type *)((char *)(ptr) - offsetof(type, member)))
#endif
#define QEMU_BUILD_BUG_ON(x) _Static_assert(!(x), "not expecting: " #x)
#define QEMU_BUILD_BUG_MSG(x, msg) _Static_assert(!(x), msg)
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(x) (sizeof(x) / sizeof((x)[0]))
#endif
#ifndef MIN
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#endif
#define QEMU_ALIGN_DOWN(n, m) ((n) / (m) * (m))
#define QEMU_ALIGN_UP(n, m) QEMU_ALIGN_DOWN((n) + (m) - 1, (m))
#define QEMU_NORETURN __attribute__((noreturn))
#define QEMU_WARN_UNUSED_RESULT __attribute__((warn_unused_result))
#define QEMU_SENTINEL __attribute__((sentinel))
#define QEMU_PACKED __attribute__((packed))
#define G_NORETURN __attribute__((noreturn))
#define typeof_strip_qual(expr) __typeof__(({ __auto_type qc__strip = (expr); qc__strip; }))

/* No fork on wasm32: nothing is ever called back. */
static inline int pthread_atfork(void (*prepare)(void), void (*parent)(void), void (*child)(void)) {
  (void)prepare; (void)parent; (void)child;
  return 0;
}

#endif /* QEMU_OSDEP_H */
