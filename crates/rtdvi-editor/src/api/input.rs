//! Key input entries: `nvim_replace_termcodes`, `nvim_feedkeys`, `nvim_input`.
//!
//! `nvim_replace_termcodes` turns key notation into the editor's internal key string, where a
//! key with a text character is that character and any other key (`<BS>`, `<Up>`, `<M-x>`...)
//! is one private-use character, the encoding registers use for recorded macros
//! ([`crate::keys::key_to_register_char`]). `nvim_feedkeys` reads that encoding back, so the
//! usual `nvim_feedkeys(nvim_replace_termcodes(...), ...)` round trip types the intended keys.
//! (Neovim uses byte sequences starting with 0x80 instead, which are not valid UTF-8; plugins
//! only pass them along, so the difference is not visible to them.)

use rmpv::Value;

use super::{ApiEntry, ApiError, Args};
use crate::editor::Editor;
use crate::keys::{key_from_register_char, key_to_register_char, parse_keys_with};

/// This module's entries of the API table.
pub(super) static ENTRIES: &[ApiEntry] = &[
    ApiEntry { name: "nvim_feedkeys", params: FEEDKEYS, returns: "nil", func: feedkeys },
    ApiEntry { name: "nvim_input", params: INPUT, returns: "Integer", func: input },
    ApiEntry { name: "nvim_replace_termcodes", params: TERMCODES, returns: "String", func: replace_termcodes },
    ApiEntry { name: "rtdvi_on_key", params: ON_KEY, returns: "nil", func: on_key },
];

const ON_KEY: &[(&str, &str)] = &[("ns_id", "Integer"), ("fn", "Object")];

/// `rtdvi_on_key(ns_id, fn)`: what `vim.on_key` registers. The key engine calls `fn(key, typed)`
/// for every key it takes (see [`Editor::on_key_callbacks`]); `fn = nil` removes the namespace's
/// callback.
pub(super) fn on_key(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let ns = a.int()?;
    let f = a.any()?;
    let old = match super::callback_id(f) {
        Some(id) => editor.vi.on_key.insert(ns, id),
        None if f.is_nil() => editor.vi.on_key.remove(&ns),
        None => return Err(ApiError::Msg("Invalid 'fn': expected Function".into())),
    };
    if let Some(old) = old {
        editor.release_callback(old);
    }
    Ok(Value::Nil)
}

const TERMCODES: &[(&str, &str)] =
    &[("str", "String"), ("from_part", "Boolean"), ("do_lt", "Boolean"), ("special", "Boolean")];
const FEEDKEYS: &[(&str, &str)] = &[("keys", "String"), ("mode", "String"), ("escape_ks", "Boolean")];
const INPUT: &[(&str, &str)] = &[("keys", "String")];

/// `nvim_replace_termcodes(str, from_part, do_lt, special)`: `special = false` leaves the text
/// alone; `do_lt = false` keeps `<lt>` as written; `<Leader>` uses `g:mapleader`.
pub(super) fn replace_termcodes(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let text = a.string()?.to_string();
    let (_from_part, do_lt, special) = (a.bool()?, a.bool()?, a.bool()?);
    if !special {
        return Ok(Value::from(text));
    }
    let (leader, local) = editor.leaders();
    // Without `do_lt`, `<lt>` stays as written: protect it from the notation parser.
    let protected = if do_lt { text } else { text.replace("<lt>", "<lt>lt>") };
    let keys = parse_keys_with(&protected, &leader, &local);
    Ok(Value::from(keys.iter().filter_map(key_to_register_char).collect::<String>()))
}

/// `nvim_feedkeys(keys, mode, escape_ks)`: `mode` flags `m` (remap, the default), `n` (no
/// remap), `t` (as typed), `i` (insert before the pending typeahead), `x` (execute now, then end
/// insert mode), `!` (with `x`: stay in insert mode); `L` and `escape_ks` have nothing to do here.
pub(super) fn feedkeys(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let text = a.string()?.to_string();
    let mode = a.string()?.to_string();
    let _escape_ks = a.bool()?;
    let keys: Vec<_> = text.chars().map(key_from_register_char).collect();
    let remap = !mode.contains('n');
    let execute = mode.contains('x');
    editor.queue_keys(&keys, remap, mode.contains('t'), mode.contains('i'), execute);
    // `x` without `!` ends insert mode once the keys ran, as Neovim's nvim_feedkeys does.
    if execute && !mode.contains('!') && editor.mode().starts_with(['i', 'R']) {
        editor.queue_keys(&[key_from_register_char('\x1b')], false, false, false, true);
    }
    Ok(Value::Nil)
}

/// `nvim_input(keys)`: keys in notation, queued as typed; returns how many bytes were taken.
pub(super) fn input(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let text = a.string()?.to_string();
    let (leader, local) = editor.leaders();
    let keys = parse_keys_with(&text, &leader, &local);
    editor.queue_keys(&keys, true, true, false, false);
    Ok(Value::from(text.len()))
}
