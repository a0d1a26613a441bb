/* <malloc.h> for rcutorture's QEMU mode: there is no libc heap to trim. */
#ifndef QEMU_COMPAT_MALLOC_H
#define QEMU_COMPAT_MALLOC_H
#include <stddef.h>
static inline int malloc_trim(size_t pad) { (void)pad; return 0; }
#endif
