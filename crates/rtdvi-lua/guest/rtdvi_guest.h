/*
 * Declarations shared by the rtdvi Lua guest's C files (ours, not Lua's).
 *
 * Value encoding used between host and guest (little-endian, no JSON):
 *   list   := u32 count, value*
 *   value  := 0x00                      nil
 *           | 0x01 | 0x02               false | true
 *           | 0x03 i64                  integer
 *           | 0x04 f64                  float
 *           | 0x05 u32 len, bytes       string (any bytes)
 *           | 0x06 u32 pairs, (value value)*   table, pairs in lua_next order
 *           | 0x07 u32 id               function, registered as callback id
 *           | 0x08 u32 len, bytes       other (userdata, thread): type name
 *           | 0x09                      empty dictionary (vim.empty_dict())
 * A nil array element from the host (integer key) decodes as vim.NIL.
 */
#ifndef RTDVI_GUEST_H
#define RTDVI_GUEST_H

#include <stddef.h>
#include <stdint.h>

#include "lua.h"

#define RTDVI_EXPORT(name) __attribute__((export_name(name)))

enum {
  RTDVI_TAG_NIL = 0,
  RTDVI_TAG_FALSE = 1,
  RTDVI_TAG_TRUE = 2,
  RTDVI_TAG_INT = 3,
  RTDVI_TAG_FLOAT = 4,
  RTDVI_TAG_STRING = 5,
  RTDVI_TAG_TABLE = 6,
  RTDVI_TAG_FUNCTION = 7,
  RTDVI_TAG_OTHER = 8,
  RTDVI_TAG_EMPTY_DICT = 9
};

/* Deepest table nesting the codec accepts (it also stops cycles). */
#define RTDVI_MAX_DEPTH 100

/* Registry key of the table that encodes as nil (set by rtdvi.set_nil). */
#define RTDVI_NIL "rtdvi.nil"
/* Registry key of vim.empty_dict()'s metatable (set by rtdvi.set_empty_dict). */
#define RTDVI_EMPTY_DICT "rtdvi.empty_dict"
/* Registry key of the table that maps callback ids to functions. */
#define RTDVI_CALLBACKS "rtdvi.callbacks"
/* Registry key of the table where the message handler leaves the last
 * traceback of each nesting level of exports (see glue.c). */
#define RTDVI_TRACEBACK "rtdvi.traceback"

/* The output buffer the host reads after each exported call. */
void rtdvi_out_reset(void);
/* Appends bytes to the output buffer; 0 when out of memory. */
int rtdvi_out_put(const void *data, size_t len);

/* Appends the value at idx to the output buffer (raises Lua errors). */
void rtdvi_encode(lua_State *L, int idx, int depth);
/* Decodes one value from [*pos, end) and pushes it (raises Lua errors). */
void rtdvi_decode(lua_State *L, const unsigned char **pos,
                  const unsigned char *end, int depth);
/* Reads a u32 from [*pos, end) (raises Lua errors when truncated). */
uint32_t rtdvi_read_u32(lua_State *L, const unsigned char **pos,
                        const unsigned char *end);

/* Opens the sandboxed standard library (a lua_CFunction). */
int rtdvi_open_sandbox(lua_State *L);
/* Opens the LuaJIT/Lua 5.1 compatibility layer (a lua_CFunction). */
int rtdvi_open_compat(lua_State *L);
/* The LuaJIT-compatible `bit` module. */
int rtdvi_open_bit(lua_State *L);
/* The `rtdvi` module: `call(name, ...)` calls the host (host.c). */
int rtdvi_open_host(lua_State *L);
/* The thread waiting in the innermost host call, or NULL at top level. */
lua_State *rtdvi_running_thread(void);

#endif
