/* qemu-common.h for rcutorture's QEMU mode: older trees' util/notify.c includes it. */
#ifndef QEMU_COMMON_H
#define QEMU_COMMON_H
#include "qemu/osdep.h"
#endif
