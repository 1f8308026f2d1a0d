/*
 * Force-included (clang -include) before every Lua source file of the rtdvi
 * guest. It replaces what the WASI sysroot lacks or what the sandbox must
 * not use, without patching Lua:
 *
 * - Error recovery. wasi-libc has no setjmp and wasmi has no exception
 *   handling, so LUAI_TRY asks the host to call the protected function
 *   through the exported trampoline, and LUAI_THROW calls a host import that
 *   never returns normally: the host unwinds to the enclosing "try", restores
 *   __stack_pointer and makes "try" return non-zero. luaD_throw has already
 *   stored the status in the jump buffer, which lives in linear memory.
 * - Output. print and the error writers go to a host import (no fd_write).
 * - Determinism. table.sort's pivot randomisation reads clock(), which WASI
 *   does not provide without process-clock emulation.
 */
#ifndef RTDVI_LUACONF_H
#define RTDVI_LUACONF_H

#include <stddef.h>

#define RTDVI_IMPORT(name) \
  __attribute__((import_module("rtdvi"), import_name(name)))

struct lua_State;

/* Runs f(L, ud) through rtdvi_try_trampoline; 0 when f returned normally. */
RTDVI_IMPORT("try") int rtdvi_host_try(void *f, struct lua_State *L, void *ud);
/* Unwinds to the innermost rtdvi_host_try of this instance. */
RTDVI_IMPORT("throw") __attribute__((noreturn)) void rtdvi_host_throw(void);
/* Writes len bytes to the host stream (1 = stdout, 2 = stderr). */
RTDVI_IMPORT("write") void rtdvi_host_write(int stream, const char *s, size_t len);

/* Formats like printf and writes to the host's stderr stream. */
void rtdvi_write_error(const char *fmt, const char *arg);

/* The names f and ud are the parameters of luaD_rawrunprotected, the only
 * place that uses LUAI_TRY. */
#define LUAI_TRY(L, c, a)                                              \
  do {                                                                 \
    if (rtdvi_host_try((void *)(f), (L), (ud)) != 0 && (c)->status == 0) \
      (c)->status = -1;                                                \
  } while (0)
#define LUAI_THROW(L, c) rtdvi_host_throw()
#define luai_jmpbuf int

#define l_signalT int
#define l_randomizePivot() 0u

#define lua_writestring(s, l) rtdvi_host_write(1, (s), (l))
#define lua_writeline() rtdvi_host_write(1, "\n", 1)
#define lua_writestringerror(s, p) rtdvi_write_error((s), (p))

#endif
