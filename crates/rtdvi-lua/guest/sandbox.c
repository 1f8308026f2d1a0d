/*
 * The standard library as rtdvi plugins see it. Everything that reaches
 * outside the instance is either absent or goes through a host import:
 *   - base: no dofile/loadfile; load/loadstring accept text only (binary
 *     chunks are refused because the undumper is not linked, see below);
 *   - string: no string.dump;
 *   - io: only io.write, io.stdout:write and io.stderr:write (host streams);
 *   - os: only time, clock, date, difftime (clock is the time since the
 *     state was created: WASI has no process CPU clock; local time is UTC);
 *   - package: no loadlib or C modules; require looks in package.loaded,
 *     then package.preload, then asks the host for source text;
 *   - debug: only traceback and getinfo.
 */
#include <string.h>
#include <time.h>

#include "lauxlib.h"
#include "lualib.h"
#include "lundump.h"
#include "ldo.h"
#include "lobject.h"
#include "rtdvi_guest.h"

/* Asks the host for module `name`. Returns n >= 0 when the module exists
 * (payload: chunk name, NUL, source; n bytes) or -(n + 1) with a reason of
 * n bytes. The payload is then copied by rtdvi_host_fetch. */
RTDVI_IMPORT("require") int rtdvi_host_require(const char *name, size_t len);
/* Copies the payload of the last rtdvi_host_require to dst. */
RTDVI_IMPORT("fetch") void rtdvi_host_fetch(char *dst);

/* Binary chunks: lundump.c and ldump.c are left out of the build, and
 * these stand in for them, so precompiled code can never be loaded. */
LClosure *luaU_undump(lua_State *L, ZIO *Z, const char *name) {
  (void)Z;
  luaO_pushfstring(L, "%s: binary chunks are not allowed", name);
  luaD_throw(L, LUA_ERRSYNTAX);
}

int luaU_dump(lua_State *L, const Proto *f, lua_Writer w, void *data,
              int strip) {
  (void)L; (void)f; (void)w; (void)data; (void)strip;
  return 1;
}

/* ---- io ---------------------------------------------------------------- */

static int write_values(lua_State *L, int stream, int first) {
  int n = lua_gettop(L), i;
  for (i = first; i <= n; i++) {
    size_t len;
    const char *s = luaL_checklstring(L, i, &len);
    rtdvi_host_write(stream, s, len);
  }
  return 0;
}

/* io.write(...) writes to stdout and returns io.stdout, as in Lua. */
static int io_write(lua_State *L) {
  write_values(L, 1, 1);
  lua_pushvalue(L, lua_upvalueindex(1));
  return 1;
}

/* file:write(...) for io.stdout / io.stderr: upvalue 1 is the stream. */
static int file_write(lua_State *L) {
  int stream = (int)lua_tointeger(L, lua_upvalueindex(1));
  luaL_checktype(L, 1, LUA_TTABLE);
  write_values(L, stream, 2);
  lua_settop(L, 1);
  return 1;
}

static void new_file(lua_State *L, int stream, const char *name) {
  lua_createtable(L, 0, 1);
  lua_pushinteger(L, stream);
  lua_pushcclosure(L, file_write, 1);
  lua_setfield(L, -2, "write");
  lua_setfield(L, -2, name);
}

static int open_io(lua_State *L) {
  lua_createtable(L, 0, 3);
  new_file(L, 1, "stdout");
  new_file(L, 2, "stderr");
  lua_getfield(L, -1, "stdout");
  lua_pushcclosure(L, io_write, 1);
  lua_setfield(L, -2, "write");
  return 1;
}

/* ---- os ---------------------------------------------------------------- */

static struct timespec g_clock_start;

static int os_clock(lua_State *L) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  lua_pushnumber(L, (lua_Number)(now.tv_sec - g_clock_start.tv_sec) +
                        (lua_Number)(now.tv_nsec - g_clock_start.tv_nsec) / 1e9);
  return 1;
}

static time_t check_time(lua_State *L, int arg) {
  lua_Integer t = luaL_checkinteger(L, arg);
  luaL_argcheck(L, (time_t)t == t, arg, "time out-of-bounds");
  return (time_t)t;
}

static void set_field(lua_State *L, const char *key, int value, int delta) {
  lua_pushinteger(L, (lua_Integer)value + delta);
  lua_setfield(L, -2, key);
}

static void set_all_fields(lua_State *L, const struct tm *tm) {
  set_field(L, "year", tm->tm_year, 1900);
  set_field(L, "month", tm->tm_mon, 1);
  set_field(L, "day", tm->tm_mday, 0);
  set_field(L, "hour", tm->tm_hour, 0);
  set_field(L, "min", tm->tm_min, 0);
  set_field(L, "sec", tm->tm_sec, 0);
  set_field(L, "yday", tm->tm_yday, 1);
  set_field(L, "wday", tm->tm_wday, 1);
  if (tm->tm_isdst >= 0) {
    lua_pushboolean(L, tm->tm_isdst);
    lua_setfield(L, -2, "isdst");
  }
}

static int get_field(lua_State *L, const char *key, int dflt, int delta) {
  int isnum;
  int t = lua_getfield(L, -1, key);
  lua_Integer res = lua_tointegerx(L, -1, &isnum);
  if (!isnum) {
    if (t != LUA_TNIL)
      return luaL_error(L, "field '%s' is not an integer", key);
    if (dflt < 0) return luaL_error(L, "field '%s' missing in date table", key);
    res = dflt;
  } else {
    if (!(res >= 0 ? res - delta <= INT32_MAX : INT32_MIN + delta <= res))
      return luaL_error(L, "field '%s' is out-of-bound", key);
    res -= delta;
  }
  lua_pop(L, 1);
  return (int)res;
}

static int os_time(lua_State *L) {
  time_t t;
  if (lua_isnoneornil(L, 1)) {
    t = time(NULL);
  } else {
    struct tm ts;
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    ts.tm_year = get_field(L, "year", -1, 1900);
    ts.tm_mon = get_field(L, "month", -1, 1);
    ts.tm_mday = get_field(L, "day", -1, 0);
    ts.tm_hour = get_field(L, "hour", 12, 0);
    ts.tm_min = get_field(L, "min", 0, 0);
    ts.tm_sec = get_field(L, "sec", 0, 0);
    lua_getfield(L, 1, "isdst");
    ts.tm_isdst = lua_isnil(L, -1) ? -1 : lua_toboolean(L, -1);
    lua_pop(L, 1);
    t = mktime(&ts);
    set_all_fields(L, &ts); /* normalises the table, as Lua does */
  }
  if (t == (time_t)(-1))
    return luaL_error(L, "time result cannot be represented in this installation");
  lua_pushinteger(L, (lua_Integer)t);
  return 1;
}

static int os_difftime(lua_State *L) {
  time_t t1 = check_time(L, 1);
  time_t t2 = lua_isnoneornil(L, 2) ? 0 : check_time(L, 2);
  lua_pushnumber(L, (lua_Number)t1 - (lua_Number)t2);
  return 1;
}

/* Conversions strftime accepts, as in C99 (with E and O modifiers). */
static const char *const date_plain = "aAbBcCdDeFgGhHIjmMnprRStTuUVwWxXyYzZ%";
static const char *const date_with_e = "cCxXyY";
static const char *const date_with_o = "deHImMSuUVwWy";

static int os_date(lua_State *L) {
  size_t slen;
  const char *s = luaL_optlstring(L, 1, "%c", &slen);
  time_t t = lua_isnoneornil(L, 2) ? time(NULL) : check_time(L, 2);
  const char *se = s + slen;
  struct tm tmr, *stm;
  if (*s == '!') {
    stm = gmtime_r(&t, &tmr);
    s++;
  } else {
    stm = localtime_r(&t, &tmr);
  }
  if (stm == NULL)
    return luaL_error(L, "date result cannot be represented in this installation");
  if (strcmp(s, "*t") == 0) {
    lua_createtable(L, 0, 9);
    set_all_fields(L, stm);
    return 1;
  } else {
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    while (s < se) {
      if (*s != '%') {
        luaL_addchar(&b, *s++);
      } else {
        char spec[4] = {'%', 0, 0, 0};
        const char *valid = date_plain;
        int at = 1;
        size_t n;
        char *out;
        s++;
        if (s < se && (*s == 'E' || *s == 'O')) {
          valid = *s == 'E' ? date_with_e : date_with_o;
          spec[at++] = *s++;
        }
        if (s >= se || *s == '\0' || strchr(valid, *s) == NULL) {
          if (s < se) spec[at] = *s;
          lua_pushfstring(L, "invalid conversion specifier '%%%s'", spec + 1);
          return luaL_argerror(L, 1, lua_tostring(L, -1));
        }
        spec[at] = *s++;
        out = luaL_prepbuffsize(&b, 250);
        n = strftime(out, 250, spec, stm);
        luaL_addsize(&b, n);
      }
    }
    luaL_pushresult(&b);
    return 1;
  }
}

static const luaL_Reg os_funcs[] = {
    {"clock", os_clock},
    {"date", os_date},
    {"difftime", os_difftime},
    {"time", os_time},
    {NULL, NULL}};

static int open_os(lua_State *L) {
  clock_gettime(CLOCK_MONOTONIC, &g_clock_start);
  luaL_newlib(L, os_funcs);
  return 1;
}

/* ---- package / require ------------------------------------------------- */

static int pkg_require(lua_State *L) {
  size_t len;
  const char *name = luaL_checklstring(L, 1, &len);
  lua_settop(L, 1);
  lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE); /* 2 */
  if (lua_getfield(L, 2, name) != LUA_TNIL && lua_toboolean(L, -1)) return 1;
  lua_pop(L, 1);
  lua_getfield(L, lua_upvalueindex(1), "preload");
  if (lua_type(L, -1) == LUA_TTABLE && lua_getfield(L, -1, name) != LUA_TNIL) {
    lua_remove(L, -2); /* loader at 3 */
    lua_pushliteral(L, ":preload:"); /* 4 */
  } else {
    int r;
    size_t n;
    char *buf;
    const char *src;
    lua_settop(L, 2);
    r = rtdvi_host_require(name, len);
    n = r >= 0 ? (size_t)r : (size_t)(-(r + 1));
    buf = lua_newuserdatauv(L, n + 1, 0); /* 3, freed by the collector */
    rtdvi_host_fetch(buf);
    buf[n] = '\0';
    if (r < 0) {
      return luaL_error(L, "module '%s' not found:\n\tno field package.preload['%s']\n\t%s",
                        name, name, buf);
    }
    src = memchr(buf, '\0', n);
    if (src == NULL) src = buf + n; /* no name: the whole payload is source */
    src++;
    if (luaL_loadbufferx(L, src < buf + n ? src : buf + n,
                         src < buf + n ? (size_t)(buf + n - src) : 0, buf,
                         "t") != LUA_OK)
      return luaL_error(L, "error loading module '%s' from '%s':\n\t%s", name,
                        buf, lua_tostring(L, -1));
    lua_pushstring(L, buf); /* loader data, before buf can be collected */
    lua_remove(L, 3);       /* loader at 3, data at 4 */
  }
  lua_pushvalue(L, 3);
  lua_pushvalue(L, 1);
  lua_pushvalue(L, 4);
  lua_call(L, 2, 1); /* 5 */
  if (!lua_isnil(L, -1)) lua_setfield(L, 2, name);
  else lua_pop(L, 1);
  if (lua_getfield(L, 2, name) == LUA_TNIL) {
    lua_pushboolean(L, 1);
    lua_copy(L, -1, -2);
    lua_setfield(L, 2, name);
  }
  lua_pushvalue(L, 4);
  return 2;
}

static int open_package(lua_State *L) {
  lua_createtable(L, 0, 5);
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
  lua_setfield(L, -2, "loaded");
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
  lua_setfield(L, -2, "preload");
  /* Inert: kept so plugins that append to them keep working. */
  lua_pushliteral(L, "");
  lua_setfield(L, -2, "path");
  lua_pushliteral(L, "");
  lua_setfield(L, -2, "cpath");
  lua_pushliteral(L, "/\n;\n?\n!\n-\n");
  lua_setfield(L, -2, "config");
  lua_pushvalue(L, -1);
  lua_pushcclosure(L, pkg_require, 1);
  lua_setglobal(L, "require");
  return 1;
}

/* ---- debug ------------------------------------------------------------- */

static int open_debug(lua_State *L) {
  luaopen_debug(L); /* the full library, only to pick two functions */
  lua_createtable(L, 0, 2);
  lua_getfield(L, -2, "traceback");
  lua_setfield(L, -2, "traceback");
  lua_getfield(L, -2, "getinfo");
  lua_setfield(L, -2, "getinfo");
  return 1;
}

/* ---- all together ------------------------------------------------------ */

static void remove_field(lua_State *L, const char *table, const char *key) {
  if (table == NULL) {
    lua_pushnil(L);
    lua_setglobal(L, key);
    return;
  }
  lua_getglobal(L, table);
  lua_pushnil(L);
  lua_setfield(L, -2, key);
  lua_pop(L, 1);
}

int rtdvi_open_sandbox(lua_State *L) {
  static const luaL_Reg libs[] = {
      {LUA_GNAME, luaopen_base},
      {LUA_LOADLIBNAME, open_package},
      {LUA_COLIBNAME, luaopen_coroutine},
      {LUA_TABLIBNAME, luaopen_table},
      {LUA_IOLIBNAME, open_io},
      {LUA_OSLIBNAME, open_os},
      {LUA_STRLIBNAME, luaopen_string},
      {LUA_MATHLIBNAME, luaopen_math},
      {LUA_UTF8LIBNAME, luaopen_utf8},
      {LUA_DBLIBNAME, open_debug},
      {"bit", rtdvi_open_bit},
      {NULL, NULL}};
  const luaL_Reg *lib;
  lua_newtable(L);
  lua_setfield(L, LUA_REGISTRYINDEX, RTDVI_CALLBACKS);
  for (lib = libs; lib->func; lib++) {
    luaL_requiref(L, lib->name, lib->func, 1);
    lua_pop(L, 1);
  }
  /* Not a global: the bridge's Lua code requires it. */
  luaL_requiref(L, "rtdvi", rtdvi_open_host, 0);
  lua_pop(L, 1);
  remove_field(L, NULL, "dofile");
  remove_field(L, NULL, "loadfile");
  remove_field(L, LUA_STRLIBNAME, "dump");
  lua_pushcfunction(L, rtdvi_open_compat);
  lua_call(L, 0, 0);
  return 0;
}
