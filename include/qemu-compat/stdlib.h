/* <stdlib.h> for rcutorture's QEMU mode: abort() is a worker-crash naming the function. */
#ifndef QEMU_COMPAT_STDLIB_H
#define QEMU_COMPAT_STDLIB_H
#include <stddef.h>
#include "rcutorture.h"
#define QC__ASTR2(x) #x
#define QC__ASTR(x) QC__ASTR2(x)
#define abort() rt_abort(__FILE__ ":" QC__ASTR(__LINE__) ": abort()")
void *qc_malloc(size_t size);
void qc_free(void *p);
#define malloc(n) qc_malloc(n)
#define free(p) qc_free(p)
#endif
