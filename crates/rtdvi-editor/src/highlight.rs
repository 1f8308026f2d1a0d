//! Highlight groups: Neovim's group names, links, the default dark and light schemes, and `:highlight`.
//!
//! The table lives in the editor (not the terminal UI) so that `:hi`, the Lua API and plugins can
//! drive it; front ends only resolve a group to its final attributes. Tree-sitter captures use
//! Neovim's `@capture` names: `@keyword.function` falls back to `@keyword` when it is not defined,
//! and the `@` groups link to the classic groups (`@keyword` → `Keyword` → `Statement`).
//!
//! Front ends cache resolved groups by [`HlId`] and watch [`Highlights::generation`], which bumps on
//! every change.

use std::collections::HashMap;

/// A 24-bit colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Rgb(pub u8, pub u8, pub u8);

/// Attributes of a group (what `:hi Group` shows); `None` colours mean "not set".
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HlAttrs {
    /// Foreground (`guifg`).
    pub fg: Option<Rgb>,
    /// Background (`guibg`).
    pub bg: Option<Rgb>,
    /// Special colour for undercurl (`guisp`).
    pub sp: Option<Rgb>,
    /// 256-colour foreground (`ctermfg`), used when 'termguicolors' is off and given.
    pub ctermfg: Option<u8>,
    /// 256-colour background (`ctermbg`).
    pub ctermbg: Option<u8>,
    /// Bold.
    pub bold: bool,
    /// Italic.
    pub italic: bool,
    /// Underline.
    pub underline: bool,
    /// Undercurl.
    pub undercurl: bool,
    /// Reverse video.
    pub reverse: bool,
    /// Strike-through.
    pub strikethrough: bool,
}

impl HlAttrs {
    /// Whether nothing is set (`:hi` shows "cleared").
    pub fn is_empty(&self) -> bool {
        *self == HlAttrs::default()
    }

    /// `self` drawn over `under`: colours set here win, attributes add up.
    pub fn over(&self, under: &HlAttrs) -> HlAttrs {
        HlAttrs {
            fg: self.fg.or(under.fg),
            bg: self.bg.or(under.bg),
            sp: self.sp.or(under.sp),
            ctermfg: self.ctermfg.or(under.ctermfg),
            ctermbg: self.ctermbg.or(under.ctermbg),
            bold: self.bold || under.bold,
            italic: self.italic || under.italic,
            underline: self.underline || under.underline,
            undercurl: self.undercurl || under.undercurl,
            reverse: self.reverse || under.reverse,
            strikethrough: self.strikethrough || under.strikethrough,
        }
    }
}

/// A group id: an index into the table, stable for the editor's lifetime.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct HlId(pub u32);

#[derive(Clone, Debug, Default)]
struct Group {
    name: String,
    attrs: HlAttrs,
    link: Option<HlId>,
}

/// Errors of `:highlight`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HighlightError {
    /// E411.
    #[error("E411: Highlight group not found: {0}")]
    NotFound(String),
    /// E412.
    #[error("E412: Not enough arguments: \":highlight link {0}\"")]
    LinkArgs(String),
    /// E413.
    #[error("E413: Too many arguments: \":highlight link {0}\"")]
    LinkTooMany(String),
    /// E416.
    #[error("E416: Missing equal sign: {0}")]
    MissingEqual(String),
    /// E418.
    #[error("E418: Illegal value: {0}")]
    IllegalValue(String),
    /// E423.
    #[error("E423: Illegal argument: {0}")]
    IllegalArgument(String),
    /// E421.
    #[error("E421: Color name or number not recognized: {0}")]
    BadColor(String),
}

/// The highlight table.
#[derive(Clone, Debug)]
pub struct Highlights {
    groups: Vec<Group>,
    by_name: HashMap<String, HlId>,
    generation: u64,
}

impl Default for Highlights {
    fn default() -> Self {
        Highlights::new(false)
    }
}

impl Highlights {
    /// The default table for a dark (`light == false`) or light background.
    pub fn new(light: bool) -> Self {
        let mut h = Highlights { groups: Vec::new(), by_name: HashMap::new(), generation: 0 };
        h.load_defaults(light);
        h
    }

    /// Bumps on every change, so caches of resolved groups know when to refresh.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The id of a group, creating an empty one (Vim does the same on first use of a name).
    pub fn id(&mut self, name: &str) -> HlId {
        if let Some(id) = self.by_name.get(name) {
            return *id;
        }
        let id = HlId(self.groups.len() as u32);
        self.groups.push(Group { name: name.to_string(), ..Group::default() });
        self.by_name.insert(name.to_string(), id);
        self.generation += 1;
        id
    }

    /// The id of an existing group.
    pub fn lookup(&self, name: &str) -> Option<HlId> {
        self.by_name.get(name).copied()
    }

    /// The name of a group.
    pub fn name(&self, id: HlId) -> &str {
        self.groups.get(id.0 as usize).map_or("", |g| g.name.as_str())
    }

    /// The number of groups.
    pub fn len(&self) -> usize {
        self.groups.len()
    }

    /// Whether the table is empty (never, after the defaults load).
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// The group a capture name draws with: the longest defined dotted prefix (`@keyword.return` →
    /// `@keyword`), as Neovim resolves tree-sitter captures.
    pub fn capture_id(&self, capture: &str) -> Option<HlId> {
        let mut name = format!("@{}", capture.trim_start_matches('@'));
        loop {
            if let Some(id) = self.lookup(&name) {
                if self.is_defined(id) {
                    return Some(id);
                }
            }
            match name.rfind('.') {
                Some(i) => name.truncate(i),
                None => return None,
            }
        }
    }

    fn is_defined(&self, id: HlId) -> bool {
        self.groups.get(id.0 as usize).is_some_and(|g| g.link.is_some() || !g.attrs.is_empty())
    }

    /// The attributes a group draws with, links followed (a loop or a dead end gives no attributes).
    pub fn resolve(&self, id: HlId) -> HlAttrs {
        let mut cur = id;
        for _ in 0..32 {
            let Some(g) = self.groups.get(cur.0 as usize) else { return HlAttrs::default() };
            match g.link {
                // A group with its own attributes ignores its link, as in Vim.
                Some(next) if g.attrs.is_empty() => cur = next,
                _ => return g.attrs.clone(),
            }
        }
        HlAttrs::default()
    }

    /// Resolves a group by name (unknown names give no attributes).
    pub fn resolve_name(&self, name: &str) -> HlAttrs {
        self.lookup(name).map(|id| self.resolve(id)).unwrap_or_default()
    }

    /// Sets a group's attributes (clearing its link).
    pub fn set(&mut self, name: &str, attrs: HlAttrs) {
        let id = self.id(name);
        if let Some(g) = self.groups.get_mut(id.0 as usize) {
            g.attrs = attrs;
            g.link = None;
        }
        self.generation += 1;
    }

    /// Links `from` to `to` (`None` removes the link).
    pub fn link(&mut self, from: &str, to: Option<&str>) {
        let target = to.map(|t| self.id(t));
        let id = self.id(from);
        if let Some(g) = self.groups.get_mut(id.0 as usize) {
            g.link = target;
            if target.is_some() {
                g.attrs = HlAttrs::default();
            }
        }
        self.generation += 1;
    }

    /// The attributes and link of a group as set (not resolved).
    pub fn get(&self, id: HlId) -> Option<(&HlAttrs, Option<HlId>)> {
        self.groups.get(id.0 as usize).map(|g| (&g.attrs, g.link))
    }

    /// Reloads the default scheme for 'background' (what `:hi clear` and `:set bg=` do).
    pub fn load_defaults(&mut self, light: bool) {
        for g in &mut self.groups {
            g.attrs = HlAttrs::default();
            g.link = None;
        }
        let p = if light { Palette::LIGHT } else { Palette::DARK };
        for (name, spec) in default_groups(&p) {
            match spec {
                Spec::Attrs(a) => self.set(name, a),
                Spec::Link(to) => self.link(name, Some(to)),
            }
        }
        self.generation += 1;
    }

    /// One line of `:hi` output for a group (`Visual         xxx guibg=#4f5258`).
    pub fn describe(&self, id: HlId) -> String {
        let Some(g) = self.groups.get(id.0 as usize) else { return String::new() };
        let body = if let (Some(l), true) = (g.link, g.attrs.is_empty()) {
            format!("links to {}", self.name(l))
        } else if g.attrs.is_empty() {
            "cleared".to_string()
        } else {
            attrs_text(&g.attrs)
        };
        format!("{:<14} xxx {body}", g.name)
    }

    /// Runs the arguments of `:highlight` (`bang` is `:hi!`); returns the lines to show, if any.
    pub fn command(&mut self, args: &str, bang: bool, light: bool) -> Result<Vec<String>, HighlightError> {
        let mut words: Vec<&str> = args.split_whitespace().collect();
        // `default` only keeps existing settings; a group the user already set is left alone.
        let mut default = false;
        if words.first() == Some(&"default") {
            default = true;
            words.remove(0);
        }
        match words.as_slice() {
            [] => {
                let mut ids: Vec<HlId> = (0..self.groups.len() as u32).map(HlId).collect();
                ids.retain(|id| self.is_defined(*id));
                Ok(ids.into_iter().map(|id| self.describe(id)).collect())
            }
            ["clear"] => {
                self.load_defaults(light);
                Ok(Vec::new())
            }
            ["clear", names @ ..] => {
                for n in names {
                    let id = self.id(n);
                    if let Some(g) = self.groups.get_mut(id.0 as usize) {
                        g.attrs = HlAttrs::default();
                        g.link = None;
                    }
                }
                self.generation += 1;
                Ok(Vec::new())
            }
            ["link", rest @ ..] => {
                let text = rest.join(" ");
                match rest {
                    [from, to] => {
                        let id = self.id(from);
                        let user_set = self.get(id).is_some_and(|(a, l)| !a.is_empty() || l.is_some());
                        if default && user_set {
                            return Ok(Vec::new());
                        }
                        if !bang && self.get(id).is_some_and(|(a, _)| !a.is_empty()) {
                            // Vim refuses to replace attributes by a link without `!`.
                            return Ok(Vec::new());
                        }
                        if *to == "NONE" {
                            self.link(from, None);
                        } else {
                            self.link(from, Some(to));
                        }
                        Ok(Vec::new())
                    }
                    [] | [_] => Err(HighlightError::LinkArgs(text)),
                    _ => Err(HighlightError::LinkTooMany(text)),
                }
            }
            [name] => {
                let id = self.lookup(name).ok_or_else(|| HighlightError::NotFound((*name).to_string()))?;
                Ok(vec![self.describe(id)])
            }
            [name, "NONE"] => {
                self.set(name, HlAttrs::default());
                Ok(Vec::new())
            }
            [name, keys @ ..] => {
                let id = self.id(name);
                if default && self.is_defined(id) {
                    return Ok(Vec::new());
                }
                let mut attrs = self.get(id).map(|(a, _)| a.clone()).unwrap_or_default();
                for kv in keys {
                    let (k, v) = kv.split_once('=').ok_or_else(|| HighlightError::MissingEqual((*kv).to_string()))?;
                    apply_key(&mut attrs, &k.to_ascii_lowercase(), v, self)?;
                }
                self.set(name, attrs);
                Ok(Vec::new())
            }
        }
    }
}

fn apply_key(attrs: &mut HlAttrs, key: &str, value: &str, table: &Highlights) -> Result<(), HighlightError> {
    match key {
        "guifg" | "guibg" | "guisp" => {
            let c = parse_gui_color(value, table)?;
            match key {
                "guifg" => attrs.fg = c,
                "guibg" => attrs.bg = c,
                _ => attrs.sp = c,
            }
        }
        "ctermfg" | "ctermbg" => {
            let c = parse_cterm_color(value)?;
            if key == "ctermfg" {
                attrs.ctermfg = c;
            } else {
                attrs.ctermbg = c;
            }
        }
        "gui" | "cterm" | "term" => {
            // Neovim keeps one set of attributes for both; `cterm=` and `gui=` set the same flags.
            attrs.bold = false;
            attrs.italic = false;
            attrs.underline = false;
            attrs.undercurl = false;
            attrs.reverse = false;
            attrs.strikethrough = false;
            for a in value.split(',') {
                match a.to_ascii_lowercase().as_str() {
                    "bold" => attrs.bold = true,
                    "italic" => attrs.italic = true,
                    "underline" => attrs.underline = true,
                    "undercurl" | "underdouble" | "underdotted" | "underdashed" => attrs.undercurl = true,
                    "reverse" | "inverse" | "standout" => attrs.reverse = true,
                    "strikethrough" => attrs.strikethrough = true,
                    "none" | "nocombine" => {}
                    _ => return Err(HighlightError::IllegalValue(value.to_string())),
                }
            }
        }
        "font" | "start" | "stop" | "blend" => {}
        _ => return Err(HighlightError::IllegalArgument(format!("{key}={value}"))),
    }
    Ok(())
}

/// A GUI colour: `#rrggbb`, a colour name, `NONE`, `fg`/`bg` (the Normal group's).
pub fn parse_gui_color(v: &str, table: &Highlights) -> Result<Option<Rgb>, HighlightError> {
    let lower = v.to_ascii_lowercase();
    match lower.as_str() {
        "none" => return Ok(None),
        "fg" | "foreground" => return Ok(table.resolve_name("Normal").fg),
        "bg" | "background" => return Ok(table.resolve_name("Normal").bg),
        _ => {}
    }
    if let Some(hex) = lower.strip_prefix('#') {
        if hex.len() == 6 {
            if let Ok(n) = u32::from_str_radix(hex, 16) {
                return Ok(Some(Rgb((n >> 16) as u8, (n >> 8) as u8, n as u8)));
            }
        }
        return Err(HighlightError::BadColor(v.to_string()));
    }
    COLOR_NAMES
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(&lower))
        .map(|(_, c)| Some(*c))
        .ok_or_else(|| HighlightError::BadColor(v.to_string()))
}

/// A terminal colour number or name.
pub fn parse_cterm_color(v: &str) -> Result<Option<u8>, HighlightError> {
    if v.eq_ignore_ascii_case("none") {
        return Ok(None);
    }
    if let Ok(n) = v.parse::<u8>() {
        return Ok(Some(n));
    }
    // The 16 named terminal colours, in Vim's numbering for 16+ colour terminals.
    const NAMES: &[(&str, u8)] = &[
        ("black", 0),
        ("darkred", 1),
        ("darkgreen", 2),
        ("brown", 3),
        ("darkyellow", 3),
        ("darkblue", 4),
        ("darkmagenta", 5),
        ("darkcyan", 6),
        ("lightgray", 7),
        ("lightgrey", 7),
        ("gray", 7),
        ("grey", 7),
        ("darkgray", 8),
        ("darkgrey", 8),
        ("red", 9),
        ("lightred", 9),
        ("green", 10),
        ("lightgreen", 10),
        ("yellow", 11),
        ("lightyellow", 11),
        ("blue", 12),
        ("lightblue", 12),
        ("magenta", 13),
        ("lightmagenta", 13),
        ("cyan", 14),
        ("lightcyan", 14),
        ("white", 15),
    ];
    let lower = v.to_ascii_lowercase();
    NAMES
        .iter()
        .find(|(n, _)| *n == lower)
        .map(|(_, c)| Some(*c))
        .ok_or_else(|| HighlightError::BadColor(v.to_string()))
}

/// Colour names `:hi` accepts besides `#rrggbb` (the common X11 ones Vim scripts use).
const COLOR_NAMES: &[(&str, Rgb)] = &[
    ("black", Rgb(0, 0, 0)),
    ("white", Rgb(255, 255, 255)),
    ("red", Rgb(255, 0, 0)),
    ("lightred", Rgb(255, 139, 139)),
    ("darkred", Rgb(139, 0, 0)),
    ("green", Rgb(0, 255, 0)),
    ("lightgreen", Rgb(144, 238, 144)),
    ("darkgreen", Rgb(0, 100, 0)),
    ("blue", Rgb(0, 0, 255)),
    ("lightblue", Rgb(173, 216, 230)),
    ("darkblue", Rgb(0, 0, 139)),
    ("cyan", Rgb(0, 255, 255)),
    ("lightcyan", Rgb(224, 255, 255)),
    ("darkcyan", Rgb(0, 139, 139)),
    ("magenta", Rgb(255, 0, 255)),
    ("lightmagenta", Rgb(255, 139, 255)),
    ("darkmagenta", Rgb(139, 0, 139)),
    ("yellow", Rgb(255, 255, 0)),
    ("lightyellow", Rgb(255, 255, 224)),
    ("darkyellow", Rgb(187, 187, 0)),
    ("brown", Rgb(165, 42, 42)),
    ("orange", Rgb(255, 165, 0)),
    ("purple", Rgb(160, 32, 240)),
    ("gray", Rgb(190, 190, 190)),
    ("grey", Rgb(190, 190, 190)),
    ("lightgray", Rgb(211, 211, 211)),
    ("lightgrey", Rgb(211, 211, 211)),
    ("darkgray", Rgb(169, 169, 169)),
    ("darkgrey", Rgb(169, 169, 169)),
    ("seagreen", Rgb(46, 139, 87)),
    ("slateblue", Rgb(106, 90, 205)),
];

fn hex(c: Rgb) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}

fn attrs_text(a: &HlAttrs) -> String {
    let mut flags = Vec::new();
    for (on, name) in [
        (a.bold, "bold"),
        (a.italic, "italic"),
        (a.underline, "underline"),
        (a.undercurl, "undercurl"),
        (a.reverse, "reverse"),
        (a.strikethrough, "strikethrough"),
    ] {
        if on {
            flags.push(name);
        }
    }
    let mut parts = Vec::new();
    if !flags.is_empty() {
        parts.push(format!("cterm={}", flags.join(",")));
        parts.push(format!("gui={}", flags.join(",")));
    }
    if let Some(c) = a.ctermfg {
        parts.push(format!("ctermfg={c}"));
    }
    if let Some(c) = a.ctermbg {
        parts.push(format!("ctermbg={c}"));
    }
    if let Some(c) = a.fg {
        parts.push(format!("guifg={}", hex(c)));
    }
    if let Some(c) = a.bg {
        parts.push(format!("guibg={}", hex(c)));
    }
    if let Some(c) = a.sp {
        parts.push(format!("guisp={}", hex(c)));
    }
    parts.join(" ")
}

/// The colours of one default scheme (our own palette: muted, with enough contrast on both).
struct Palette {
    fg: Rgb,
    bg: Rgb,
    dim: Rgb,
    faint: Rgb,
    panel: Rgb,
    panel2: Rgb,
    select: Rgb,
    red: Rgb,
    green: Rgb,
    yellow: Rgb,
    blue: Rgb,
    cyan: Rgb,
    magenta: Rgb,
    search_bg: Rgb,
    cur_search_bg: Rgb,
}

impl Palette {
    const DARK: Palette = Palette {
        fg: Rgb(0xdc, 0xdf, 0xe6),
        bg: Rgb(0x16, 0x18, 0x1d),
        dim: Rgb(0x8a, 0x90, 0x9c),
        faint: Rgb(0x4c, 0x52, 0x5e),
        panel: Rgb(0x2a, 0x2e, 0x37),
        panel2: Rgb(0x20, 0x23, 0x2a),
        select: Rgb(0x3b, 0x43, 0x55),
        red: Rgb(0xf0, 0x8c, 0x8c),
        green: Rgb(0x9c, 0xd6, 0x8f),
        yellow: Rgb(0xe6, 0xc8, 0x7a),
        blue: Rgb(0x8c, 0xb6, 0xf0),
        cyan: Rgb(0x7c, 0xd0, 0xd6),
        magenta: Rgb(0xd0, 0xa0, 0xe8),
        search_bg: Rgb(0x6b, 0x5a, 0x1e),
        cur_search_bg: Rgb(0xc8, 0x8a, 0x2a),
    };
    const LIGHT: Palette = Palette {
        fg: Rgb(0x1e, 0x22, 0x2a),
        bg: Rgb(0xf6, 0xf6, 0xf3),
        dim: Rgb(0x6a, 0x70, 0x7c),
        faint: Rgb(0xb4, 0xb8, 0xc0),
        panel: Rgb(0xdc, 0xde, 0xe3),
        panel2: Rgb(0xea, 0xeb, 0xee),
        select: Rgb(0xc8, 0xd4, 0xe8),
        red: Rgb(0xb4, 0x2a, 0x2a),
        green: Rgb(0x2e, 0x7a, 0x2e),
        yellow: Rgb(0x8a, 0x64, 0x00),
        blue: Rgb(0x1f, 0x5a, 0xb4),
        cyan: Rgb(0x0a, 0x74, 0x7c),
        magenta: Rgb(0x8a, 0x38, 0xa8),
        search_bg: Rgb(0xf2, 0xdc, 0x8c),
        cur_search_bg: Rgb(0xf0, 0xa8, 0x40),
    };
}

enum Spec {
    Attrs(HlAttrs),
    Link(&'static str),
}

fn fg(c: Rgb) -> Spec {
    Spec::Attrs(HlAttrs { fg: Some(c), ..HlAttrs::default() })
}

fn fg_bg(f: Rgb, b: Rgb) -> Spec {
    Spec::Attrs(HlAttrs { fg: Some(f), bg: Some(b), ..HlAttrs::default() })
}

fn bg(c: Rgb) -> Spec {
    Spec::Attrs(HlAttrs { bg: Some(c), ..HlAttrs::default() })
}

fn bold(s: Spec) -> Spec {
    match s {
        Spec::Attrs(a) => Spec::Attrs(HlAttrs { bold: true, ..a }),
        l => l,
    }
}

fn default_groups(p: &Palette) -> Vec<(&'static str, Spec)> {
    use Spec::Link;
    vec![
        ("Normal", fg_bg(p.fg, p.bg)),
        ("NormalNC", Link("Normal")),
        ("NormalFloat", bg(p.panel2)),
        ("FloatBorder", Link("NormalFloat")),
        ("FloatTitle", Link("Title")),
        ("Visual", bg(p.select)),
        ("VisualNOS", Link("Visual")),
        ("Search", fg_bg(p.fg, p.search_bg)),
        ("CurSearch", fg_bg(p.bg, p.cur_search_bg)),
        ("IncSearch", Link("CurSearch")),
        ("Substitute", Link("Search")),
        ("LineNr", fg(p.faint)),
        ("LineNrAbove", Link("LineNr")),
        ("LineNrBelow", Link("LineNr")),
        ("CursorLineNr", bold(fg(p.fg))),
        ("CursorLine", bg(p.panel2)),
        ("CursorColumn", Link("CursorLine")),
        ("ColorColumn", bg(p.panel2)),
        ("SignColumn", fg(p.faint)),
        ("FoldColumn", Link("SignColumn")),
        ("Folded", fg_bg(p.dim, p.panel2)),
        ("StatusLine", fg_bg(p.fg, p.panel)),
        ("StatusLineNC", fg_bg(p.dim, p.panel2)),
        ("WinSeparator", fg(p.faint)),
        ("VertSplit", Link("WinSeparator")),
        ("TabLine", fg_bg(p.dim, p.panel2)),
        ("TabLineSel", bold(fg_bg(p.fg, p.bg))),
        ("TabLineFill", Link("TabLine")),
        ("ErrorMsg", fg(p.red)),
        ("WarningMsg", fg(p.yellow)),
        ("ModeMsg", bold(fg(p.green))),
        ("MoreMsg", fg(p.cyan)),
        ("Question", fg(p.cyan)),
        ("MsgArea", Spec::Attrs(HlAttrs::default())),
        ("MsgSeparator", Link("StatusLine")),
        ("NonText", fg(p.faint)),
        ("EndOfBuffer", Link("NonText")),
        ("Whitespace", Link("NonText")),
        ("SpecialKey", fg(p.faint)),
        ("Conceal", fg(p.dim)),
        ("MatchParen", bold(bg(p.select))),
        ("Pmenu", bg(p.panel)),
        ("PmenuSel", Spec::Attrs(HlAttrs { reverse: true, ..HlAttrs::default() })),
        ("PmenuSbar", bg(p.panel)),
        ("PmenuThumb", bg(p.faint)),
        ("WildMenu", Link("PmenuSel")),
        ("Directory", fg(p.cyan)),
        ("Title", bold(fg(p.fg))),
        ("Cursor", Spec::Attrs(HlAttrs { reverse: true, ..HlAttrs::default() })),
        ("TermCursor", Link("Cursor")),
        ("DiffAdd", fg(p.green)),
        ("DiffChange", fg(p.yellow)),
        ("DiffDelete", fg(p.red)),
        ("DiffText", bg(p.select)),
        // Classic syntax groups.
        ("Comment", fg(p.dim)),
        ("Constant", fg(p.magenta)),
        ("String", fg(p.green)),
        ("Character", Link("String")),
        ("Number", Link("Constant")),
        ("Boolean", Link("Constant")),
        ("Float", Link("Number")),
        ("Identifier", fg(p.fg)),
        ("Function", fg(p.cyan)),
        ("Statement", bold(fg(p.blue))),
        ("Conditional", Link("Statement")),
        ("Repeat", Link("Statement")),
        ("Label", Link("Statement")),
        ("Operator", fg(p.fg)),
        ("Keyword", Link("Statement")),
        ("Exception", Link("Statement")),
        ("PreProc", fg(p.yellow)),
        ("Include", Link("PreProc")),
        ("Define", Link("PreProc")),
        ("Macro", Link("PreProc")),
        ("PreCondit", Link("PreProc")),
        ("Type", fg(p.yellow)),
        ("StorageClass", Link("Type")),
        ("Structure", Link("Type")),
        ("Typedef", Link("Type")),
        ("Special", fg(p.cyan)),
        ("SpecialChar", Link("Special")),
        ("Tag", Link("Special")),
        ("Delimiter", fg(p.dim)),
        ("SpecialComment", Link("Special")),
        ("Debug", Link("Special")),
        ("Underlined", Spec::Attrs(HlAttrs { underline: true, ..HlAttrs::default() })),
        ("Ignore", Link("Normal")),
        ("Error", fg(p.red)),
        ("Todo", bold(fg(p.yellow))),
        ("Added", fg(p.green)),
        ("Changed", fg(p.cyan)),
        ("Removed", fg(p.red)),
        // Tree-sitter captures (Neovim's names), linked to the classic groups.
        ("@variable", Link("Identifier")),
        ("@variable.builtin", Link("Special")),
        ("@variable.parameter", Link("Identifier")),
        ("@variable.member", Link("Identifier")),
        ("@constant", Link("Constant")),
        ("@constant.builtin", Link("Special")),
        ("@constant.macro", Link("Define")),
        ("@module", Link("Structure")),
        ("@label", Link("Label")),
        ("@string", Link("String")),
        ("@string.escape", Link("SpecialChar")),
        ("@string.special", Link("SpecialChar")),
        ("@string.regexp", Link("SpecialChar")),
        ("@character", Link("Character")),
        ("@character.special", Link("SpecialChar")),
        ("@boolean", Link("Boolean")),
        ("@number", Link("Number")),
        ("@number.float", Link("Float")),
        ("@type", Link("Type")),
        ("@type.builtin", Link("Type")),
        ("@type.definition", Link("Typedef")),
        ("@attribute", Link("Macro")),
        ("@property", Link("Identifier")),
        ("@function", Link("Function")),
        ("@function.builtin", Link("Special")),
        ("@function.macro", Link("Macro")),
        ("@function.method", Link("Function")),
        ("@constructor", Link("Special")),
        ("@operator", Link("Operator")),
        ("@keyword", Link("Keyword")),
        ("@keyword.function", Link("Keyword")),
        ("@keyword.return", Link("Keyword")),
        ("@keyword.conditional", Link("Conditional")),
        ("@keyword.repeat", Link("Repeat")),
        ("@keyword.import", Link("Include")),
        ("@keyword.exception", Link("Exception")),
        ("@keyword.directive", Link("PreProc")),
        ("@keyword.storage", Link("StorageClass")),
        ("@punctuation", Link("Delimiter")),
        ("@punctuation.special", Link("Special")),
        ("@comment", Link("Comment")),
        ("@comment.documentation", Link("Comment")),
        ("@markup.heading", Link("Title")),
        ("@markup.strong", bold(Spec::Attrs(HlAttrs::default()))),
        ("@markup.italic", Spec::Attrs(HlAttrs { italic: true, ..HlAttrs::default() })),
        ("@markup.strikethrough", Spec::Attrs(HlAttrs { strikethrough: true, ..HlAttrs::default() })),
        ("@markup.underline", Link("Underlined")),
        ("@markup.link", Link("Underlined")),
        ("@markup.link.url", Link("Underlined")),
        ("@markup.raw", Link("String")),
        ("@markup.list", Link("Special")),
        ("@markup.quote", Link("Comment")),
        ("@tag", Link("Tag")),
        ("@tag.attribute", Link("Identifier")),
        ("@tag.delimiter", Link("Delimiter")),
        ("@diff.plus", Link("Added")),
        ("@diff.minus", Link("Removed")),
        ("@diff.delta", Link("Changed")),
        ("@escape", Link("SpecialChar")),
        ("@embedded", Link("Special")),
        ("@text.literal", Link("String")),
        ("@text.title", Link("Title")),
        ("@text.uri", Link("Underlined")),
        ("@text.emphasis", Link("@markup.italic")),
        ("@text.strong", Link("@markup.strong")),
        ("@text.reference", Link("Special")),
        ("@punctuation.delimiter", Link("Delimiter")),
        ("@punctuation.bracket", Link("Delimiter")),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_resolve_through_chains() {
        let h = Highlights::new(false);
        let kw = h.resolve_name("@keyword");
        assert_eq!(kw, h.resolve_name("Statement"));
        assert!(kw.bold);
        assert_eq!(h.resolve_name("IncSearch"), h.resolve_name("CurSearch"));
    }

    #[test]
    fn captures_fall_back_to_their_prefix() {
        let h = Highlights::new(false);
        let id = h.capture_id("keyword.coroutine").unwrap();
        assert_eq!(h.name(id), "@keyword");
        assert_eq!(h.name(h.capture_id("function.method.call").unwrap()), "@function.method");
        assert!(h.capture_id("nothing.here").is_none());
    }

    #[test]
    fn highlight_command_sets_links_and_clears() {
        let mut h = Highlights::new(false);
        h.command("Visual guifg=#ff0000 guibg=NONE gui=bold,italic ctermfg=12", false, false).unwrap();
        let v = h.resolve_name("Visual");
        assert_eq!(v.fg, Some(Rgb(255, 0, 0)));
        assert_eq!(v.bg, None);
        assert!(v.bold && v.italic);
        assert_eq!(v.ctermfg, Some(12));
        let g = h.generation();
        h.command("link MyGroup ErrorMsg", false, false).unwrap();
        assert!(h.generation() > g);
        assert_eq!(h.resolve_name("MyGroup"), h.resolve_name("ErrorMsg"));
        assert_eq!(h.command("MyGroup", false, false).unwrap(), vec!["MyGroup        xxx links to ErrorMsg"]);
        // A link doesn't replace attributes without `!`.
        h.command("link Visual ErrorMsg", false, false).unwrap();
        assert_eq!(h.resolve_name("Visual").fg, Some(Rgb(255, 0, 0)));
        h.command("link Visual ErrorMsg", true, false).unwrap();
        assert_eq!(h.resolve_name("Visual"), h.resolve_name("ErrorMsg"));
        h.command("clear", false, false).unwrap();
        assert_eq!(h.resolve_name("Visual"), Highlights::new(false).resolve_name("Visual"));
        assert!(h.resolve_name("MyGroup").is_empty());
    }

    #[test]
    fn highlight_errors_carry_vim_text() {
        let mut h = Highlights::new(false);
        assert_eq!(h.command("Nope", false, false).unwrap_err().to_string(), "E411: Highlight group not found: Nope");
        assert_eq!(h.command("Visual guifg", false, false).unwrap_err().to_string(), "E416: Missing equal sign: guifg");
        assert!(matches!(h.command("Visual guifg=#12", false, false), Err(HighlightError::BadColor(_))));
        assert!(matches!(h.command("link A", false, false), Err(HighlightError::LinkArgs(_))));
    }

    #[test]
    fn default_keeps_user_settings() {
        let mut h = Highlights::new(false);
        h.command("Foo guifg=#010203", false, false).unwrap();
        h.command("default link Foo ErrorMsg", false, false).unwrap();
        assert_eq!(h.resolve_name("Foo").fg, Some(Rgb(1, 2, 3)));
        h.command("default link Bar ErrorMsg", false, false).unwrap();
        assert_eq!(h.resolve_name("Bar"), h.resolve_name("ErrorMsg"));
    }

    #[test]
    fn light_and_dark_differ() {
        assert_ne!(Highlights::new(true).resolve_name("Normal"), Highlights::new(false).resolve_name("Normal"));
    }
}
