//! Window opening and configuration entries: `nvim_open_win`, `nvim_win_set_config`,
//! `nvim_win_get_config`, over [`crate::float`] (floating windows) and the split layout
//! (`nvim_open_win` with `split`/`vertical` instead of `relative`).

use rmpv::Value;

use super::args::{invalid_key, opt_bool, opt_int, opt_str, resolve_window, type_name};
use super::{ApiEntry, ApiError, Args};
use crate::buffer::BufferId;
use crate::editor::Editor;
use crate::float::{border_chars, Anchor, FloatConfig, Relative};
use crate::options::{self, OptionValue};
use crate::window::{Window, WindowId};

/// This module's entries of the API table.
pub(super) static ENTRIES: &[ApiEntry] = &[
    ApiEntry { name: "nvim_open_win", params: OPEN, returns: "Window", func: open_win },
    ApiEntry { name: "nvim_win_get_config", params: WIN, returns: "Dictionary", func: get_config },
    ApiEntry { name: "nvim_win_set_config", params: SET, returns: "nil", func: set_config },
];

const OPEN: &[(&str, &str)] = &[("buffer", "Buffer"), ("enter", "Boolean"), ("config", "Dictionary")];
const WIN: &[(&str, &str)] = &[("window", "Window")];
const SET: &[(&str, &str)] = &[("window", "Window"), ("config", "Dictionary")];

/// A parsed `config` dictionary: the float part, or a split request.
#[derive(Default)]
struct Config {
    relative: Option<String>,
    win: Option<WindowId>,
    anchor: Option<Anchor>,
    row: Option<f64>,
    col: Option<f64>,
    width: Option<usize>,
    height: Option<usize>,
    border: Option<(Vec<String>, Option<String>)>,
    minimal: bool,
    zindex: Option<i64>,
    focusable: Option<bool>,
    hide: Option<bool>,
    title: Option<String>,
    split: Option<String>,
    vertical: Option<bool>,
}

fn number(key: &str, v: &Value) -> Result<f64, ApiError> {
    match v {
        Value::Integer(n) => Ok(n.as_i64().unwrap_or(0) as f64),
        Value::F32(f) => Ok(f64::from(*f)),
        Value::F64(f) => Ok(*f),
        other => Err(ApiError::Msg(format!("Invalid '{key}': expected Number, got {}", type_name(other)))),
    }
}

fn size(key: &str, v: &Value) -> Result<usize, ApiError> {
    let n = opt_int(key, v)?;
    usize::try_from(n)
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| ApiError::Msg(format!("'{key}' key must be a positive Integer")))
}

fn parse(editor: &Editor, opts: &[(&str, &Value)]) -> Result<Config, ApiError> {
    let mut c = Config::default();
    for (k, v) in opts {
        match *k {
            "relative" => c.relative = Some(opt_str(k, v)?.to_string()),
            "win" => c.win = Some(resolve_window(editor, opt_int(k, v)?)?),
            "anchor" => {
                let s = opt_str(k, v)?;
                c.anchor =
                    Some(Anchor::parse(s).ok_or_else(|| ApiError::Msg("Invalid value of 'anchor' key".to_string()))?);
            }
            "row" => c.row = Some(number(k, v)?),
            "col" => c.col = Some(number(k, v)?),
            "width" => c.width = Some(size(k, v)?),
            "height" => c.height = Some(size(k, v)?),
            "border" => {
                c.border = Some(match v {
                    Value::String(s) => {
                        let s = s.as_str().unwrap_or_default();
                        let chars =
                            border_chars(s).ok_or_else(|| ApiError::Msg(format!("invalid border style \"{s}\"")))?;
                        (chars, Some(s.to_string()))
                    }
                    Value::Array(items) => {
                        let parts: Vec<String> = items
                            .iter()
                            .map(|i| match i {
                                Value::String(s) => Some(s.as_str().unwrap_or_default().to_string()),
                                Value::Array(p) => p.first().and_then(Value::as_str).map(str::to_string),
                                _ => None,
                            })
                            .collect::<Option<_>>()
                            .ok_or_else(|| ApiError::Msg("invalid border char".to_string()))?;
                        // Neovim repeats shorter lists (1, 2 or 4 items) to eight.
                        if parts.is_empty() || 8 % parts.len() != 0 {
                            return Err(ApiError::Msg("invalid number of border chars".to_string()));
                        }
                        ((0..8).map(|i| parts[i % parts.len()].clone()).collect(), None)
                    }
                    _ => return Err(ApiError::Msg("invalid border style".to_string())),
                })
            }
            "style" => match opt_str(k, v)? {
                "minimal" => c.minimal = true,
                "" => c.minimal = false,
                _ => return Err(ApiError::Msg("Invalid value of 'style' key".to_string())),
            },
            "zindex" => c.zindex = Some(opt_int(k, v)?),
            "focusable" => c.focusable = Some(opt_bool(k, v)?),
            "hide" => c.hide = Some(opt_bool(k, v)?),
            "title" => {
                c.title = Some(match v {
                    Value::String(s) => s.as_str().unwrap_or_default().to_string(),
                    Value::Array(chunks) => chunks
                        .iter()
                        .filter_map(|ch| ch.as_array().and_then(|a| a.first()).and_then(Value::as_str))
                        .collect(),
                    _ => String::new(),
                })
            }
            "split" => c.split = Some(opt_str(k, v)?.to_string()),
            "vertical" => c.vertical = Some(opt_bool(k, v)?),
            // Accepted for compatibility; nothing to do in a terminal editor (yet).
            "external" | "noautocmd" | "fixed" | "mouse" => {
                opt_bool(k, v)?;
            }
            "bufpos" | "title_pos" | "footer" | "footer_pos" => {}
            other => return Err(invalid_key(other)),
        }
    }
    Ok(c)
}

/// Builds a float configuration from a parsed `config` (with the old one's values as defaults).
fn float_config(editor: &Editor, c: &Config, old: Option<&FloatConfig>) -> Result<FloatConfig, ApiError> {
    let relative = match c.relative.as_deref() {
        Some("editor") | Some("laststatus") | Some("tabline") => Relative::Editor,
        Some("win") => Relative::Win(c.win.unwrap_or(editor.current)),
        Some("cursor") | Some("mouse") => Relative::Cursor,
        Some(_) => return Err(ApiError::Msg("Invalid value of 'relative' key".to_string())),
        None => match old {
            Some(o) => o.relative,
            None => return Err(ApiError::Msg("Must specify 'relative'".to_string())),
        },
    };
    let width = c.width.or(old.map(|o| o.width)).ok_or_else(|| ApiError::Msg("Must specify 'width'".to_string()))?;
    let height =
        c.height.or(old.map(|o| o.height)).ok_or_else(|| ApiError::Msg("Must specify 'height'".to_string()))?;
    let (mut row, mut col) = (c.row.or(old.map(|o| o.row)).unwrap_or(0.0), c.col.or(old.map(|o| o.col)).unwrap_or(0.0));
    // A cursor-relative float is stored relative to the current window, as Neovim reports it.
    let relative = match relative {
        Relative::Cursor => {
            let w = editor.win();
            row += w.cursor_screen.0 as f64;
            col += w.cursor_screen.1 as f64;
            Relative::Win(editor.current)
        }
        r => r,
    };
    let (border, border_style) = match &c.border {
        Some((b, s)) => (b.clone(), s.clone()),
        None => old.map(|o| (o.border.clone(), o.border_style.clone())).unwrap_or_default(),
    };
    Ok(FloatConfig {
        relative,
        anchor: c.anchor.or(old.map(|o| o.anchor)).unwrap_or_default(),
        row,
        col,
        width,
        height,
        border,
        border_style,
        minimal: c.minimal || old.is_some_and(|o| o.minimal),
        zindex: c.zindex.or(old.map(|o| o.zindex)).unwrap_or(50),
        focusable: c.focusable.or(old.map(|o| o.focusable)).unwrap_or(true),
        hide: c.hide.or(old.map(|o| o.hide)).unwrap_or(false),
        title: c.title.clone().or(old.and_then(|o| o.title.clone())),
    })
}

/// `style = "minimal"`: the window options Neovim turns off for it.
fn apply_minimal(w: &mut Window) {
    for name in ["number", "relativenumber", "cursorline", "cursorcolumn", "list"] {
        w.options.set(options::id(name), OptionValue::Bool(false));
    }
    w.options.set(options::id("signcolumn"), OptionValue::String("auto".to_string()));
    w.options.set(options::id("colorcolumn"), OptionValue::String(String::new()));
}

/// Opens a floating window on `buf` in the current tab page.
fn open_float(editor: &mut Editor, buf: BufferId, cfg: FloatConfig) -> WindowId {
    let id = WindowId(editor.next_window);
    editor.next_window += 1;
    let mut w = Window::new(id, buf, &editor.options);
    if cfg.minimal {
        apply_minimal(&mut w);
    }
    w.float = Some(cfg);
    editor.windows.push(w);
    let i = editor.tab_index.min(editor.tabs.len().saturating_sub(1));
    if let Some(t) = editor.tabs.get_mut(i) {
        t.floats.push(id);
    }
    editor.place_floats();
    id
}

/// Opens a split window on `buf` next to `target` (`split`: left, right, above, below).
fn open_split(editor: &mut Editor, buf: BufferId, c: &Config) -> Result<WindowId, ApiError> {
    use crate::layout::Dir;
    let side = c.split.clone().unwrap_or_else(|| if c.vertical == Some(true) { "left".into() } else { "above".into() });
    let (dir, after, size) = match side.as_str() {
        "left" => (Dir::Row, false, c.width),
        "right" => (Dir::Row, true, c.width),
        "above" => (Dir::Col, false, c.height),
        "below" => (Dir::Col, true, c.height),
        _ => return Err(ApiError::Msg("Invalid value of 'split' key".to_string())),
    };
    let target = c.win.unwrap_or(editor.current);
    let option = if dir == Dir::Row { "splitright" } else { "splitbelow" };
    let id = options::id(option);
    let saved = editor.options.get(id).cloned();
    editor.options.set(id, OptionValue::Bool(after));
    let made = super::window::with_window(editor, target, |e| e.split_window(dir, size));
    if let Some(v) = saved {
        editor.options.set(id, v);
    }
    let new = made.map_err(|e| ApiError::Msg(format!("Vim:{e}")))?;
    if let Some(n) = size {
        // The text size, as `:resize` counts it (the split's own size includes the status line).
        super::window::with_window(editor, new, |e| e.resize_window(dir, n));
    }
    if let Some(w) = editor.window_mut(new) {
        w.buffer = buf;
        w.cursor = crate::window::Cursor::default();
    }
    // Opening is not entering: the tab page's current window stays (with_window put it back).
    let (cur, tab) = (editor.current, editor.tab_index);
    if let Some(t) = editor.tabs.get_mut(tab) {
        t.current = cur;
    }
    editor.relayout();
    Ok(new)
}

/// `nvim_open_win(buffer, enter, config)`: a floating window (with `relative`) or a split
/// (with `split`/`vertical`); `enter` makes it current.
pub(super) fn open_win(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let buf = a.buffer(editor)?;
    let enter = a.bool()?;
    let opts = a.opts()?;
    let c = parse(editor, &opts)?;
    let id = if c.relative.is_none() && (c.split.is_some() || c.vertical.is_some()) {
        open_split(editor, buf, &c)?
    } else {
        let cfg = float_config(editor, &c, None)?;
        open_float(editor, buf, cfg)
    };
    if enter {
        editor.enter_window(id);
    }
    Ok(Value::from(id.0))
}

/// `nvim_win_set_config(window, config)`: changes a float's placement or look (a split window
/// can't become a float yet).
pub(super) fn set_config(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let win = a.window(editor)?;
    let opts = a.opts()?;
    let c = parse(editor, &opts)?;
    let old = editor.window(win).and_then(|w| w.float.clone());
    let Some(old) = old else {
        if c.relative.is_some() {
            return Err(ApiError::Msg(
                "Turning a split window into a floating window is not supported yet".to_string(),
            ));
        }
        // Sizes of a split window.
        if let Some(h) = c.height {
            super::window::with_window(editor, win, |e| e.resize_window(crate::layout::Dir::Col, h));
        }
        if let Some(w) = c.width {
            super::window::with_window(editor, win, |e| e.resize_window(crate::layout::Dir::Row, w));
        }
        return Ok(Value::Nil);
    };
    let cfg = float_config(editor, &c, Some(&old))?;
    if let Some(w) = editor.window_mut(win) {
        if cfg.minimal && !old.minimal {
            apply_minimal(w);
        }
        w.float = Some(cfg);
    }
    editor.place_floats();
    Ok(Value::Nil)
}

/// `nvim_win_get_config(window)`: the configuration as Neovim reports it (`relative = ""` and
/// `split` for a split window).
pub(super) fn get_config(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let win = a.window(editor)?;
    let w = editor.window(win).ok_or(ApiError::InvalidWindow(i64::from(win.0)))?;
    let mut m = Vec::new();
    let mut put = |k: &str, v: Value| m.push((Value::from(k), v));
    match &w.float {
        None => {
            put("external", Value::from(false));
            put("focusable", Value::from(true));
            put("height", Value::from(w.height));
            put("hide", Value::from(false));
            put("mouse", Value::from(true));
            put("relative", Value::from(""));
            put("split", Value::from(split_side(editor, win)));
            put("width", Value::from(w.width));
        }
        Some(f) => {
            put("anchor", Value::from(f.anchor.name()));
            if !f.border.is_empty() {
                put("border", Value::Array(f.border.iter().map(|s| Value::from(s.as_str())).collect()));
            }
            let num = |x: f64| if x.fract() == 0.0 { Value::from(x as i64) } else { Value::F64(x) };
            put("col", num(f.col));
            put("external", Value::from(false));
            put("focusable", Value::from(f.focusable));
            put("height", Value::from(f.height));
            put("hide", Value::from(f.hide));
            put("mouse", Value::from(true));
            put("relative", Value::from(f.relative.name()));
            put("row", num(f.row));
            if let Some(t) = &f.title {
                put("title", Value::Array(vec![Value::Array(vec![Value::from(t.as_str())])]));
            }
            put("width", Value::from(f.width));
            if let Relative::Win(target) = f.relative {
                put("win", Value::from(target.0));
            }
            put("zindex", Value::from(f.zindex));
        }
    }
    Ok(Value::Map(m))
}

/// Which side of its neighbour a split window is on, as `nvim_win_get_config` names it.
fn split_side(editor: &Editor, win: WindowId) -> &'static str {
    let Some(w) = editor.window(win) else { return "left" };
    let others: Vec<_> =
        editor.tab_windows().into_iter().filter(|o| *o != win).filter_map(|o| editor.window(o)).collect();
    if others.iter().any(|o| o.rect.y + o.rect.height < w.rect.y) {
        "below"
    } else if others.iter().any(|o| o.rect.y > w.rect.y + w.rect.height) {
        "above"
    } else if others.iter().any(|o| o.rect.x + o.rect.width < w.rect.x) {
        "right"
    } else {
        "left"
    }
}
