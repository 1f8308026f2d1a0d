/* Empty on purpose: rtdvi's Lua build raises errors through host imports
 * (see ../rtdvi_luaconf.h), so nothing may use setjmp/longjmp. */
