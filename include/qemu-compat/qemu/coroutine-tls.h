/*
 * qemu/coroutine-tls.h for rcutorture's QEMU mode: plain __thread variables
 * (wasm32 TLS, one block per harness thread, set up by the runtime with
 * __wasm_init_tls). No coroutines run here, so no barrier against caching
 * the TLS address across a coroutine switch is needed.
 */
#ifndef QEMU_COROUTINE_TLS_H
#define QEMU_COROUTINE_TLS_H

#define QEMU_DECLARE_CO_TLS(type, var) \
  type get_##var(void); \
  void set_##var(type v); \
  type *get_ptr_##var(void);

#define QEMU_DEFINE_CO_TLS(type, var) \
  static __thread type co_tls_##var; \
  type get_##var(void) { return co_tls_##var; } \
  void set_##var(type v) { co_tls_##var = v; } \
  type *get_ptr_##var(void) { return &co_tls_##var; }

#define QEMU_DEFINE_STATIC_CO_TLS(type, var) \
  static __thread type co_tls_##var; \
  static __attribute__((unused)) type get_##var(void) { return co_tls_##var; } \
  static __attribute__((unused)) void set_##var(type v) { co_tls_##var = v; } \
  static __attribute__((unused)) type *get_ptr_##var(void) { return &co_tls_##var; }
#endif
