/* Encoder/decoder for the compact value format described in rtdvi_guest.h.
 * Table access is raw (no metamethods) so encoding never runs Lua code. */
#include <string.h>

#include "lauxlib.h"
#include "rtdvi_guest.h"

static void put(lua_State *L, const void *data, size_t len) {
  if (!rtdvi_out_put(data, len)) luaL_error(L, "not enough memory");
}

static void put_tag(lua_State *L, unsigned char tag) { put(L, &tag, 1); }

static void put_u32(lua_State *L, uint32_t v) { put(L, &v, 4); }

static void put_bytes(lua_State *L, unsigned char tag, const char *s,
                      size_t len) {
  if (len > UINT32_MAX) luaL_error(L, "cannot encode a string this long");
  put_tag(L, tag);
  put_u32(L, (uint32_t)len);
  put(L, s, len);
}

extern size_t rtdvi_out_length(void);
extern unsigned char *rtdvi_out_data(void);

void rtdvi_encode(lua_State *L, int idx, int depth) {
  idx = lua_absindex(L, idx);
  switch (lua_type(L, idx)) {
    case LUA_TNIL:
      put_tag(L, RTDVI_TAG_NIL);
      break;
    case LUA_TBOOLEAN:
      put_tag(L, lua_toboolean(L, idx) ? RTDVI_TAG_TRUE : RTDVI_TAG_FALSE);
      break;
    case LUA_TNUMBER:
      if (lua_isinteger(L, idx)) {
        int64_t i = (int64_t)lua_tointeger(L, idx);
        put_tag(L, RTDVI_TAG_INT);
        put(L, &i, 8);
      } else {
        double d = (double)lua_tonumber(L, idx);
        put_tag(L, RTDVI_TAG_FLOAT);
        put(L, &d, 8);
      }
      break;
    case LUA_TSTRING: {
      size_t len;
      const char *s = lua_tolstring(L, idx, &len);
      put_bytes(L, RTDVI_TAG_STRING, s, len);
      break;
    }
    case LUA_TTABLE: {
      uint32_t count = 0;
      size_t at;
      int is_nil;
      /* The value registered as nil (vim.NIL) crosses as nil. */
      lua_getfield(L, LUA_REGISTRYINDEX, RTDVI_NIL);
      is_nil = lua_rawequal(L, -1, idx);
      lua_pop(L, 1);
      if (is_nil) {
        put_tag(L, RTDVI_TAG_NIL);
        break;
      }
      /* An empty table marked by vim.empty_dict() crosses as a dictionary. */
      if (lua_getmetatable(L, idx)) {
        int is_dict;
        lua_getfield(L, LUA_REGISTRYINDEX, RTDVI_EMPTY_DICT);
        is_dict = lua_rawequal(L, -1, -2);
        lua_pop(L, 2);
        lua_pushnil(L);
        if (is_dict && lua_next(L, idx) == 0) {
          put_tag(L, RTDVI_TAG_EMPTY_DICT);
          break;
        }
        if (is_dict) lua_pop(L, 2);
        else lua_pop(L, 1);
      }
      if (depth >= RTDVI_MAX_DEPTH)
        luaL_error(L, "cannot encode table: nested too deep (or a cycle)");
      luaL_checkstack(L, 4, "table too deep to encode");
      put_tag(L, RTDVI_TAG_TABLE);
      at = rtdvi_out_length();
      put_u32(L, 0);
      lua_pushnil(L);
      while (lua_next(L, idx) != 0) {
        rtdvi_encode(L, -2, depth + 1);
        rtdvi_encode(L, -1, depth + 1);
        lua_pop(L, 1);
        count++;
      }
      memcpy(rtdvi_out_data() + at, &count, 4);
      break;
    }
    case LUA_TFUNCTION: {
      int id;
      lua_getfield(L, LUA_REGISTRYINDEX, RTDVI_CALLBACKS);
      lua_pushvalue(L, idx);
      id = luaL_ref(L, -2);
      lua_pop(L, 1);
      put_tag(L, RTDVI_TAG_FUNCTION);
      put_u32(L, (uint32_t)id);
      break;
    }
    default: {
      const char *name = luaL_typename(L, idx);
      put_bytes(L, RTDVI_TAG_OTHER, name, strlen(name));
      break;
    }
  }
}

static void need(lua_State *L, const unsigned char *pos,
                 const unsigned char *end, size_t n) {
  if ((size_t)(end - pos) < n) luaL_error(L, "malformed value from host");
}

uint32_t rtdvi_read_u32(lua_State *L, const unsigned char **pos,
                        const unsigned char *end) {
  uint32_t v;
  need(L, *pos, end, 4);
  memcpy(&v, *pos, 4);
  *pos += 4;
  return v;
}

void rtdvi_decode(lua_State *L, const unsigned char **pos,
                  const unsigned char *end, int depth) {
  unsigned char tag;
  need(L, *pos, end, 1);
  tag = **pos;
  *pos += 1;
  luaL_checkstack(L, 4, "value too deep to decode");
  switch (tag) {
    case RTDVI_TAG_NIL:
      lua_pushnil(L);
      break;
    case RTDVI_TAG_FALSE:
    case RTDVI_TAG_TRUE:
      lua_pushboolean(L, tag == RTDVI_TAG_TRUE);
      break;
    case RTDVI_TAG_INT: {
      int64_t i;
      need(L, *pos, end, 8);
      memcpy(&i, *pos, 8);
      *pos += 8;
      lua_pushinteger(L, (lua_Integer)i);
      break;
    }
    case RTDVI_TAG_FLOAT: {
      double d;
      need(L, *pos, end, 8);
      memcpy(&d, *pos, 8);
      *pos += 8;
      lua_pushnumber(L, (lua_Number)d);
      break;
    }
    case RTDVI_TAG_STRING:
    case RTDVI_TAG_OTHER: {
      uint32_t len = rtdvi_read_u32(L, pos, end);
      need(L, *pos, end, len);
      lua_pushlstring(L, (const char *)*pos, len);
      *pos += len;
      break;
    }
    case RTDVI_TAG_TABLE: {
      uint32_t pairs = rtdvi_read_u32(L, pos, end), i;
      if (depth >= RTDVI_MAX_DEPTH) luaL_error(L, "value from host nested too deep");
      /* Each pair takes at least two bytes: never trust the count alone. */
      if (pairs > (size_t)(end - *pos) / 2) luaL_error(L, "malformed value from host");
      lua_createtable(L, 0, (int)pairs);
      for (i = 0; i < pairs; i++) {
        rtdvi_decode(L, pos, end, depth + 1);
        rtdvi_decode(L, pos, end, depth + 1);
        if (lua_isnil(L, -2)) luaL_error(L, "table key from host is nil");
        /* A nil array element is vim.NIL, as Neovim gives it (else the element would vanish). */
        if (lua_isnil(L, -1) && lua_isinteger(L, -2)) {
          lua_pop(L, 1);
          lua_getfield(L, LUA_REGISTRYINDEX, RTDVI_NIL);
        }
        if (lua_type(L, -2) == LUA_TNUMBER && !lua_isinteger(L, -2) &&
            lua_tonumber(L, -2) != lua_tonumber(L, -2))
          luaL_error(L, "table key from host is NaN");
        lua_rawset(L, -3);
      }
      break;
    }
    case RTDVI_TAG_EMPTY_DICT:
      lua_newtable(L);
      if (lua_getfield(L, LUA_REGISTRYINDEX, RTDVI_EMPTY_DICT) == LUA_TTABLE)
        lua_setmetatable(L, -2);
      else
        lua_pop(L, 1);
      break;
    case RTDVI_TAG_FUNCTION: {
      uint32_t id = rtdvi_read_u32(L, pos, end);
      lua_getfield(L, LUA_REGISTRYINDEX, RTDVI_CALLBACKS);
      if (id == 0 || id > INT32_MAX ||
          lua_rawgeti(L, -1, (lua_Integer)id) != LUA_TFUNCTION)
        luaL_error(L, "invalid callback id: %d", (int)id);
      lua_remove(L, -2);
      break;
    }
    default:
      luaL_error(L, "malformed value from host (tag %d)", (int)tag);
  }
}
