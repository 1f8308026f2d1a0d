/*
 * Exports of the rtdvi Lua guest: one Lua state per instance, chunks run
 * from text, callbacks called by id, results and errors written to an
 * output buffer in the encoding of rtdvi_guest.h. Every entry point returns
 * a Lua status (0 = ok, 2 = runtime error, 3 = syntax error, 4 = out of
 * memory, 5 = error in the error handler) and leaves a list in the output
 * buffer: the results on success, [error value, message, traceback] on
 * failure. An empty buffer after a failure means even that could not be
 * written (out of memory).
 */
#include <stdlib.h>
#include <string.h>

#include "lauxlib.h"
#include "lualib.h"
#include "rtdvi_guest.h"

static lua_State *g_state;
static unsigned char *g_out;
static size_t g_out_len, g_out_cap;

void rtdvi_out_reset(void) { g_out_len = 0; }
size_t rtdvi_out_length(void) { return g_out_len; }
unsigned char *rtdvi_out_data(void) { return g_out; }

int rtdvi_out_put(const void *data, size_t len) {
  if (len > g_out_cap - g_out_len) {
    size_t cap = g_out_cap ? g_out_cap : 256;
    unsigned char *grown;
    while (cap - g_out_len < len) {
      if (cap > SIZE_MAX / 2) return 0;
      cap *= 2;
    }
    grown = realloc(g_out, cap);
    if (grown == NULL) return 0;
    g_out = grown;
    g_out_cap = cap;
  }
  memcpy(g_out + g_out_len, data, len);
  g_out_len += len;
  return 1;
}

void rtdvi_write_error(const char *fmt, const char *arg) {
  /* Lua only passes "%s" formats here. */
  const char *p;
  for (p = fmt; *p; p++) {
    if (p[0] == '%' && p[1] == 's') {
      rtdvi_host_write(2, arg, strlen(arg));
      p++;
    } else {
      rtdvi_host_write(2, p, 1);
    }
  }
}

typedef void (*rtdvi_pfunc)(lua_State *L, void *ud);

/* The host's "try" import calls back here, so the protected function runs
 * in a wasm frame the host can unwind past. */
RTDVI_EXPORT("rtdvi_try_trampoline")
void rtdvi_try_trampoline(rtdvi_pfunc f, lua_State *L, void *ud) { f(L, ud); }

RTDVI_EXPORT("rtdvi_alloc") void *rtdvi_alloc(size_t size) {
  return malloc(size ? size : 1);
}

RTDVI_EXPORT("rtdvi_free") void rtdvi_free(void *p) { free(p); }

RTDVI_EXPORT("rtdvi_out_ptr") unsigned char *rtdvi_out_ptr(void) { return g_out; }

RTDVI_EXPORT("rtdvi_out_len") size_t rtdvi_out_len(void) { return g_out_len; }

/* Bytes the Lua state holds (what collectgarbage("count") reports). */
RTDVI_EXPORT("rtdvi_lua_memory") size_t rtdvi_lua_memory(void) {
  if (g_state == NULL) return 0;
  return (size_t)lua_gc(g_state, LUA_GCCOUNT, 0) * 1024 +
         (size_t)lua_gc(g_state, LUA_GCCOUNTB, 0);
}

/* How many exports are running: more than one while the host, handling a
 * call from Lua (host.c), re-enters the guest. Each level keeps its own
 * traceback and works above the stack top it found, on the thread that
 * made the host call, so the Lua code waiting for the host's answer keeps
 * its stack and its thread (a coroutine, maybe). */
static int g_depth;
/* Status of a failed luaL_loadbufferx in exec_entry, raised as an error so
 * that loading runs protected; read back right after the pcall. */
static int g_load_status;

static lua_State *entry_thread(void) {
  lua_State *running = rtdvi_running_thread();
  return running != NULL ? running : g_state;
}

/* Message handler: keeps the error object as it is (tables stay tables)
 * and leaves the traceback in the registry, under this level, for the
 * error report. */
static int message_handler(lua_State *L) {
  if (lua_getfield(L, LUA_REGISTRYINDEX, RTDVI_TRACEBACK) == LUA_TTABLE) {
    luaL_traceback(L, L, NULL, 1);
    lua_rawseti(L, -2, g_depth);
  }
  lua_settop(L, 1);
  return 1;
}

/* Forgets this level's traceback (called first by every protected entry). */
static void clear_traceback(lua_State *L) {
  if (lua_getfield(L, LUA_REGISTRYINDEX, RTDVI_TRACEBACK) == LUA_TTABLE) {
    lua_pushnil(L);
    lua_rawseti(L, -2, g_depth);
  }
  lua_pop(L, 1);
}

static int encode_results(lua_State *L) {
  int n = lua_gettop(L), i;
  uint32_t count = (uint32_t)n;
  rtdvi_out_reset();
  if (!rtdvi_out_put(&count, 4)) return luaL_error(L, "not enough memory");
  for (i = 1; i <= n; i++) rtdvi_encode(L, i, 0);
  return 0;
}

/* Arguments: error object. Writes [object, message, traceback]. */
static int encode_error(lua_State *L) {
  uint32_t count = 3;
  const char *msg;
  lua_settop(L, 1);
  if (lua_type(L, 1) == LUA_TSTRING || lua_type(L, 1) == LUA_TNUMBER) {
    lua_pushvalue(L, 1);
    msg = lua_tostring(L, -1);
  } else if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING) {
    msg = lua_tostring(L, -1);
  } else {
    msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
  }
  (void)msg;
  lua_settop(L, 2);
  if (g_load_status != LUA_OK ||
      lua_getfield(L, LUA_REGISTRYINDEX, RTDVI_TRACEBACK) != LUA_TTABLE) {
    lua_settop(L, 2);
    lua_pushnil(L);
  } else {
    lua_rawgeti(L, 3, g_depth);
    lua_remove(L, 3);
  }
  rtdvi_out_reset();
  if (!rtdvi_out_put(&count, 4)) return luaL_error(L, "not enough memory");
  rtdvi_encode(L, 1, 0);
  rtdvi_encode(L, 2, 0);
  rtdvi_encode(L, 3, 0);
  return 0;
}

/* Reports the error object on top of the stack and pops it. */
static int report_error(lua_State *L, int status) {
  lua_pushcfunction(L, encode_error);
  lua_insert(L, -2);
  if (lua_pcall(L, 1, 0, 0) != LUA_OK) {
    /* The object itself could not be reported (e.g. too deep, or no
     * memory): report why instead, without the object. */
    static const unsigned char fallback_head[] = {3, 0, 0, 0, RTDVI_TAG_NIL};
    static const unsigned char nil = RTDVI_TAG_NIL;
    size_t len = 0;
    const char *why = lua_tolstring(L, -1, &len);
    unsigned char tag = RTDVI_TAG_STRING;
    uint32_t len32;
    if (why == NULL) {
      why = "error object could not be reported";
      len = strlen(why);
    }
    len32 = (uint32_t)len;
    rtdvi_out_reset();
    if (!(rtdvi_out_put(fallback_head, sizeof fallback_head) &&
          rtdvi_out_put(&tag, 1) && rtdvi_out_put(&len32, 4) &&
          rtdvi_out_put(why, len) && rtdvi_out_put(&nil, 1)))
      rtdvi_out_reset();
    lua_pop(L, 1);
  }
  return status;
}

/* Runs one export's work: pushes the message handler and the C function
 * `entry` with its nargs arguments (pushed by `push`, which must not
 * allocate: light values only), calls it protected and reports results or
 * error. Everything happens above the stack top found on entry, which is
 * restored afterwards. */
static int run(lua_CFunction entry, void (*push)(lua_State *L, void *ud),
               void *ud, int nargs) {
  lua_State *L = entry_thread();
  int base, status;
  rtdvi_out_reset();
  if (L == NULL) return LUA_ERRRUN;
  if (!lua_checkstack(L, nargs + 8)) return LUA_ERRMEM;
  base = lua_gettop(L);
  g_depth++;
  g_load_status = LUA_OK;
  lua_pushcfunction(L, message_handler);
  lua_pushcfunction(L, entry);
  push(L, ud);
  status = lua_pcall(L, nargs, LUA_MULTRET, base + 1);
  if (status == LUA_OK) {
    lua_pushcfunction(L, encode_results);
    lua_insert(L, base + 2);
    status = lua_pcall(L, lua_gettop(L) - (base + 2), 0, 0);
  } else if (g_load_status != LUA_OK) {
    status = g_load_status;
  }
  if (status != LUA_OK) report_error(L, status);
  g_load_status = LUA_OK;
  lua_settop(L, base);
  g_depth--;
  return status;
}

static int open_entry(lua_State *L) {
  lua_newtable(L);
  lua_setfield(L, LUA_REGISTRYINDEX, RTDVI_TRACEBACK);
  lua_pushcfunction(L, rtdvi_open_sandbox);
  lua_call(L, 0, 0);
  return 0;
}

static void push_nothing(lua_State *L, void *ud) {
  (void)L;
  (void)ud;
}

/* Creates the Lua state with the sandboxed library. */
RTDVI_EXPORT("rtdvi_lua_open") int rtdvi_lua_open(void) {
  rtdvi_out_reset();
  if (g_state != NULL) return LUA_OK;
  g_state = luaL_newstate();
  if (g_state == NULL) return LUA_ERRMEM;
  return run(open_entry, push_nothing, NULL, 0);
}

/* Pointers and lengths handed over by an export, pushed as light values. */
struct buffers {
  const void *a;
  size_t a_len;
  const void *b;
  size_t b_len;
  lua_Integer id;
};

static void push_buffers(lua_State *L, void *ud) {
  struct buffers *bufs = ud;
  lua_pushlightuserdata(L, (void *)bufs->a);
  lua_pushinteger(L, (lua_Integer)bufs->a_len);
  lua_pushlightuserdata(L, (void *)bufs->b);
  lua_pushinteger(L, (lua_Integer)bufs->b_len);
  lua_pushinteger(L, bufs->id);
}

/* Arguments: name, name length, source, source length, (unused). */
static int exec_entry(lua_State *L) {
  const char *name = lua_touserdata(L, 1);
  size_t name_len = (size_t)lua_tointeger(L, 2);
  const char *src = lua_touserdata(L, 3);
  size_t src_len = (size_t)lua_tointeger(L, 4);
  const char *chunkname;
  int status;
  clear_traceback(L);
  lua_settop(L, 0);
  /* The name needs a terminating NUL: keep it as a Lua string. */
  chunkname = lua_pushlstring(L, name, name_len);
  status = luaL_loadbufferx(L, src, src_len, chunkname, "t");
  if (status != LUA_OK) {
    g_load_status = status;
    return lua_error(L);
  }
  lua_remove(L, 1);
  lua_call(L, 0, LUA_MULTRET);
  return lua_gettop(L);
}

/* Compiles source (text only) under chunk name and runs it. */
RTDVI_EXPORT("rtdvi_lua_exec")
int rtdvi_lua_exec(const char *name, size_t name_len, const char *src,
                   size_t src_len) {
  struct buffers bufs = {name, name_len, src, src_len, 0};
  return run(exec_entry, push_buffers, &bufs, 5);
}

/* Arguments: encoded list, its length, (unused), (unused), callback id.
 * Decodes the arguments (decoding allocates) and calls the callback. */
static int call_entry(lua_State *L) {
  const unsigned char *pos = lua_touserdata(L, 1);
  size_t len = (size_t)lua_tointeger(L, 2);
  lua_Integer id = lua_tointeger(L, 5);
  const unsigned char *end = pos + len;
  uint32_t nargs, i;
  clear_traceback(L);
  lua_settop(L, 0);
  lua_getfield(L, LUA_REGISTRYINDEX, RTDVI_CALLBACKS);
  if (id <= 0 || id > INT32_MAX || lua_rawgeti(L, -1, id) != LUA_TFUNCTION)
    return luaL_error(L, "invalid callback id: %d", (int)id);
  lua_remove(L, 1);
  nargs = rtdvi_read_u32(L, &pos, end);
  if (nargs > len) return luaL_error(L, "malformed arguments from host");
  luaL_checkstack(L, (int)nargs + 4, "too many arguments");
  for (i = 0; i < nargs; i++) rtdvi_decode(L, &pos, end, 0);
  lua_call(L, (int)nargs, LUA_MULTRET);
  return lua_gettop(L);
}

/* Calls callback id with the encoded argument list in args. */
RTDVI_EXPORT("rtdvi_lua_call")
int rtdvi_lua_call(uint32_t id, const unsigned char *args, size_t args_len) {
  struct buffers bufs = {args, args_len, NULL, 0, (lua_Integer)id};
  return run(call_entry, push_buffers, &bufs, 5);
}

/* Arguments: (unused) x4, callback id. Returns true if it was registered. */
static int unref_entry(lua_State *L) {
  lua_Integer id = lua_tointeger(L, 5);
  int found;
  lua_settop(L, 0);
  if (id <= 0 || id > INT32_MAX) {
    lua_pushboolean(L, 0);
    return 1;
  }
  lua_getfield(L, LUA_REGISTRYINDEX, RTDVI_CALLBACKS);
  /* Only a live function id may go back to the free list, or a wrong id
   * from the host would corrupt it. */
  found = lua_rawgeti(L, 1, id) == LUA_TFUNCTION;
  lua_pop(L, 1);
  if (found) luaL_unref(L, 1, (int)id);
  lua_pushboolean(L, found);
  return 1;
}

/* Forgets callback id; returns 1 if it was registered. */
RTDVI_EXPORT("rtdvi_lua_unref") int rtdvi_lua_unref(uint32_t id) {
  struct buffers bufs = {NULL, 0, NULL, 0, (lua_Integer)id};
  int status = run(unref_entry, push_buffers, &bufs, 5);
  /* The output buffer holds [found]: true is encoded as RTDVI_TAG_TRUE. */
  return status == LUA_OK && rtdvi_out_length() == 5 &&
         rtdvi_out_data()[4] == RTDVI_TAG_TRUE;
}
