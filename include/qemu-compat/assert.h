/* <assert.h> for rcutorture's QEMU mode: a failed assert is a worker-crash naming it. */
#ifndef QEMU_COMPAT_ASSERT_H
#define QEMU_COMPAT_ASSERT_H
#include "rcutorture.h"
#define QC__STR2(x) #x
#define QC__STR(x) QC__STR2(x)
#undef assert
#define assert(cond) \
  ((cond) ? (void)0 : rt_abort(__FILE__ ":" QC__STR(__LINE__) ": assertion failed: " #cond))
#endif
