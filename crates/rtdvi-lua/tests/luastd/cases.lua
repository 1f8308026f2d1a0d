-- Standard-library test cases: each "-- case: NAME" starts a chunk whose
-- results (or error) harness.lua describes. Expected outcomes come from
-- Neovim 0.11.4 (scripts/gen-luastd-fixtures.sh). `H` is the harness.

-- case: inspect_mixed
return vim.inspect({1, 2, {3, 4}, a = 1, ['b c'] = 2, [10] = 3, [true] = 4, [1.5] = 5, f = print, g = print})
-- case: inspect_cycle
local t = {x = 1} t.self = t t.list = {t, t}
return vim.inspect(t)
-- case: inspect_shared
local s = {1}
return vim.inspect({s, s})
-- case: inspect_depth
return vim.inspect({a = {b = {c = {}}}}, {depth = 2})
-- case: inspect_depth0
return vim.inspect({1, {2}}, {depth = 0}), vim.inspect({1, {2}}, {depth = 1})
-- case: inspect_newline_indent
return vim.inspect({a = {b = 1}, 'x'}, {newline = ' ', indent = ''}), vim.inspect({a = {b = 1}}, {indent = '\t'})
-- case: inspect_strings
return vim.inspect("a\nb\t\"'\1\127\200é\\"), vim.inspect("it's"), vim.inspect('say "hi"'), vim.inspect('\0001\r\a\b\f\v'), vim.inspect('\0279')
-- case: inspect_metatable
return vim.inspect(setmetatable({a = 1}, {__index = {}})), vim.inspect(setmetatable({}, {}))
-- case: inspect_process
return vim.inspect({a = 1, b = {c = 2}}, {process = function(item, path) if path[#path] == 'c' then return nil end return item end})
-- case: inspect_process_path
local seen = {}
vim.inspect({a = {b = 1}}, {process = function(item, path)
  local p = {}
  for i, k in ipairs(path) do p[i] = tostring(k) end
  seen[#seen + 1] = table.concat(p, '.')
  return item
end})
table.sort(seen)
return seen
-- case: inspect_numbers
return vim.inspect(1/0), vim.inspect(-1/0), vim.inspect(1e100), vim.inspect(2^53), vim.inspect(0.1), vim.inspect(1/3), vim.inspect(-7), vim.inspect(3.0)
-- case: inspect_empty
return vim.inspect({}), vim.inspect({{}}), vim.inspect({[{}] = 1}), vim.inspect(vim.empty_dict()), vim.inspect({vim.NIL}), vim.inspect(nil), vim.inspect(true)
-- case: inspect_keys
return vim.inspect({['and'] = 1, _x = 2, A1 = 3, ['1a'] = 4, ['a.b'] = 5, [''] = 6})
-- case: inspect_holes
return vim.inspect({1, nil, 3}), vim.inspect({[-1] = 1, [0] = 2, [1] = 3}), vim.inspect({n = 1, 2, 3})
-- case: inspect_functions
local f, g = function() end, function() end
return vim.inspect({f, g, f, x = g, [f] = 1}), vim.inspect(coroutine.create(print)), vim.inspect(print)
-- case: inspect_nested_mixed
return vim.inspect({{1, a = 1}, {b = {2}}, c = {{}, {d = 'e'}}})
-- case: inspect_call_forms
return vim.inspect.inspect({1}), vim.inspect({x = vim.inspect.KEY}), tostring(vim.inspect.METATABLE)

-- case: json_encode_basic
return vim.json.encode({}), vim.json.encode(vim.empty_dict()), vim.json.encode({1, 2, vim.NIL}), vim.json.encode({a = {b = true}}), vim.json.encode(false), vim.json.encode(vim.NIL)
-- case: json_encode_strings
return vim.json.encode("a/b\n\1é\"\\\t\r\b\f"), vim.json.encode('')
-- case: json_encode_numbers
return vim.json.encode(1.5), vim.json.encode(3), vim.json.encode(1e100), vim.json.encode(0.1), vim.json.encode(-0.25), vim.json.encode(1/3), vim.json.encode(2^53)
-- case: json_encode_sparse
return vim.json.encode({[1] = 1, [3] = 3}), vim.json.encode({[1] = 1, x = 3}):len(), vim.json.encode({[2] = 'b'})
-- case: json_encode_function
return vim.json.encode(function() end)
-- case: json_encode_inf
return vim.json.encode(1/0)
-- case: json_encode_nan
return vim.json.encode({0/0})
-- case: json_decode_basic
return vim.json.decode('{"a":null,"b":[],"c":{},"d":[1,2.5,"x",true,false]}')
-- case: json_decode_luanil
return vim.json.decode('{"a":null,"b":1}', {luanil = {object = true}}), vim.json.decode('[1,null,3]', {luanil = {array = true}}), vim.json.decode('[1,null]')
-- case: json_decode_strings
return vim.json.decode('"a\\u00e9\\n\\/\\"\\\\\\ud83d\\ude00"'), vim.json.decode(' "x" ')
-- case: json_decode_numbers
return vim.json.decode('[0, -1, 1e3, 1.25, -0.5E-2, 12345678901]')
-- case: json_decode_err_end
return vim.json.decode('{"a":')
-- case: json_decode_err_token
return vim.json.decode('x')
-- case: json_decode_err_array
return vim.json.decode('[1,2')
-- case: json_decode_err_trailing
return vim.json.decode('{"a":1} x')
-- case: json_decode_err_key
return vim.json.decode('{1:2}')
-- case: json_decode_err_colon
return vim.json.decode('{"a" 2}')
-- case: json_decode_err_objend
return vim.json.decode('{"a":2 "b"}')
-- case: json_decode_err_empty
return vim.json.decode('')
-- case: json_decode_err_comma
return vim.json.decode('[1,]')
-- case: json_decode_err_escape
return vim.json.decode('"\\q"')
-- case: json_roundtrip
local v = {list = {1, 'two', {three = 3}}, empty = vim.empty_dict(), none = vim.NIL}
return vim.deep_equal(vim.json.decode(vim.json.encode(v)), v)

-- case: split_basic
return vim.split('a,b,,c', ','), vim.split('', ','), vim.split('abc', ''), vim.split(',a,', ',', {trimempty = true})
-- case: split_plain
return vim.split('a.b', '.', {plain = true}), vim.split('a.b', '.', true), vim.split('a  b', '%s+'), vim.split('a.b', '.')
-- case: split_trimempty
return vim.split(',,', ',', {trimempty = true}), vim.split('abc', '', {trimempty = true}), vim.split('aXbX', 'X'), vim.split('  a  ', ' ', {trimempty = true}), vim.split(',a,,b,', ',', {trimempty = true})
-- case: split_infinite
return vim.split('a', 'a*')
-- case: split_bad_sep
return vim.split('a', nil)
-- case: gsplit_iter
local out = {}
for piece in vim.gsplit('a b  c', ' ') do out[#out + 1] = piece end
return out
-- case: trim_pesc
return vim.trim('  a b  '), vim.trim(''), vim.trim('\t\nx\n'), vim.pesc('a.b*c%d'), vim.pesc('^[x]-+?$()')
-- case: trim_bad
return vim.trim(nil)
-- case: startswith_endswith
return vim.startswith('abc', ''), vim.startswith('abc', 'ab'), vim.startswith('a', 'abc'), vim.endswith('abc', ''), vim.endswith('abc', 'bc'), vim.endswith('c', 'abc')
-- case: startswith_bad
return vim.startswith(1, 'a')

-- case: deepcopy
local t = {} t.t = t
local c = vim.deepcopy(t)
local s = {1}
local c2 = vim.deepcopy({s, s})
local c3 = vim.deepcopy({s, s}, true)
local mt = {x = 1}
return vim.deepcopy({a = {1}, f = print}), c.t == c, c ~= t, c2[1] == c2[2], c3[1] == c3[2], getmetatable(vim.deepcopy(setmetatable({}, mt))) == mt
-- case: deepcopy_thread
return vim.deepcopy(coroutine.create(print))
-- case: deep_equal
return vim.deep_equal({a = {1}}, {a = {1}}), vim.deep_equal({1}, {1, 2}), vim.deep_equal(1, 1.0), vim.deep_equal('a', 'a'), vim.deep_equal({}, {}), vim.deep_equal({a = {b = 1}}, {a = {b = 2}}), vim.deep_equal(nil, false)
-- case: is_callable
return vim.is_callable(print), vim.is_callable(setmetatable({}, {__call = print})), vim.is_callable(1), vim.is_callable({}), vim.is_callable(nil)

-- case: validate_type
local function f() vim.validate('a', 1, 'string') end
return f()
-- case: validate_spec_order
local function f() vim.validate{b = {1, 's'}, a = {1, 's'}} end
return f()
-- case: validate_unknown_type
local function f() vim.validate{a = {1, 'xyz'}} end
return f()
-- case: validate_optional
local function f() vim.validate('a', nil, 'string', true) vim.validate{a = {nil, 's', true}} return 'passed' end
return f()
-- case: validate_message
local function f() vim.validate('a', 1, 'string', 'my msg') end
return f()
-- case: validate_list
local function f() vim.validate('a', 1, {'s', 't'}) end
return f()
-- case: validate_nil
local function f() vim.validate{a = {nil, 's'}} end
return f()
-- case: validate_spec_multi
local function f() vim.validate{a = {1, {'s', 'n'}}, b = {nil, 'f'}} end
return f()
-- case: validate_callable
local function f() vim.validate{a = {1, 'c'}} end
return f()
-- case: validate_spec_not_table
local function f() vim.validate{a = 'x'} end
return f()
-- case: validate_message_after_optional
local function f() vim.validate('a', 1, 'string', false, 'mmm') end
return f()
-- case: validate_bad_validator
local function f() vim.validate('a', 1, 5) end
return f()
-- case: validate_function
local function f() vim.validate('a', 1, function(x) return false end, 'a thing') end
return f()
-- case: validate_function_info
local function f() vim.validate{a = {1, function(x) return false, 'bad' end, 'a thing'}} end
return f()
-- case: validate_function_nomsg
local function f() vim.validate('a', 1, function(x) return false, 'why' end) end
return f()
-- case: validate_pass
vim.validate('a', 1, 'number')
vim.validate('a', print, 'callable')
vim.validate('a', {}, {'string', 'table'})
vim.validate('a', 2, function(x) return x == 2 end)
vim.validate{a = {1, 'n'}, b = {'x', 's'}, c = {nil, 't', true}}
return 'passed'
-- case: validate_few_args
return vim.validate()

-- case: tbl_keys_values
local k, v = vim.tbl_keys({a = 1, b = 2}), vim.tbl_values({a = 1, b = 2})
table.sort(k) table.sort(v)
return k, v
-- case: tbl_keys_bad
return vim.tbl_keys(nil)
-- case: tbl_map_filter
local m = vim.tbl_map(function(v) return v * 2 end, {1, 2, a = 3})
local f = vim.tbl_filter(function(v) return v > 1 end, {1, 2, 3})
return m, f
-- case: tbl_map_bad
return vim.tbl_map(nil, {})
-- case: tbl_contains
return vim.tbl_contains({a = 1}, 1), vim.tbl_contains({1, 2, 3}, function(v) return v > 2 end, {predicate = true}), vim.tbl_contains({1}, 2), vim.list_contains({1, 2}, 2), vim.list_contains({a = 2}, 2)
-- case: tbl_contains_bad
return vim.tbl_contains(nil, 1)
-- case: tbl_count_isempty
return vim.tbl_count({1, 2, a = 3}), vim.tbl_count({}), vim.tbl_isempty({}), vim.tbl_isempty({1})
-- case: tbl_isempty_bad
return vim.tbl_isempty(nil)
-- case: islist_isarray
return vim.islist({}), vim.islist(vim.empty_dict()), vim.isarray({[1] = 1, [3] = 3}), vim.islist({[1] = 1, [3] = 3}), vim.isarray({}), vim.isarray(vim.empty_dict()), vim.islist({1, x = 1}), vim.islist(nil), vim.islist('x'), vim.isarray({[1.5] = 1}), vim.islist({1, 2, 3}), vim.isarray({[-1] = 1})
-- case: tbl_extend
return vim.tbl_extend('force', {a = 1, b = 1}, {a = 2}), vim.tbl_extend('keep', {a = 1}, {a = 2, b = 2}), vim.tbl_extend('error', {a = 1}, {b = 2})
-- case: tbl_extend_error
return vim.tbl_extend('error', {a = 1}, {a = 1})
-- case: tbl_extend_bad_behavior
return vim.tbl_extend('x', {a = 1}, {a = 2})
-- case: tbl_extend_few
return vim.tbl_extend('force', {a = 1})
-- case: tbl_extend_not_table
return vim.tbl_extend('force', {a = 1}, 'x')
-- case: tbl_extend_first_not_table
return vim.tbl_extend('force', 1, {})
-- case: tbl_deep_extend
return vim.tbl_deep_extend('force', {a = {1, 2}, b = {x = 1}}, {a = {3}, b = {y = 2}}), vim.tbl_deep_extend('force', {a = {}}, {a = {x = 1}}), vim.tbl_deep_extend('force', {a = {x = 1}}, {a = {}})
-- case: tbl_deep_extend_keep
return vim.tbl_deep_extend('keep', {a = {x = 1}}, {a = {x = 2, y = 3}}, {b = 1}), vim.tbl_deep_extend('force', {a = 1}, {a = {b = 1}}), vim.tbl_deep_extend('force', {a = {b = 1}}, {a = 2})
-- case: tbl_deep_extend_copies
local inner = {x = 1}
local r = vim.tbl_deep_extend('force', {}, {a = inner})
return r.a == inner, vim.tbl_deep_extend('force', {a = {b = {c = 1}}}, {a = {b = {d = 2}}})
-- case: tbl_deep_extend_error
return vim.tbl_deep_extend('error', {a = {x = 1}}, {a = {x = 2}})
-- case: tbl_deep_extend_error_ok
return vim.tbl_deep_extend('error', {a = {x = 1}}, {a = {y = 2}})
-- case: tbl_get
return vim.tbl_get({a = {b = 1}}, 'a', 'b'), vim.tbl_get({a = 1}, 'a', 'b'), vim.tbl_get({a = {b = 1}}), vim.tbl_get({a = {}}, 'a', 'b', 'c'), vim.tbl_get({a = {b = false}}, 'a', 'b')
-- case: list_extend_slice
return vim.list_extend({1}, {2, 3, 4}, 2, 3), vim.list_extend({}, {1, 2}), vim.list_slice({1, 2, 3, 4}, 2, 3), vim.list_slice({1, 2, 3}, 2), vim.list_slice({1, 2, 3}, -1), vim.list_slice({1, 2, 3}, 3, 1)
-- case: list_extend_bad
return vim.list_extend({}, nil)
-- case: tbl_flatten
return vim.tbl_flatten({1, {2, {3, x = 4}}, x = {5}}), vim.tbl_flatten({})
-- case: spairs
local keys = {}
for k, v in vim.spairs({b = 1, a = 2, c = 3}) do keys[#keys + 1] = k .. v end
return keys
-- case: spairs_bad
return vim.spairs(nil)
-- case: ringbuf
local r = vim.ringbuf(2) r:push(1) r:push(2) r:push(3)
local a, b, c, d = r:pop(), r:peek(), r:pop(), r:pop()
local r2 = vim.ringbuf(3) r2:push(1) r2:push(2)
local out = {}
for v in r2 do out[#out + 1] = v end
r2:push(9) r2:clear()
return a, b, c, d, out, r2:pop()
-- case: defaulttable
local d = vim.defaulttable() d.a.b.c = 1
local z = vim.defaulttable(function() return 0 end) z.x = z.x + 1
return d.a.b.c, z.x, rawget(z, 'y'), z.y, rawget(z, 'y')

-- case: str_utfindex
local s = 'aé€😀x'
return vim.str_utfindex(s, 'utf-8', 3), vim.str_utfindex(s, 'utf-16', 6), vim.str_utfindex(s, 'utf-32', 10), vim.str_utfindex(s, 'utf-16'), vim.str_utfindex(s, 'utf-32'), vim.str_utfindex(s, 'utf-16', 2), vim.str_utfindex('aé', 'utf-16', 100, false)
-- case: str_utfindex_more
return vim.str_utfindex('😀', 'utf-16', 1), vim.str_utfindex('😀', 'utf-32', 2), vim.str_utfindex('\255x', 'utf-16'), vim.str_utfindex('\255x', 'utf-32'), vim.str_utfindex('abc', 'utf-8', 0), vim.str_utfindex('', 'utf-16')
-- case: str_utfindex_range
return vim.str_utfindex('aé', 'utf-16', 100)
-- case: str_utfindex_encoding
return vim.str_utfindex('aé', 'utf-9', 1)
-- case: str_utfindex_legacy
local s = 'aé€😀x'
return {vim.str_utfindex(s)}, {vim.str_utfindex(s, 5)}
-- case: str_utfindex_legacy_range
return vim.str_utfindex('abc', 100)
-- case: str_byteindex
local s = 'aé€😀x'
return vim.str_byteindex(s, 'utf-16', 3), vim.str_byteindex(s, 'utf-16', 4), vim.str_byteindex(s, 'utf-32', 4), vim.str_byteindex(s, 'utf-8', 2), vim.str_byteindex('aé', 'utf-16', 100, false), vim.str_byteindex('abc', 'utf-16', 0), vim.str_byteindex('aé', 'utf-16', 2), vim.str_byteindex('😀', 'utf-16', 1)
-- case: str_byteindex_range
return vim.str_byteindex('aé', 'utf-16', 100)
-- case: str_byteindex_noindex
return vim.str_byteindex('abc', 'utf-8')
-- case: str_byteindex_legacy
local s = 'aé€😀x'
return vim.str_byteindex(s, 2), vim.str_byteindex(s, 3, true), vim.str_byteindex(s, 0)

-- case: F
return vim.F.if_nil(nil, nil, 3), vim.F.if_nil(false, 1), vim.F.npcall(error, 'x'), {vim.F.npcall(function() return 1, 2 end)}, vim.F.ok_or_nil(true, 5), vim.F.ok_or_nil(false, 5), vim.F.if_nil(nil)
-- case: log_levels
return vim.log.levels

-- case: fs_joinpath
return vim.fs.joinpath('a', 'b/', '/c'), vim.fs.joinpath('a//b', 'c'), vim.fs.joinpath(), vim.fs.joinpath('a'), vim.fs.joinpath('/', 'x')
-- case: fs_basename
return vim.fs.basename('/a/b/'), vim.fs.basename('/a/b'), vim.fs.basename('a'), vim.fs.basename('/'), vim.fs.basename(''), vim.fs.basename(nil), vim.fs.basename('a.txt')
-- case: fs_dirname
return vim.fs.dirname('/a/b/'), vim.fs.dirname('/a/b'), vim.fs.dirname('a'), vim.fs.dirname('/'), vim.fs.dirname(''), vim.fs.dirname('/a'), vim.fs.dirname(nil), vim.fs.dirname('a/b'), vim.fs.dirname('./a')
-- case: fs_normalize
return vim.fs.normalize('/a//b/./c/../d/'), vim.fs.normalize('a/../../b'), vim.fs.normalize('./a'), vim.fs.normalize('/'), vim.fs.normalize('//a'), vim.fs.normalize('$RTDVI_NOPE/x'), vim.fs.normalize('a\\b'), vim.fs.normalize(''), vim.fs.normalize('.'), vim.fs.normalize('/..'), vim.fs.normalize('a/.'), vim.fs.normalize('a/b/../..'), vim.fs.normalize('../../a'), vim.fs.normalize('///a')
-- case: fs_normalize_bad
return vim.fs.normalize(nil)

-- case: version_parse
local v = vim.version.parse('1.2.3-alpha+b1')
return v.major, v.minor, v.patch, v.prerelease, v.build, tostring(v)
-- case: version_parse_loose
local function f(s, o) local v = vim.version.parse(s, o) return v and tostring(v) or 'nil' end
return f('v1.2'), f('1.x'), f('1.2.3.4'), f('  1.2.3 '), f('abc'), f('1.2', {strict = true}), f('nvim 0.11.4 extra'), f('1.2.3', {strict = true}), f('v1.2.3-rc.1', {strict = true}), f('10')
-- case: version_cmp
return vim.version.cmp('1.2.3', '1.2.4'), vim.version.cmp({1, 2}, '1.2.0'), vim.version.cmp('1.0.0-alpha', '1.0.0'), vim.version.lt('1.0', '1.1'), vim.version.gt('2', '1.9.9'), vim.version.eq('1', '1.0.0'), vim.version.le('1', '1'), vim.version.ge('1', '2'), vim.version.cmp('1.0.0-alpha.2', '1.0.0-alpha.10'), vim.version.cmp('1.0.0-beta', '1.0.0-alpha'), vim.version.cmp('1.0.0+a', '1.0.0+b')
-- case: version_cmp_bad
return vim.version.cmp('x', '1')
-- case: version_current
local v = vim.version()
return v.major, v.minor, v.patch, v.api_level, v.prerelease, v.api_prerelease, vim.version.parse('1.2.3') == vim.version.parse('1.2.3'), vim.version.parse('1.2.3') < vim.version.parse('1.3'), vim.version() >= vim.version.parse('0.10.0')

-- case: iter_list
return vim.iter({1, 2, 3}):map(function(v) return v * 2 end):totable(), vim.iter({1, 2, 3, 4}):filter(function(v) return v % 2 == 0 end):totable(), vim.iter({1, 2, 3}):map(function(v) if v ~= 2 then return v end end):totable()
-- case: iter_dict
return vim.iter({a = 1}):totable(), vim.iter({a = 1, b = 2}):map(function(k, v) return v, k end):fold({}, function(acc, k, v) acc[k] = v return acc end)
-- case: iter_fold_find
return vim.iter({1, 2, 3}):fold(0, function(a, v) return a + v end), vim.iter({1, 2, 3}):find(function(v) return v > 1 end), vim.iter({1, 2, 3}):find(3), vim.iter({1, 2}):find(5)
-- case: iter_rev_skip_take
return vim.iter({1, 2, 3}):rev():totable(), vim.iter({1, 2, 3}):skip(1):totable(), vim.iter({1, 2, 3}):take(2):totable(), vim.iter({1, 2, 3}):skip(5):totable(), vim.iter(ipairs({1, 2, 3})):skip(1):take(1):totable()
-- case: iter_enumerate
return vim.iter({'a', 'b'}):enumerate():totable(), vim.iter(ipairs({1, 2})):totable(), vim.iter(vim.gsplit('x,y', ',')):enumerate():totable()
-- case: iter_misc
return vim.iter({1, 2}):join(','), vim.iter({1, 2, 3}):last(), vim.iter({3, 4}):nth(2), vim.iter({3, 4, 5}):nth(-1), vim.iter({{1, 2}, {3}}):flatten():totable(), vim.iter({1, 2, 3}):any(function(v) return v > 2 end), vim.iter({1, 2}):all(function(v) return v > 1 end)
-- case: iter_next_peek
local it = vim.iter({1, 2, 3})
return it:next(), it:peek(), it:totable(), it:next()
-- case: iter_slice_pop
return vim.iter({1, 2, 3, 4}):slice(2, 3):totable(), vim.iter({5, 6}):pop(), vim.iter({5, 6}):rpeek(), vim.iter({1, nil, 3}):totable(), vim.iter({1, 2, 3, 2}):rfind(2)
-- case: iter_rev_dict
return vim.iter(pairs({a = 1})):rev()
-- case: iter_each
local out = {}
vim.iter({1, 2}):each(function(v) out[#out + 1] = v * 10 end)
vim.iter(pairs({x = 1})):each(function(k, v) out[#out + 1] = k .. v end)
return out
-- case: iter_call
local it = vim.iter({7, 8})
local out = {}
for v in it do out[#out + 1] = v end
return out
-- case: iter_fn_map_filter
local i = 0
local function gen() i = i + 1 if i <= 5 then return i end end
return vim.iter(gen):filter(function(v) return v % 2 == 1 end):map(function(v) return v * v end):totable()

-- case: keymap_set
return H.record(function()
  local fn = function() end
  vim.keymap.set('n', 'a', 'b')
  vim.keymap.set({'n', 'x'}, 'a', fn, {desc = 'd', silent = true})
  vim.keymap.set('i', 'a', fn, {expr = true})
  vim.keymap.set('n', 'a', 'b', {remap = true, buffer = true})
  vim.keymap.set('n', 'a', 'b', {noremap = false, buffer = 5, nowait = true})
  vim.keymap.set('', 'a', 'b', {expr = true, replace_keycodes = false})
  vim.keymap.set('n', '<Plug>(x)', 'b', {remap = true, noremap = true})
  vim.keymap.set('v', 'a', 'b', {expr = true, unique = true, script = false})
end)
-- case: keymap_del
return H.record(function()
  vim.keymap.del('n', 'a')
  vim.keymap.del({'n', 'v'}, 'a', {buffer = true})
  vim.keymap.del('i', 'a', {buffer = 3})
end)
-- case: keymap_bad_rhs
return vim.keymap.set('n', 'a', 1)
-- case: keymap_bad_lhs
return vim.keymap.set('n', nil, 'b')
-- case: notify
return H.record(function()
  vim.notify('hello')
  vim.notify('warn', vim.log.levels.WARN)
  vim.notify('err', vim.log.levels.ERROR, {title = 'x'})
  vim.notify('dbg', vim.log.levels.DEBUG)
  vim.notify('info', vim.log.levels.INFO)
end)
-- case: notify_once
local shown = {}
local calls = H.record(function()
  shown[1] = vim.notify_once('rtdvi-once')
  shown[2] = vim.notify_once('rtdvi-once')
end)
return calls, shown
-- case: keycode
return H.record(function() vim.keycode('<C-a>') end)
-- case: on_key
local ids = {}
local calls = H.record(function()
  ids[1] = vim.on_key(function() end)
  ids[2] = vim.on_key(nil, 7)
  ids[3] = vim.on_key(function() end, 9)
end)
return calls, ids
-- case: on_key_bad
return vim.on_key(1)
-- case: ui_select
local got = {}
local calls = H.record(function()
  vim.ui.select({'a', 'b'}, {prompt = 'Pick:', format_item = function(x) return x:upper() end}, function(item, idx) got = {item, idx} end)
end, {inputlist = 2})
return calls, got
-- case: ui_select_cancel
local got = {}
local calls = H.record(function()
  vim.ui.select({'a'}, {}, function(item, idx) got = {item == nil, idx == nil} end)
end, {inputlist = 0})
return calls, got

-- case: print
-- print goes to the message area in Neovim and to captured output in rtdvi:
-- compare what vim.print returns.
local real_print = print
print = function() end
local r = {vim.print('a', {1}, 2)}
print = real_print
return r
-- case: deprecate
local msgs = {}
local calls = H.record(function()
  msgs[1] = vim.deprecate('rtdvi_old()', 'new()', '2.0', 'myplugin', false)
  msgs[2] = vim.deprecate('rtdvi_old3()', nil, '2.0', 'myplugin', false)
  msgs[3] = vim.deprecate('rtdvi_old3()', nil, '2.0', 'myplugin', false)
end)
return calls, msgs
-- case: base64
return vim.base64.encode('hello!?'), vim.base64.encode(''), vim.base64.decode('aGk='), vim.base64.decode('aGVsbG8hPw=='), vim.base64.decode(''), vim.base64.encode('\0\255\128')
-- case: base64_bad_length
return vim.base64.decode('aGk')
-- case: base64_bad_char
return vim.base64.decode('a!==')
-- case: base64_bad_pad
return vim.base64.decode('a=Gk')
-- case: base64_not_string
return vim.base64.encode(1)
-- case: hex
return vim.text.hexencode('a\255'), vim.text.hexdecode('61ff'), vim.text.hexdecode('61FF'), {vim.text.hexdecode('zz')}, {vim.text.hexdecode('6')}, vim.text.hexencode('')

-- case: inspect_more_strings
return vim.inspect('both \' and "'), vim.inspect('\\n'), vim.inspect('tab\there'), vim.inspect('\r\n'), vim.inspect(''), vim.inspect('\0')
-- case: inspect_metatable_cycle
local mt = {}
mt.__index = mt
local obj = setmetatable({v = 1}, mt)
return vim.inspect(obj), vim.inspect({obj, obj})
-- case: inspect_process_keys
return vim.inspect({a = 1, b = 2, [3] = 'x'}, {process = function(item, path)
  if path[#path] == vim.inspect.KEY and type(item) == 'string' then return item:upper() end
  return item
end})
-- case: inspect_process_metatable
return vim.inspect(setmetatable({a = 1}, {__index = {}}), {process = function(item, path)
  if path[#path] == vim.inspect.METATABLE then return nil end
  return item
end})
-- case: inspect_key_types
local f = function() end
return vim.inspect({[f] = 1, [{}] = 2, x = 3, [1] = 4, [2.5] = 5})
-- case: inspect_deep_list
return vim.inspect({{{1, 2}, {3}}, {}, {{}}}), vim.inspect({{a = 1}, {b = 2}})
-- case: inspect_depth_shared
local t = {1}
return vim.inspect({t, {t}}, {depth = 1})
-- case: json_encode_nested_empty
return vim.json.encode({a = {}}), vim.json.encode({{}, vim.empty_dict(), {{}}}), vim.json.encode({[1] = true, [2] = false})
-- case: json_encode_mixed_keys_error
return vim.json.encode({[true] = 1})
-- case: json_decode_nested
return vim.json.decode(' { "a" : [ { "b" : [ ] } , 2 ] , "c" : "d" } ')
-- case: json_decode_words
return vim.json.decode('[true,false,null]')
-- case: json_decode_bad_word
return vim.json.decode('tru')
-- case: json_decode_unterminated
return vim.json.decode('"abc')
-- case: json_decode_bad_unicode
return vim.json.decode('"\\u12"')
-- case: json_decode_control_char
return vim.json.decode('"a\nb"')
-- case: json_decode_not_string
return vim.json.decode(1)
-- case: json_decode_obj_trailing_comma
return vim.json.decode('{"a":1,}')
-- case: json_decode_number_forms
return vim.json.decode('[-0, 0.5, 1E2, 1e-2, 123]')
-- case: split_patterns
return vim.split('a1b22c', '%d'), vim.split('a1b22c', '%d+'), vim.split('x', ','), vim.split('a,b', ',', {}), vim.split('a b', ' ', {plain = false})
-- case: gsplit_trimempty_iter
local out = {}
for p in vim.gsplit(',,a,,b,,', ',', {trimempty = true}) do out[#out + 1] = p end
return out
-- case: tbl_contains_pred_bad
return vim.tbl_contains({1}, 1, {predicate = true})
-- case: validate_spec_message_ok
local function f() vim.validate{a = {1, 'n', 'a number'}, b = {nil, {'s', 't'}, true}} return 'passed' end
return f()
-- case: validate_spec_message_fail
local function f() vim.validate{a = {'x', 'n', 'a number'}} end
return f()
-- case: validate_list_fail_aliases
local function f() vim.validate('a', true, {'number', 'string'}) end
return f()
-- case: validate_list_callable
local function f() vim.validate('a', 1, {'c', 'string'}) end
return f()
-- case: str_byteindex_utf32
local s = 'aé€😀x'
return vim.str_byteindex(s, 'utf-32', 0), vim.str_byteindex(s, 'utf-32', 1), vim.str_byteindex(s, 'utf-32', 2), vim.str_byteindex(s, 'utf-32', 3), vim.str_byteindex(s, 'utf-32', 5), vim.str_byteindex(s, 'utf-16', 6), vim.str_byteindex(s, 'utf-8', 11)
-- case: str_utfindex_steps
local s = 'aé€😀x'
local out = {}
for i = 0, #s do out[#out + 1] = vim.str_utfindex(s, 'utf-16', i) .. '/' .. vim.str_utfindex(s, 'utf-32', i) end
return table.concat(out, ' ')
-- case: version_parse_more
local function f(s, o) local v = vim.version.parse(s, o) return v and tostring(v) or 'nil' end
return f('1.2.3-'), f('1.2.3+'), f('1.2.3-alpha.1+build.5'), f('v0.10.0-dev-2936+g8ba7ef6a3'), f('1.2.3 4.5.6'), f(''), f('1.2.3', {strict = false}), f('01.2.3', {strict = true})
-- case: version_parse_bad_arg
return vim.version.parse(1)
-- case: version_last
return tostring(vim.version.last({vim.version.parse('1.2.3'), vim.version.parse('1.10.0'), vim.version.parse('1.9.9')}))
-- case: iter_dict_ops
local t = {a = 1, b = 2, c = 3}
local sum = vim.iter(t):fold(0, function(acc, k, v) return acc + v end)
local keys = vim.iter(t):filter(function(k, v) return v > 1 end):map(function(k) return k end):totable()
table.sort(keys)
return sum, keys, vim.iter(t):any(function(k, v) return v == 3 end), vim.iter(t):all(function(k, v) return v > 0 end)
-- case: iter_fn_ops
local function counter(n) local i = 0 return function() i = i + 1 if i <= n then return i end end end
return vim.iter(counter(5)):take(2):totable(), vim.iter(counter(5)):nth(3), vim.iter(counter(3)):last(), vim.iter(counter(4)):skip(2):totable(), vim.iter(counter(3)):enumerate():totable(), vim.iter(counter(3)):join('-')
-- case: iter_fn_peek
local function gen() return nil end
return vim.iter(gen):peek()
-- case: iter_list_edges
return vim.iter({}):totable(), vim.iter({}):last(), vim.iter({1}):nth(5), vim.iter({1, 2, 3}):nth(-5), vim.iter({1, 2, 3}):take(0):totable(), vim.iter({1, 2, 3}):rev():enumerate():totable(), vim.iter({1, 2, 3}):skip(1):rev():totable()
-- case: iter_map_multi
return vim.iter({1, 2}):map(function(v) return v, v * 10 end):totable(), vim.iter({1, 2}):map(function(v) return v, v * 10 end):map(function(a, b) return a + b end):totable()
-- case: iter_flatten_deep
return vim.iter({1, {2, {3, {4}}}}):flatten(2):totable(), vim.iter({1, {2, {3, {4}}}}):flatten(math.huge):totable()
-- case: iter_flatten_dict
return vim.iter({1, {a = 2}}):flatten():totable()
-- case: iter_bad_src
return vim.iter(5)
-- case: tbl_map_keys
local r = vim.tbl_map(function(v) return v .. '!' end, {x = 'a', y = 'b'})
return r
-- case: fs_more
return vim.fs.joinpath('a', '', 'b'), vim.fs.dirname('a/b/c.txt'), vim.fs.basename('a/b/c.txt'), vim.fs.normalize('a//b//'), vim.fs.normalize('/a/b/../../..'), vim.fs.normalize('a/./b/.')
-- case: deep_equal_nested
local a = {x = {y = {1, 2, {z = true}}}}
return vim.deep_equal(a, vim.deepcopy(a)), vim.deep_equal(a, {x = {y = {1, 2, {z = false}}}}), vim.deep_equal({1, 2}, {2, 1})
-- case: list_slice_more
return vim.list_slice({1, 2, 3}, 0, 2), vim.list_slice({}), vim.list_slice({1, 2, 3}, 2, 10)
-- case: defaulttable_key
local t = vim.defaulttable(function(k) return k .. k end)
return t.ab, t[1] == nil
-- case: iter_enumerate_positions
return vim.iter({'a', 'b', 'c'}):skip(1):enumerate():totable(), vim.iter({'a', 'b', 'c'}):rev():skip(1):enumerate():totable(), vim.iter({'a', 'b', 'c'}):filter(function(v) return v ~= 'a' end):enumerate():totable(), vim.iter({'a', 'b', 'c'}):slice(2, 3):enumerate():totable()
-- case: str_utf_pos
local s = 'aé€😀x'
local a, b = {}, {}
for i = 1, #s do a[i] = vim.str_utf_start(s, i) b[i] = vim.str_utf_end(s, i) end
return vim.str_utf_pos(s), vim.str_utf_pos(''), vim.str_utf_pos('\255\195'), a, b
-- case: str_utf_start_range
return vim.str_utf_start('abc', 0)
-- case: str_utf_end_range
return vim.str_utf_end('abc', 4)
-- case: stricmp
return vim.stricmp('abc', 'ABC'), vim.stricmp('a', 'b'), vim.stricmp('b', 'A'), vim.stricmp('', 'a')
-- case: json_encode_cycle
local t = {} t.t = t
return vim.json.encode(t)
-- case: json_decode_too_deep
return vim.json.decode(string.rep('[', 1001) .. string.rep(']', 1001))
-- case: json_decode_deep_ok
return #vim.json.encode(vim.json.decode(string.rep('[', 1000) .. string.rep(']', 1000)))
-- case: json_decode_exponents
return vim.json.decode('[1e5, 2E-1, -3.5e+2, 10]')
-- case: json_decode_lone_minus
return vim.json.decode('-')
-- case: json_decode_leading_dot
return vim.json.decode('.5')
-- case: json_decode_trailing_dot
return vim.json.decode('[1.]')
