//! Tree-sitter highlighting that never blocks typing.
//!
//! Parsing runs on a worker thread. The UI thread sends it a snapshot of the buffer (a rope clone,
//! O(1)) whenever `b:changedtick` moved; the worker finds what changed by comparing the snapshot with
//! the one it parsed last (common prefix and suffix, compared chunk by chunk), edits the old tree and
//! re-parses incrementally. The UI thread only runs the highlight query over the lines on screen,
//! using the latest tree it has; between an edit and the worker's answer that tree is one edit old,
//! which at worst colours the changed line a little off for a frame.
//!
//! A re-parse costs what tree-sitter itself needs for the same edit (the `reparse_floor` example
//! compares): it re-shifts every top-level item of the file, so its time grows with their number
//! (about 1 ms of CPU for 10,000 lines of ordinary Rust; see doc/ui.md).
//!
//! Files over [`WINDOW_THRESHOLD`] bytes are parsed in windows: only a few thousand lines around the
//! view are handed to the parser, as a document of their own. Constructs that open before the window
//! (a block comment, a raw string) may then be coloured wrongly at its top; in exchange a 100 MB file
//! costs the same as a small one.
//!
//! Capture names map to Neovim's `@capture` groups (see `rtdvi_editor::highlight`). Buffers whose
//! 'filetype' has no grammar render plainly.

use std::collections::{HashMap, HashSet};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex};

use ropey::Rope;
use rtdvi_editor::buffer::BufferId;
use rtdvi_editor::highlight::HlId;
use rtdvi_editor::Editor;
use tree_sitter::{InputEdit, Language, Parser, Point, Query, QueryCursor, StreamingIterator, Tree};

use crate::render::{Span, SpanSource};

/// Files larger than this are parsed a window at a time.
pub const WINDOW_THRESHOLD: usize = 8 << 20;
/// Lines parsed above and below the view in window mode.
const WINDOW_MARGIN: usize = 1500;

/// A grammar with its highlight query.
pub struct Grammar {
    /// The filetype name ('filetype').
    pub name: &'static str,
    /// The language.
    pub language: Language,
    /// The compiled highlight query.
    pub query: Query,
}

impl std::fmt::Debug for Grammar {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Grammar").field("name", &self.name).finish()
    }
}

/// The filetypes with a grammar (checked without loading it).
pub const FILETYPES: &[&str] =
    &["rust", "c", "cpp", "lua", "python", "javascript", "json", "toml", "markdown", "sh", "bash"];

/// Grammars by filetype, loaded by the worker (compiling a highlight query takes tens of
/// milliseconds, which must not delay the first frame).
type GrammarCache = Arc<Mutex<HashMap<String, Option<Arc<Grammar>>>>>;

/// A request for the worker.
enum Request {
    Parse(Job),
    Load(String),
}

/// An answer from the worker.
enum Reply {
    Parsed(Done),
    Loaded(String),
}

/// Loads the grammar for a filetype (`None`: no grammar, or its query failed to compile).
pub fn grammar(filetype: &str) -> Option<Grammar> {
    let (name, language, query): (&'static str, Language, String) = match filetype {
        "rust" => ("rust", tree_sitter_rust::LANGUAGE.into(), tree_sitter_rust::HIGHLIGHTS_QUERY.into()),
        "c" => ("c", tree_sitter_c::LANGUAGE.into(), tree_sitter_c::HIGHLIGHT_QUERY.into()),
        // The C++ query extends the C one.
        "cpp" => (
            "cpp",
            tree_sitter_cpp::LANGUAGE.into(),
            format!("{}\n{}", tree_sitter_c::HIGHLIGHT_QUERY, tree_sitter_cpp::HIGHLIGHT_QUERY),
        ),
        "lua" => ("lua", tree_sitter_lua::LANGUAGE.into(), tree_sitter_lua::HIGHLIGHTS_QUERY.into()),
        "python" => ("python", tree_sitter_python::LANGUAGE.into(), tree_sitter_python::HIGHLIGHTS_QUERY.into()),
        "javascript" => {
            ("javascript", tree_sitter_javascript::LANGUAGE.into(), tree_sitter_javascript::HIGHLIGHT_QUERY.into())
        }
        "json" => ("json", tree_sitter_json::LANGUAGE.into(), tree_sitter_json::HIGHLIGHTS_QUERY.into()),
        "toml" => ("toml", tree_sitter_toml_ng::LANGUAGE.into(), tree_sitter_toml_ng::HIGHLIGHTS_QUERY.into()),
        "markdown" => ("markdown", tree_sitter_md::LANGUAGE.into(), tree_sitter_md::HIGHLIGHT_QUERY_BLOCK.into()),
        "sh" | "bash" => ("bash", tree_sitter_bash::LANGUAGE.into(), tree_sitter_bash::HIGHLIGHT_QUERY.into()),
        _ => return None,
    };
    let query = match Query::new(&language, &query) {
        Ok(q) => q,
        Err(_) if name == "cpp" => Query::new(&language, tree_sitter_cpp::HIGHLIGHT_QUERY).ok()?,
        Err(_) => return None,
    };
    Some(Grammar { name, language, query })
}

/// A parse request for the worker.
struct Job {
    buf: BufferId,
    tick: u64,
    grammar: Arc<Grammar>,
    text: Rope,
    /// First line of `text` in the buffer (window mode), or `None` for the whole buffer.
    window: Option<(usize, usize)>,
}

/// A finished parse.
struct Done {
    buf: BufferId,
    tick: u64,
    tree: Tree,
    text: Rope,
    window: Option<(usize, usize)>,
}

/// What the UI thread knows about one buffer.
struct BufSyntax {
    grammar: Arc<Grammar>,
    /// The latest tree and the text it was parsed from.
    tree: Option<(Tree, Rope)>,
    window: Option<(usize, usize)>,
    /// The tick of the text in `tree`.
    tick: u64,
    /// A job for this tick is with the worker.
    pending: Option<u64>,
    /// Capture index → highlight group.
    groups: Vec<Option<HlId>>,
    groups_generation: u64,
    /// Spans per buffer line from the current tree (cleared when the tree or the groups change), so
    /// moving the cursor or scrolling a little queries only the lines not seen yet.
    lines: HashMap<usize, Vec<Span>>,
}

impl BufSyntax {
    /// Nothing parsed yet for a buffer using `grammar`.
    fn new(grammar: Arc<Grammar>) -> Self {
        BufSyntax {
            grammar,
            tree: None,
            window: None,
            tick: 0,
            pending: None,
            groups: Vec::new(),
            groups_generation: u64::MAX,
            lines: HashMap::new(),
        }
    }
}

/// Lines kept in a buffer's span cache before it is dropped and refilled.
const LINE_CACHE_LIMIT: usize = 20_000;

/// Tree-sitter highlighting for all buffers.
pub struct Syntax {
    buffers: HashMap<BufferId, BufSyntax>,
    grammars: GrammarCache,
    loading: HashSet<String>,
    to_worker: Option<Sender<Request>>,
    from_worker: Option<Receiver<Reply>>,
    cursor: QueryCursor,
}

impl std::fmt::Debug for Syntax {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Syntax").field("buffers", &self.buffers.len()).finish()
    }
}

impl Default for Syntax {
    fn default() -> Self {
        Syntax::new()
    }
}

/// The worker: loads grammars and parses jobs, keeping the last tree and text per buffer for
/// incremental re-parses.
fn worker(requests: Receiver<Request>, replies: Sender<Reply>, grammars: GrammarCache) {
    let mut parser = Parser::new();
    let mut last: HashMap<BufferId, Parsed> = HashMap::new();
    let mut queue: Vec<Request> = Vec::new();
    loop {
        if queue.is_empty() {
            match requests.recv() {
                Ok(r) => queue.push(r),
                Err(_) => return,
            }
        }
        // Only the newest parse per buffer matters; skip stale ones queued behind it.
        while let Ok(next) = requests.try_recv() {
            if let Request::Parse(j) = &next {
                queue.retain(|q| !matches!(q, Request::Parse(o) if o.buf == j.buf));
            }
            queue.push(next);
        }
        let reply = match queue.remove(0) {
            Request::Load(ft) => {
                let g = grammar(&ft).map(Arc::new);
                if let Ok(mut map) = grammars.lock() {
                    map.insert(ft.clone(), g);
                }
                Reply::Loaded(ft)
            }
            Request::Parse(job) => match parse_job(&mut parser, &mut last, job) {
                Some(d) => Reply::Parsed(d),
                None => continue,
            },
        };
        if replies.send(reply).is_err() {
            return;
        }
    }
}

/// The worker's last parse of a buffer: tree, text, grammar, and the window's first line.
type Parsed = (Tree, Rope, &'static str, Option<usize>);

fn parse_job(parser: &mut Parser, last: &mut HashMap<BufferId, Parsed>, job: Job) -> Option<Done> {
    parser.set_language(&job.grammar.language).ok()?;
    // Incremental when the grammar and (in window mode) the window's first line are unchanged: the
    // old and new texts then differ only by the user's edits.
    let first = job.window.map(|w| w.0);
    let old =
        last.remove(&job.buf).filter(|p| p.2 == job.grammar.name && p.3 == first).map(|(mut tree, old_text, ..)| {
            if let Some(edit) = diff_edit(&old_text, &job.text) {
                tree.edit(&edit);
            }
            tree
        });
    let tree = parse_rope(parser, &job.text, old.as_ref())?;
    last.insert(job.buf, (tree.clone(), job.text.clone(), job.grammar.name, first));
    Some(Done { buf: job.buf, tick: job.tick, tree, text: job.text, window: job.window })
}

/// Parses a rope, reading it chunk by chunk (no copy of the text).
pub fn parse_rope(parser: &mut Parser, text: &Rope, old: Option<&Tree>) -> Option<Tree> {
    let len = text.len_bytes();
    let mut read = |byte: usize, _p: Point| -> &[u8] {
        if byte >= len {
            return &[];
        }
        let (chunk, start, _, _) = text.chunk_at_byte(byte);
        &chunk.as_bytes()[byte - start..]
    };
    parser.parse_with_options(&mut read, old, None)
}

fn point_at(text: &Rope, byte: usize) -> Point {
    let byte = byte.min(text.len_bytes());
    let row = text.byte_to_line(byte);
    Point { row, column: byte - text.line_to_byte(row) }
}

/// The single edit that turns `old` into `new`: their common prefix and suffix are kept.
pub fn diff_edit(old: &Rope, new: &Rope) -> Option<InputEdit> {
    let (ol, nl) = (old.len_bytes(), new.len_bytes());
    let prefix = common_prefix(old, new);
    if prefix == ol && prefix == nl {
        return None;
    }
    let max_suffix = ol.min(nl) - prefix;
    let suffix = common_suffix(old, new, max_suffix);
    let start = prefix;
    let old_end = ol - suffix;
    let new_end = nl - suffix;
    Some(InputEdit {
        start_byte: start,
        old_end_byte: old_end,
        new_end_byte: new_end,
        start_position: point_at(old, start),
        old_end_position: point_at(old, old_end),
        new_end_position: point_at(new, new_end),
    })
}

fn common_prefix(a: &Rope, b: &Rope) -> usize {
    let n = a.len_bytes().min(b.len_bytes());
    let mut pos = 0;
    while pos < n {
        let (ca, sa, _, _) = a.chunk_at_byte(pos);
        let (cb, sb, _, _) = b.chunk_at_byte(pos);
        let xa = &ca.as_bytes()[pos - sa..];
        let xb = &cb.as_bytes()[pos - sb..];
        let m = xa.len().min(xb.len()).min(n - pos);
        if m == 0 {
            break;
        }
        // Slice equality is a memcmp; the byte-wise search runs only on the run that differs.
        if xa[..m] == xb[..m] {
            pos += m;
            continue;
        }
        match xa[..m].iter().zip(&xb[..m]).position(|(x, y)| x != y) {
            Some(i) => return pos + i,
            None => pos += m,
        }
    }
    n
}

fn common_suffix(a: &Rope, b: &Rope, max: usize) -> usize {
    let (la, lb) = (a.len_bytes(), b.len_bytes());
    let mut k = 0;
    while k < max {
        // Chunks holding the byte just before the compared tail.
        let (ca, sa, _, _) = a.chunk_at_byte(la - k - 1);
        let (cb, sb, _, _) = b.chunk_at_byte(lb - k - 1);
        let xa = &ca.as_bytes()[..la - k - sa];
        let xb = &cb.as_bytes()[..lb - k - sb];
        let m = xa.len().min(xb.len()).min(max - k);
        if m == 0 {
            break;
        }
        let ta = &xa[xa.len() - m..];
        let tb = &xb[xb.len() - m..];
        if ta == tb {
            k += m;
            continue;
        }
        match ta.iter().rev().zip(tb.iter().rev()).position(|(x, y)| x != y) {
            Some(i) => return k + i,
            None => k += m,
        }
    }
    max
}

impl Syntax {
    /// A highlighter with its worker thread.
    pub fn new() -> Syntax {
        let (jt, jr) = channel::<Request>();
        let (dt, dr) = channel::<Reply>();
        let grammars: GrammarCache = Arc::default();
        let shared = grammars.clone();
        let spawned = std::thread::Builder::new().name("rtdvi-syntax".into()).spawn(move || worker(jr, dt, shared));
        let (to_worker, from_worker) = match spawned {
            Ok(_) => (Some(jt), Some(dr)),
            Err(_) => (None, None),
        };
        Syntax {
            buffers: HashMap::new(),
            grammars,
            loading: HashSet::new(),
            to_worker,
            from_worker,
            cursor: QueryCursor::new(),
        }
    }

    /// Whether a parse or a grammar load is under way (the event loop then polls more often).
    pub fn busy(&self) -> bool {
        !self.loading.is_empty() || self.buffers.values().any(|b| b.pending.is_some())
    }

    /// The grammar of a filetype if loaded; otherwise asks the worker to load it.
    fn grammar_for(&mut self, ft: &str) -> Option<Arc<Grammar>> {
        if ft.is_empty() || !FILETYPES.contains(&ft) {
            return None;
        }
        if let Some(g) = self.grammars.lock().ok().and_then(|m| m.get(ft).cloned()) {
            return g;
        }
        if !self.loading.contains(ft) {
            if let Some(tx) = &self.to_worker {
                if tx.send(Request::Load(ft.to_string())).is_ok() {
                    self.loading.insert(ft.to_string());
                }
            }
        }
        None
    }

    fn accept(&mut self, reply: Reply) {
        match reply {
            Reply::Loaded(ft) => {
                self.loading.remove(&ft);
            }
            Reply::Parsed(d) => {
                if let Some(s) = self.buffers.get_mut(&d.buf) {
                    if s.pending == Some(d.tick) {
                        s.pending = None;
                    }
                    s.tick = d.tick;
                    s.tree = Some((d.tree, d.text));
                    s.window = d.window;
                    s.lines.clear();
                }
            }
        }
    }

    /// Takes finished parses and sends new jobs for buffers on screen that changed. Cheap: no
    /// parsing happens on this thread.
    pub fn poll(&mut self, ed: &Editor) {
        let replies: Vec<Reply> = self.from_worker.as_ref().map(|rx| rx.try_iter().collect()).unwrap_or_default();
        for r in replies {
            self.accept(r);
        }
        for id in ed.tab_windows() {
            let Some(w) = ed.window(id) else { continue };
            let (buf, top, height) = (w.buffer, w.top_line, w.rect.height);
            let Some(b) = ed.buffers.get(&buf) else { continue };
            let ft = b.opt_string("filetype");
            let Some(grammar) = self.grammar_for(&ft) else {
                self.buffers.remove(&buf);
                continue;
            };
            let state = self.buffers.entry(buf).or_insert_with(|| BufSyntax::new(grammar.clone()));
            if state.grammar.name != grammar.name {
                // Another filetype: start over with the new grammar.
                *state = BufSyntax::new(grammar.clone());
            }
            let big = b.text.len_bytes() > WINDOW_THRESHOLD;
            let want_window = big.then(|| {
                let first = top.saturating_sub(WINDOW_MARGIN);
                (first, (top + height + WINDOW_MARGIN).min(b.line_count()))
            });
            // A window is good while the view stays 100 lines inside it (or at the buffer's ends).
            let window_ok = match (state.window, want_window) {
                (None, None) => true,
                (Some((f, l)), Some(_)) => {
                    top >= f
                        && top + height <= l
                        && (f == 0 || top >= f + 100)
                        && (l >= b.line_count() || top + height + 100 <= l)
                }
                _ => false,
            };
            let stale = state.tick != b.changedtick || !window_ok || state.tree.is_none();
            if stale && state.pending.is_none() {
                let Some(tx) = &self.to_worker else { continue };
                let text = match want_window {
                    Some((f, l)) => {
                        let s = b.text.line_to_char(f.min(b.line_count()));
                        let e = b.text.line_to_char(l.min(b.line_count()));
                        Rope::from(b.text.slice(s..e))
                    }
                    None => b.text.clone(),
                };
                let job = Job { buf, tick: b.changedtick, grammar: grammar.clone(), text, window: want_window };
                if tx.send(Request::Parse(job)).is_ok() {
                    state.pending = Some(b.changedtick);
                }
            }
        }
    }

    /// Loads grammars and parses every visible buffer, waiting for the worker (tests, benchmarks).
    pub fn parse_now(&mut self, ed: &Editor) {
        loop {
            self.poll(ed);
            if !self.busy() {
                return;
            }
            let Some(reply) = self.from_worker.as_ref().and_then(|rx| rx.recv().ok()) else { return };
            self.accept(reply);
        }
    }
}

impl Syntax {
    /// Forgets the cached spans (benchmarks use it to measure the query itself).
    pub fn clear_span_cache(&mut self) {
        for b in self.buffers.values_mut() {
            b.lines.clear();
        }
    }
}

impl SpanSource for Syntax {
    fn spans(&mut self, ed: &Editor, buf: BufferId, first: usize, last: usize) -> Vec<Vec<Span>> {
        let empty = || vec![Vec::new(); last.saturating_sub(first)];
        let Some(state) = self.buffers.get_mut(&buf) else { return empty() };
        if state.tree.is_none() {
            return empty();
        }
        if state.groups_generation != ed.highlights.generation() {
            state.groups = state.grammar.query.capture_names().iter().map(|n| ed.highlights.capture_id(n)).collect();
            state.groups_generation = ed.highlights.generation();
            state.lines.clear();
        }
        if state.lines.len() > LINE_CACHE_LIMIT {
            state.lines.clear();
        }
        // Query only the run of lines not in the cache.
        let missing_first = (first..last).find(|l| !state.lines.contains_key(l));
        if let Some(mf) = missing_first {
            let ml = (first..last).rev().find(|l| !state.lines.contains_key(l)).map_or(mf + 1, |l| l + 1);
            let fresh = query_lines(&mut self.cursor, state, mf, ml);
            for (i, v) in fresh.into_iter().enumerate() {
                state.lines.insert(mf + i, v);
            }
        }
        (first..last).map(|l| state.lines.get(&l).cloned().unwrap_or_default()).collect()
    }
}

/// Runs the highlight query over buffer lines `first..last` of a buffer's tree.
fn query_lines(cursor: &mut QueryCursor, state: &BufSyntax, first: usize, last: usize) -> Vec<Vec<Span>> {
    let mut out = vec![Vec::new(); last.saturating_sub(first)];
    let Some((tree, text)) = &state.tree else { return out };
    // Lines of the parsed text that correspond to buffer lines first..last.
    let base = state.window.map_or(0, |(f, _)| f);
    let lines = text.len_lines();
    let (f, l) = (first.saturating_sub(base).min(lines), last.saturating_sub(base).min(lines));
    if first < base || f >= l {
        return out;
    }
    let (sb, eb) = (text.line_to_byte(f), text.line_to_byte(l));
    cursor.set_byte_range(sb..eb);
    let provider = |n: tree_sitter::Node<'_>| {
        let r = n.byte_range();
        let (s, e) = (r.start.min(text.len_bytes()), r.end.min(text.len_bytes()));
        text.byte_slice(s..e).chunks().map(str::as_bytes)
    };
    let mut caps = cursor.captures(&state.grammar.query, tree.root_node(), provider);
    while let Some((m, i)) = caps.next() {
        let Some(cap) = m.captures().get(*i) else { continue };
        let Some(Some(hl)) = state.groups.get(cap.index as usize) else { continue };
        let (s, e) = (cap.node.start_position(), cap.node.end_position());
        for row in s.row.max(f)..=e.row.min(l.saturating_sub(1)) {
            let start = if row == s.row { s.column } else { 0 };
            let end = if row == e.row { e.column } else { usize::MAX };
            if let Some(v) = out.get_mut(row + base - first) {
                if end > start {
                    v.push(Span { start, end, hl: *hl });
                }
            }
        }
    }
    // Captures come in document order; within one line, wider spans first so inner ones win.
    for v in &mut out {
        v.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rtdvi_editor::options::{id, OptionValue};

    fn rust_editor(text: &str) -> Editor {
        let mut ed = Editor::new();
        ed.buf_mut().text = Rope::from_str(text);
        ed.buf_mut().options.set(id("filetype"), OptionValue::String("rust".into()));
        ed.set_screen_size(60, 10);
        ed
    }

    fn group_at(ed: &Editor, spans: &[Span], byte: usize) -> Option<String> {
        spans.iter().rev().find(|s| (s.start..s.end).contains(&byte)).map(|s| ed.highlights.name(s.hl).to_string())
    }

    #[test]
    fn every_grammar_loads_with_its_query() {
        for ft in ["rust", "c", "cpp", "lua", "python", "javascript", "json", "toml", "markdown", "sh"] {
            assert!(grammar(ft).is_some(), "{ft}");
        }
        assert!(grammar("text").is_none());
    }

    #[test]
    fn rust_keywords_strings_and_comments_get_groups() {
        let mut ed = rust_editor("fn main() {\n    let s = \"hi\"; // note\n}");
        let mut syn = Syntax::new();
        syn.parse_now(&ed);
        let buf = ed.buf_id();
        let spans = syn.spans(&ed, buf, 0, 3);
        assert_eq!(group_at(&ed, &spans[0], 0).as_deref(), Some("@keyword"));
        assert_eq!(group_at(&ed, &spans[0], 3).as_deref(), Some("@function"));
        assert_eq!(group_at(&ed, &spans[1], 13).as_deref(), Some("@string"));
        assert_eq!(group_at(&ed, &spans[1], 20).as_deref(), Some("@comment"));
        // An edit is picked up incrementally.
        let cs = ed.buf().lines_change(0, 1, &["// gone".into()]).unwrap();
        let b = ed.buf_id();
        ed.apply_change(b, cs).unwrap();
        syn.parse_now(&ed);
        let spans = syn.spans(&ed, buf, 0, 1);
        assert_eq!(group_at(&ed, &spans[0], 0).as_deref(), Some("@comment"));
    }

    #[test]
    fn diff_edit_finds_the_changed_bytes() {
        let a = Rope::from_str("hello world");
        let b = Rope::from_str("hello brave world");
        let e = diff_edit(&a, &b).unwrap();
        assert_eq!((e.start_byte, e.old_end_byte, e.new_end_byte), (6, 6, 12));
        assert!(diff_edit(&a, &a.clone()).is_none());
        let big_a = Rope::from_str(&"x\n".repeat(100_000));
        let mut big_b = big_a.clone();
        big_b.insert(150_001, "y");
        let e = diff_edit(&big_a, &big_b).unwrap();
        assert_eq!((e.start_byte, e.old_end_byte, e.new_end_byte), (150_001, 150_001, 150_002));
        assert_eq!(e.start_position, Point { row: 75_000, column: 1 });
    }

    #[test]
    fn diff_edit_matches_a_plain_string_diff() {
        // Ropes built differently have different chunk boundaries; the edit must not depend on them.
        let base: String = (0..3000).map(|i| format!("line {i} é\n")).collect();
        let mid = base.find("line 1500 ").unwrap_or(0);
        let cases: [(usize, usize, &str); 5] =
            [(0, 0, "x"), (10, 14, ""), (mid, mid + 1, "ab"), (base.len() - 3, base.len(), "ü"), (5, 5, "line 0 é\n")];
        for (from, to, ins) in cases {
            let new = format!("{}{}{}", &base[..from], ins, &base[to..]);
            let a = Rope::from_str(&base);
            // Built by appending pieces, so its chunks are cut elsewhere than `a`'s.
            let mut b = Rope::new();
            let mut piece = String::new();
            for ch in new.chars() {
                piece.push(ch);
                if piece.len() >= 777 {
                    b.insert(b.len_chars(), &piece);
                    piece.clear();
                }
            }
            b.insert(b.len_chars(), &piece);
            let prefix = base.bytes().zip(new.bytes()).take_while(|(x, y)| x == y).count();
            let max_suffix = base.len().min(new.len()) - prefix;
            let suffix = base.bytes().rev().zip(new.bytes().rev()).take_while(|(x, y)| x == y).count().min(max_suffix);
            let e = diff_edit(&a, &b).unwrap();
            assert_eq!(
                (e.start_byte, e.old_end_byte, e.new_end_byte),
                (prefix, base.len() - suffix, new.len() - suffix),
                "replacing {from}..{to} with {ins:?}"
            );
            // é → ü share their first byte, so the edit may start inside a character (bytes are fine).
            let row = base.as_bytes()[..prefix].iter().filter(|&&c| c == b'\n').count();
            assert_eq!(e.start_position.row, row);
        }
    }

    #[test]
    fn unknown_filetypes_render_plainly() {
        let mut ed = rust_editor("fn x() {}");
        ed.buf_mut().options.set(id("filetype"), OptionValue::String("".into()));
        let mut syn = Syntax::new();
        syn.parse_now(&ed);
        let buf = ed.buf_id();
        assert!(syn.spans(&ed, buf, 0, 1)[0].is_empty());
    }

    #[test]
    fn big_files_parse_a_window_around_the_view() {
        let line = "fn f() { let x = 1; }\n";
        let text = line.repeat(WINDOW_THRESHOLD / line.len() + 10);
        let mut ed = rust_editor(&text);
        let last = ed.buf().line_count() - 5;
        ed.set_cursor(last, 0);
        ed.update_views(rtdvi_editor::view::CursorPlacement::OnChar);
        let mut syn = Syntax::new();
        syn.parse_now(&ed);
        let buf = ed.buf_id();
        let top = ed.win().top_line;
        let spans = syn.spans(&ed, buf, top, top + 2);
        assert_eq!(group_at(&ed, &spans[0], 0).as_deref(), Some("@keyword"));
        assert!(syn.buffers[&buf].window.is_some());
    }
}
