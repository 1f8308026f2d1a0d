/*
 * LuaJIT / Lua 5.1 compatibility for plugins written against Neovim's
 * LuaJIT: unpack, loadstring, table.getn, table.maxn, setfenv/getfenv and
 * the `bit` module. (math.pow & co. come from LUA_COMPAT_MATHLIB; `jit` is
 * deliberately absent so plugins can detect that they are not on LuaJIT.)
 *
 * setfenv/getfenv limits: Lua 5.4 functions see globals through an `_ENV`
 * upvalue. getfenv returns that upvalue (or _G when the function has none);
 * setfenv gives the function its own fresh `_ENV` upvalue holding the
 * table, so other closures that shared the old one are unaffected, and
 * closures the function creates afterwards inherit the new one. A function
 * that uses no globals has no `_ENV`: setfenv leaves it unchanged. Level 0
 * (the thread's environment) and C functions cannot be changed.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "lauxlib.h"
#include "lualib.h"
#include "rtdvi_guest.h"

/* ---- bit ----------------------------------------------------------------- */

/* LuaJIT's conversion: integral values wrap modulo 2^32; fractional values
 * round to nearest (ties to even) first. */
static uint32_t check_bit(lua_State *L, int arg) {
  lua_Number n;
  if (lua_isinteger(L, arg)) return (uint32_t)(lua_Unsigned)lua_tointeger(L, arg);
  n = luaL_checknumber(L, arg);
  if (!isfinite(n)) return 0;
  n = nearbyint(n);
  n = fmod(n, 4294967296.0);
  if (n < 0) n += 4294967296.0;
  return (uint32_t)n;
}

static int push_bit(lua_State *L, uint32_t v) {
  lua_pushinteger(L, (lua_Integer)(int32_t)v);
  return 1;
}

static int bit_tobit(lua_State *L) { return push_bit(L, check_bit(L, 1)); }
static int bit_bnot(lua_State *L) { return push_bit(L, ~check_bit(L, 1)); }

static int bit_bswap(lua_State *L) {
  uint32_t v = check_bit(L, 1);
  return push_bit(L, (v >> 24) | ((v >> 8) & 0xff00u) | ((v & 0xff00u) << 8) | (v << 24));
}

#define BIT_FOLD(fname, op)                          \
  static int fname(lua_State *L) {                   \
    int n = lua_gettop(L), i;                        \
    uint32_t v = check_bit(L, 1);                    \
    for (i = 2; i <= n; i++) v op check_bit(L, i);   \
    return push_bit(L, v);                           \
  }
BIT_FOLD(bit_band, &=)
BIT_FOLD(bit_bor, |=)
BIT_FOLD(bit_bxor, ^=)

static int bit_lshift(lua_State *L) {
  uint32_t v = check_bit(L, 1), n = check_bit(L, 2) & 31;
  return push_bit(L, v << n);
}
static int bit_rshift(lua_State *L) {
  uint32_t v = check_bit(L, 1), n = check_bit(L, 2) & 31;
  return push_bit(L, v >> n);
}
static int bit_arshift(lua_State *L) {
  uint32_t v = check_bit(L, 1), n = check_bit(L, 2) & 31;
  /* Arithmetic shift spelled out: >> on negative values is
   * implementation-defined in C. */
  uint32_t fill = (v & 0x80000000u) && n ? ~(0xffffffffu >> n) : 0;
  return push_bit(L, (v >> n) | fill);
}
static int bit_rol(lua_State *L) {
  uint32_t v = check_bit(L, 1), n = check_bit(L, 2) & 31;
  return push_bit(L, n ? (v << n) | (v >> (32 - n)) : v);
}
static int bit_ror(lua_State *L) {
  uint32_t v = check_bit(L, 1), n = check_bit(L, 2) & 31;
  return push_bit(L, n ? (v >> n) | (v << (32 - n)) : v);
}

static int bit_tohex(lua_State *L) {
  uint32_t v = check_bit(L, 1);
  lua_Integer n = lua_isnoneornil(L, 2) ? 8 : (lua_Integer)(int32_t)check_bit(L, 2);
  const char *digits = "0123456789abcdef";
  char buf[8];
  int i;
  if (n < 0) {
    n = -n;
    digits = "0123456789ABCDEF";
  }
  if (n > 8) n = 8;
  for (i = (int)n - 1; i >= 0; i--) {
    buf[i] = digits[v & 15];
    v >>= 4;
  }
  lua_pushlstring(L, buf, (size_t)n);
  return 1;
}

static const luaL_Reg bit_funcs[] = {
    {"tobit", bit_tobit},   {"bnot", bit_bnot},     {"band", bit_band},
    {"bor", bit_bor},       {"bxor", bit_bxor},     {"lshift", bit_lshift},
    {"rshift", bit_rshift}, {"arshift", bit_arshift}, {"rol", bit_rol},
    {"ror", bit_ror},       {"bswap", bit_bswap},   {"tohex", bit_tohex},
    {NULL, NULL}};

int rtdvi_open_bit(lua_State *L) {
  luaL_newlib(L, bit_funcs);
  return 1;
}

/* ---- Lua 5.1 functions ---------------------------------------------------- */

static int compat_loadstring(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  const char *chunkname = luaL_optstring(L, 2, s);
  if (luaL_loadbufferx(L, s, len, chunkname, "t") == LUA_OK) return 1;
  lua_pushnil(L);
  lua_insert(L, -2);
  return 2;
}

static int compat_getn(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_pushinteger(L, (lua_Integer)lua_rawlen(L, 1));
  return 1;
}

static int compat_maxn(lua_State *L) {
  lua_Number max = 0;
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_pushnil(L);
  while (lua_next(L, 1)) {
    lua_pop(L, 1);
    if (lua_type(L, -1) == LUA_TNUMBER) {
      lua_Number v = lua_tonumber(L, -1);
      if (v > max) max = v;
    }
  }
  /* Integral results print as integers, like LuaJIT's. */
  if (max == floor(max) && max < 9007199254740992.0)
    lua_pushinteger(L, (lua_Integer)max);
  else
    lua_pushnumber(L, max);
  return 1;
}

/* Pushes the function named by argument 1 (a function or a stack level,
 * default 1); returns 0 when it is level 0. */
static int push_fenv_target(lua_State *L) {
  lua_Debug ar;
  lua_Integer level;
  if (lua_isfunction(L, 1)) {
    lua_pushvalue(L, 1);
    return 1;
  }
  level = luaL_optinteger(L, 1, 1);
  luaL_argcheck(L, level >= 0, 1, "level must be non-negative");
  if (level == 0) return 0;
  if (level > INT32_MAX || !lua_getstack(L, (int)level, &ar))
    return luaL_argerror(L, 1, "invalid level");
  lua_getinfo(L, "f", &ar);
  return 1;
}

/* Index of the `_ENV` upvalue of the function at idx, or 0. */
static int env_upvalue(lua_State *L, int idx) {
  int i;
  const char *name;
  for (i = 1; (name = lua_getupvalue(L, idx, i)) != NULL; i++) {
    lua_pop(L, 1);
    if (strcmp(name, "_ENV") == 0) return i;
  }
  return 0;
}

static int compat_getfenv(lua_State *L) {
  int up;
  if (!push_fenv_target(L) || lua_iscfunction(L, -1)) {
    lua_pushglobaltable(L);
    return 1;
  }
  up = env_upvalue(L, -1);
  if (up == 0) lua_pushglobaltable(L);
  else lua_getupvalue(L, -1, up);
  return 1;
}

static int compat_setfenv(lua_State *L) {
  int up, fn;
  luaL_checktype(L, 2, LUA_TTABLE);
  if (!push_fenv_target(L))
    return luaL_error(L, "setfenv: level 0 (the thread's environment) is not supported");
  if (lua_iscfunction(L, -1))
    return luaL_error(L, "'setfenv' cannot change environment of given object");
  fn = lua_gettop(L);
  up = env_upvalue(L, fn);
  if (up != 0) {
    /* upvalue 1 is the factory `function(e) return function() return e end end` */
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_pushvalue(L, 2);
    lua_call(L, 1, 1);
    lua_upvaluejoin(L, fn, up, -1, 1);
    lua_pop(L, 1);
  }
  return 1;
}

int rtdvi_open_compat(lua_State *L) {
  lua_getglobal(L, LUA_TABLIBNAME);
  lua_getfield(L, -1, "unpack");
  lua_setglobal(L, "unpack");
  lua_pushcfunction(L, compat_getn);
  lua_setfield(L, -2, "getn");
  lua_pushcfunction(L, compat_maxn);
  lua_setfield(L, -2, "maxn");
  lua_pop(L, 1);
  lua_pushcfunction(L, compat_loadstring);
  lua_setglobal(L, "loadstring");
  lua_pushcfunction(L, compat_getfenv);
  lua_setglobal(L, "getfenv");
  if (luaL_loadstring(L, "local e = ... return function() return e end") != LUA_OK)
    return lua_error(L);
  lua_pushcclosure(L, compat_setfenv, 1);
  lua_setglobal(L, "setfenv");
  return 0;
}
