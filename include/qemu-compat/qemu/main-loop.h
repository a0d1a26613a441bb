/* qemu/main-loop.h for rcutorture's QEMU mode: the BQL is one QemuMutex, held per thread. */
#ifndef QEMU_MAIN_LOOP_H
#define QEMU_MAIN_LOOP_H
#include <stdbool.h>

void bql_lock(void);
void bql_unlock(void);
bool bql_locked(void);

/* The names before QEMU 9.0. */
#define qemu_mutex_lock_iothread() bql_lock()
#define qemu_mutex_unlock_iothread() bql_unlock()
#define qemu_mutex_iothread_locked() bql_locked()
#endif
