/*
 * Synchronous calls from Lua to the host: the `rtdvi` module's
 * `call(name, ...)`. Arguments cross in the encoding of rtdvi_guest.h; the
 * host answers with a list of results, or with one error value that is
 * raised here. While the host handles a call it may re-enter the guest
 * (run a callback, a chunk): those nested entries run on the thread that
 * made the call, above its current stack top (see glue.c), so they never
 * disturb the Lua code that is waiting for the answer.
 */
#include <string.h>

#include "lauxlib.h"
#include "rtdvi_guest.h"

/* Calls host function `name` with the encoded argument list at args.
 * Returns n >= 0 when it succeeded (payload: the encoded result list, n
 * bytes) or -(n + 1) when it failed (payload: a list of one error value).
 * The payload is then copied by rtdvi_host_fetch. */
RTDVI_IMPORT("call")
int rtdvi_host_call(const char *name, size_t name_len,
                    const unsigned char *args, size_t args_len);
/* Copies the payload of the last rtdvi_host_call to dst. */
RTDVI_IMPORT("fetch") void rtdvi_host_fetch(unsigned char *dst);

extern size_t rtdvi_out_length(void);
extern unsigned char *rtdvi_out_data(void);

static lua_State *g_running;

lua_State *rtdvi_running_thread(void) { return g_running; }

/* Calls host function `name` with the values from index `first` up and
 * returns its results, or raises its error (string errors get the
 * caller's position, like luaL_error). */
static int call_host(lua_State *L, const char *name, size_t name_len,
                     int first) {
  size_t len;
  int n = lua_gettop(L), i, status, top;
  uint32_t count = (uint32_t)(n - first + 1);
  const unsigned char *pos, *end;
  unsigned char *buf;
  lua_State *outer = g_running;
  rtdvi_out_reset();
  if (!rtdvi_out_put(&count, 4)) return luaL_error(L, "not enough memory");
  for (i = first; i <= n; i++) rtdvi_encode(L, i, 0);
  /* The host copies the arguments before it can re-enter the guest, so the
   * shared output buffer is free again when it does. */
  g_running = L;
  status = rtdvi_host_call(name, name_len, rtdvi_out_data(), rtdvi_out_length());
  g_running = outer;
  len = status >= 0 ? (size_t)status : (size_t)(-(status + 1));
  buf = lua_newuserdatauv(L, len ? len : 1, 0); /* freed by the collector */
  rtdvi_host_fetch(buf);
  top = lua_gettop(L);
  pos = buf;
  end = buf + len;
  count = rtdvi_read_u32(L, &pos, end);
  /* Each value takes at least one byte: the count is bounded by len. */
  if (count > len) return luaL_error(L, "malformed results from host");
  luaL_checkstack(L, (int)count + 4, "too many results");
  for (i = 0; i < (int)count; i++) rtdvi_decode(L, &pos, end, 0);
  if (status < 0) {
    if (count == 0) lua_pushnil(L);
    lua_settop(L, top + 1);
    if (lua_type(L, -1) == LUA_TSTRING) {
      luaL_where(L, 1);
      lua_insert(L, -2);
      lua_concat(L, 2);
    }
    return lua_error(L);
  }
  return (int)count;
}

/* rtdvi.call(name, ...) */
static int host_call(lua_State *L) {
  size_t name_len;
  const char *name = luaL_checklstring(L, 1, &name_len);
  return call_host(L, name, name_len, 2);
}

/* A function made by rtdvi.bind: calls the host function named by its
 * upvalue, so errors point at the Lua code that called it. */
static int bound_call(lua_State *L) {
  size_t name_len;
  const char *name = lua_tolstring(L, lua_upvalueindex(1), &name_len);
  return call_host(L, name, name_len, 1);
}

/* rtdvi.bind(name) -> function(...) that calls host function `name`. */
static int host_bind(lua_State *L) {
  luaL_checkstring(L, 1);
  lua_settop(L, 1);
  lua_pushcclosure(L, bound_call, 1);
  return 1;
}

/* rtdvi.set_nil(t): table t crosses to the host as nil (vim.NIL). */
static int host_set_nil(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 1);
  lua_setfield(L, LUA_REGISTRYINDEX, RTDVI_NIL);
  return 0;
}

/* rtdvi.set_empty_dict(mt): tables with metatable mt and no entries cross as
 * empty dictionaries, and empty dictionaries from the host get mt. */
static int host_set_empty_dict(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 1);
  lua_setfield(L, LUA_REGISTRYINDEX, RTDVI_EMPTY_DICT);
  return 0;
}

int rtdvi_open_host(lua_State *L) {
  static const luaL_Reg funcs[] = {{"call", host_call},
                                   {"bind", host_bind},
                                   {"set_nil", host_set_nil},
                                   {"set_empty_dict", host_set_empty_dict},
                                   {NULL, NULL}};
  luaL_newlib(L, funcs);
  return 1;
}
