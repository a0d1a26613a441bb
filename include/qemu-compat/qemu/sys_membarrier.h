/*
 * qemu/sys_membarrier.h for rcutorture's QEMU mode: QEMU's build without
 * CONFIG_MEMBARRIER. The asymmetric scheme (a compiler barrier on the read
 * side, membarrier(2) on the update side) needs the kernel to interrupt
 * every CPU; the harness has no such thing, so both sides are full fences.
 */
#ifndef QEMU_SYS_MEMBARRIER_H
#define QEMU_SYS_MEMBARRIER_H
#include "qemu/atomic.h"
#define smp_mb_placeholder() smp_mb()
#define smp_mb_global() smp_mb()
#define smp_mb_global_init() ((void)0)
#endif
