/*
 * rcutorture-rt.c: the small runtime compiled into every C flavor module.
 *
 * - Callback trampolines: the harness names its callbacks by integer id; the
 *   C code gets a real function pointer per id, which hands the head back to
 *   the harness's callback table (rt_invoke).
 * - memset/memcpy/memmove/memcmp: there is no libc, and clang emits calls to
 *   these for struct copies and zeroing.
 * Stacks and TLS are set by the harness (__stack_pointer, __wasm_init_tls)
 * before any other call, so nothing here runs at instantiation.
 */
#include "rcutorture.h"

#define RT_CALLBACK_IDS 8

/* no_builtin below: else clang turns these loops back into calls to themselves. */

#define RT_TRAMPOLINE(n) \
  static void rt_cb##n(struct rt_head *head) { rt_invoke(n, head); }
RT_TRAMPOLINE(0) RT_TRAMPOLINE(1) RT_TRAMPOLINE(2) RT_TRAMPOLINE(3)
RT_TRAMPOLINE(4) RT_TRAMPOLINE(5) RT_TRAMPOLINE(6) RT_TRAMPOLINE(7)

static void (*const rt_trampolines[RT_CALLBACK_IDS])(struct rt_head *) = {
  rt_cb0, rt_cb1, rt_cb2, rt_cb3, rt_cb4, rt_cb5, rt_cb6, rt_cb7,
};

/* The C function pointer for harness callback `id`; NULL when out of range. */
RT_EXPORT(rt_callback_fn) void (*rt_callback_fn(int id))(struct rt_head *) {
  return id >= 0 && id < RT_CALLBACK_IDS ? rt_trampolines[id] : NULL;
}

__attribute__((no_builtin)) void *memset(void *dst, int c, size_t n) {
  unsigned char *d = dst;
  while (n--) *d++ = (unsigned char)c;
  return dst;
}

__attribute__((no_builtin)) void *memcpy(void *restrict dst, const void *restrict src, size_t n) {
  unsigned char *d = dst;
  const unsigned char *s = src;
  while (n--) *d++ = *s++;
  return dst;
}

__attribute__((no_builtin)) void *memmove(void *dst, const void *src, size_t n) {
  unsigned char *d = dst;
  const unsigned char *s = src;
  if (d < s) {
    while (n--) *d++ = *s++;
  } else {
    while (n--) d[n] = s[n];
  }
  return dst;
}

__attribute__((no_builtin)) int memcmp(const void *a, const void *b, size_t n) {
  const unsigned char *x = a, *y = b;
  for (; n; n--, x++, y++) {
    if (*x != *y) return *x - *y;
  }
  return 0;
}
