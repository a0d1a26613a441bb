/* <string.h> for rcutorture's QEMU mode: what include/rcutorture-rt.c provides. */
#ifndef QEMU_COMPAT_STRING_H
#define QEMU_COMPAT_STRING_H
#include <stddef.h>
void *memset(void *dst, int c, size_t n);
void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
#endif
