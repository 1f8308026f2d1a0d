#!/usr/bin/env python3
"""Writes the vi differential test's case list (inputs only) to
crates/rtdvi-editor/tests/fixtures/vi/cases.json.

The inputs are ours; what Neovim does with them is recorded by scripts/gen-vi-fixtures.sh. Cases are built
from a handful of realistic texts (code with spaces and with tabs, prose, multi-byte text, markup, quotes,
numbers, a long file) so that every motion and text object lands somewhere it means something. The
operator × motion and operator × text object products are complete; the other areas are hand-picked.
"""

import json
import os
import sys

CODE = [
    "fn parse_line(input: &str, limit: usize) -> Option<Vec<u32>> {",
    "    let mut out = Vec::new();",
    "    for word in input.split(' ') {",
    "        if out.len() >= limit { break; }",
    "        let n: u32 = word.trim().parse().ok()?;",
    "        out.push(n * 2);",
    "    }",
    "    let label = \"total: [a, b]\";",
    "    println!(\"{} {}\", label, out.len());",
    "    Some(out)",
    "}",
]

PROSE = [
    "The quick brown fox jumps over the lazy dog. It was not amused!  Nobody saw it.",
    "Second sentence starts here, and it goes on for a while; then it ends.",
    "",
    "A new paragraph begins after an empty line. Short one.",
    "It has two lines.",
    "",
    "",
    "Last paragraph (with a parenthesis) here.",
]

UTF = [
    "naïve café — déjà vu",
    "日本語のテキスト 漢字 かな",
    "emoji 🎉 party 🎉 time",
    "Ünïcödé wörds: straße, Øresund",
]

TABS = [
    "int main(void)",
    "{",
    "\tint x = 10;\t/* count */",
    "\tif (x > 5) {",
    "\t\tprintf(\"big %d\\n\", x);",
    "\t}",
    "\treturn 0;",
    "}",
]

HTML = [
    "<div class=\"box\">",
    "  <p>Hello <b>bold</b> world</p>",
    "  <ul><li>one</li><li>two</li></ul>",
    "</div>",
]

QUOTES = [
    "say \"hello there\" and 'single quoted' plus `backtick code` end",
    "x = f(a, (b + c), [d, e]) + g<T>(h);",
    "call(\"escaped \\\" quote\", 'it''s')",
]

NUMBERS = [
    "count = 7 and -3",
    "hex 0x0f and 0xFF",
    "version 1.9.99",
    "width: 009px",
    "no digits here",
    "bin 0b101 end",
]

WRAP = [
    "short line",
    " ".join(f"word{i:02}" for i in range(1, 31)),
    "another short one",
    "x" * 170,
    "end",
]

WORDS = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"]
LONG = [f"line {i:02}: {WORDS[i % 8]} {WORDS[(i * 3) % 8]}.{i}" for i in range(1, 41)]

TEXTS = {"code": CODE, "prose": PROSE, "utf": UTF, "tabs": TABS, "html": HTML, "quotes": QUOTES,
         "numbers": NUMBERS, "long": LONG, "wrap": WRAP}

OPERATOR_REGS = ["\"", "0", "1", "-"]

cases = []


def pos(text, row, needle=None, nth=0, off=0):
    """(row, char col) of the nth occurrence of `needle` on `row` (+off); a number is a column."""
    lines = TEXTS[text]
    if needle is None:
        return [row, off]
    if isinstance(needle, int):
        return [row, needle + off]
    col = -1
    for _ in range(nth + 1):
        col = lines[row].find(needle, col + 1)
        if col < 0:
            sys.exit(f"{needle!r} not found on {text}:{row}")
    return [row, col + off]


def add(area, name, text, cursor, keys, registers=(), options=None, ex=None, preset=None):
    lines = TEXTS[text] if isinstance(text, str) else text
    case = {"name": f"{area}/{name}", "area": area, "lines": list(lines), "cursor": list(cursor),
            "keys": keys}
    if registers:
        case["registers"] = list(registers)
    if options:
        case["options"] = options
    if ex:
        case["ex"] = list(ex)
    if preset:
        case["preset"] = preset
    cases.append(case)


# ---------------------------------------------------------------------------------------------------
# Motions: (label, text, cursor, prefix keys, motion keys). The prefix runs before the operator.
MOTIONS = [
    ("h", "prose", pos("prose", 0, "brown"), "", "h"),
    ("3h", "prose", pos("prose", 0, "brown"), "", "3h"),
    ("l", "prose", pos("prose", 0, "quick"), "", "l"),
    ("4l", "utf", pos("utf", 0, "café"), "", "4l"),
    ("l-eol", "prose", pos("prose", 1, "ends."), "", "9l"),
    ("j", "code", pos("code", 2, "for"), "", "j"),
    ("2j", "code", pos("code", 2, "word"), "", "2j"),
    ("k", "code", pos("code", 5, "push"), "", "k"),
    ("k-short", "code", pos("code", 7, "total"), "", "k"),
    ("bs", "prose", pos("prose", 0, "brown"), "", "<BS>"),
    ("bs-wrap", "prose", pos("prose", 1, 0), "", "<BS>"),
    ("space", "prose", pos("prose", 0, "quick"), "", "<Space>"),
    ("2space-wrap", "prose", pos("prose", 0, "it."), "", "5<Space>"),
    ("w", "prose", pos("prose", 0, "quick"), "", "w"),
    ("w-mid", "prose", pos("prose", 0, "quick", off=2), "", "w"),
    ("3w", "code", pos("code", 1, "let"), "", "3w"),
    ("w-eol", "prose", pos("prose", 0, "it."), "", "w"),
    ("w-last-word", "code", pos("code", 9, "Some"), "", "2w"),
    ("w-utf", "utf", pos("utf", 0, "café"), "", "w"),
    ("w-punct", "code", pos("code", 4, "word"), "", "w"),
    ("W", "code", pos("code", 4, "word"), "", "W"),
    ("2W", "quotes", pos("quotes", 1, "f(a"), "", "2W"),
    ("b", "prose", pos("prose", 0, "brown", off=2), "", "b"),
    ("3b", "code", pos("code", 4, "parse"), "", "3b"),
    ("b-bol", "prose", pos("prose", 1, 0), "", "b"),
    ("B", "code", pos("code", 4, "ok()"), "", "B"),
    ("e", "prose", pos("prose", 0, "quick"), "", "e"),
    ("2e", "utf", pos("utf", 1, 0), "", "2e"),
    ("e-end", "prose", pos("prose", 0, "quick", off=4), "", "e"),
    ("E", "code", pos("code", 4, "word"), "", "E"),
    ("ge", "prose", pos("prose", 0, "brown", off=2), "", "ge"),
    ("2ge", "code", pos("code", 4, "trim"), "", "2ge"),
    ("gE", "code", pos("code", 4, "ok"), "", "gE"),
    ("0", "code", pos("code", 4, "word"), "", "0"),
    ("^", "code", pos("code", 4, "word"), "", "^"),
    ("^-tabs", "tabs", pos("tabs", 4, "big"), "", "^"),
    ("$", "prose", pos("prose", 0, "lazy"), "", "$"),
    ("2$", "code", pos("code", 1, "mut"), "", "2$"),
    ("g_", "code", pos("code", 2, "in"), "", "g_"),
    ("bar", "prose", pos("prose", 0, "brown"), "", "4|"),
    ("bar-right", "prose", pos("prose", 0, "The"), "", "20|"),
    ("gg", "code", pos("code", 5, "push"), "", "gg"),
    ("3gg", "code", pos("code", 7, "label"), "", "3gg"),
    ("G", "code", pos("code", 7, "label"), "", "G"),
    ("2G", "code", pos("code", 5, "out"), "", "2G"),
    ("50%", "long", pos("long", 2, 3), "", "50%"),
    ("f", "prose", pos("prose", 0, "quick"), "", "fo"),
    ("2f", "prose", pos("prose", 0, "quick"), "", "2fo"),
    ("f-utf", "utf", pos("utf", 0, 0), "", "fé"),
    ("F", "prose", pos("prose", 0, "lazy"), "", "Fo"),
    ("t", "code", pos("code", 0, "input"), "", "t,"),
    ("3t", "code", pos("code", 4, "word"), "", "3t("),
    ("T", "code", pos("code", 0, "limit"), "", "T("),
    ("semicolon", "prose", pos("prose", 0, "quick"), "fo", ";"),
    ("comma", "prose", pos("prose", 0, "lazy"), "fo", ","),
    ("semicolon-t", "code", pos("code", 4, 0), "t.", ";"),
    ("percent", "code", pos("code", 0, "(input"), "", "%"),
    ("percent-fwd", "code", pos("code", 3, "if"), "", "%"),
    ("percent-close", "quotes", pos("quotes", 1, "])"), "", "%"),
    ("rbrace", "prose", pos("prose", 0, "fox"), "", "}"),
    ("2rbrace", "prose", pos("prose", 0, "fox"), "", "2}"),
    ("lbrace", "prose", pos("prose", 4, "two"), "", "{"),
    ("rparen", "prose", pos("prose", 0, "quick"), "", ")"),
    ("2rparen", "prose", pos("prose", 0, "quick"), "", "2)"),
    ("lparen", "prose", pos("prose", 0, "Nobody", off=3), "", "("),
    ("[(", "quotes", pos("quotes", 1, "c)"), "", "[("),
    ("2[(", "quotes", pos("quotes", 1, "c)"), "", "2[("),
    ("[{", "code", pos("code", 4, "word"), "", "[{"),
    ("])", "quotes", pos("quotes", 1, "b +"), "", "])"),
    ("]}", "code", pos("code", 3, "out"), "", "]}"),
    ("H", "long", pos("long", 10, 6), "", "H"),
    ("3H", "long", pos("long", 10, 6), "", "3H"),
    ("M", "long", pos("long", 2, 6), "", "M"),
    ("L", "long", pos("long", 5, 6), "", "L"),
    ("star", "code", pos("code", 1, "out"), "", "*"),
    ("hash", "code", pos("code", 5, "out"), "", "#"),
    ("gstar", "code", pos("code", 2, "input"), "", "g*"),
    ("ghash", "code", pos("code", 8, "label"), "", "g#"),
    ("search", "prose", pos("prose", 0, "quick"), "", "/lazy<CR>"),
    ("search-line", "prose", pos("prose", 0, "quick"), "", "/here<CR>"),
    ("search-e", "prose", pos("prose", 0, "quick"), "", "/lazy/e<CR>"),
    ("search-plus", "code", pos("code", 1, "let"), "", "/push/+1<CR>"),
    ("search-back", "prose", pos("prose", 1, "while"), "", "?fox<CR>"),
    ("n", "code", pos("code", 0, 0), "/out<CR>", "n"),
    ("N", "code", pos("code", 9, 0), "/out<CR>", "N"),
    ("gj", "prose", pos("prose", 0, "quick"), "", "gj"),
    ("gk", "code", pos("code", 4, "trim"), "", "gk"),
    ("mark-line", "code", pos("code", 2, "word"), "ma3j", "'a"),
    ("mark-exact", "code", pos("code", 2, "word"), "majw", "`a"),
    ("mark-back", "prose", pos("prose", 0, "lazy"), "mb0", "`b"),
]

# Text objects: (object, text, cursor) — one spot inside each.
TEXTOBJECTS = [
    ("iw", "prose", pos("prose", 0, "brown", off=2)),
    ("aw", "prose", pos("prose", 0, "brown", off=2)),
    ("iW", "code", pos("code", 4, "trim")),
    ("aW", "code", pos("code", 4, "trim")),
    ("is", "prose", pos("prose", 0, "not")),
    ("as", "prose", pos("prose", 0, "not")),
    ("ip", "prose", pos("prose", 3, "paragraph")),
    ("ap", "prose", pos("prose", 3, "paragraph")),
    ("i(", "quotes", pos("quotes", 1, "b +")),
    ("a(", "quotes", pos("quotes", 1, "b +")),
    ("ib", "code", pos("code", 0, "limit")),
    ("ab", "code", pos("code", 0, "limit")),
    ("i[", "quotes", pos("quotes", 1, "d,")),
    ("a[", "quotes", pos("quotes", 1, "d,")),
    ("i{", "code", pos("code", 5, "push")),
    ("a{", "code", pos("code", 5, "push")),
    ("iB", "code", pos("code", 3, "break")),
    ("aB", "code", pos("code", 3, "break")),
    ("i<lt>", "quotes", pos("quotes", 1, "T>")),
    ("a<lt>", "quotes", pos("quotes", 1, "T>")),
    ("i\"", "quotes", pos("quotes", 0, "there")),
    ("a\"", "quotes", pos("quotes", 0, "there")),
    ("i'", "quotes", pos("quotes", 0, "quoted")),
    ("a'", "quotes", pos("quotes", 0, "quoted")),
    ("i`", "quotes", pos("quotes", 0, "code")),
    ("a`", "quotes", pos("quotes", 0, "code")),
    ("it", "html", pos("html", 1, "bold", off=1)),
    ("at", "html", pos("html", 1, "bold", off=1)),
    ("it-outer", "html", pos("html", 1, "Hello")),
    ("at-outer", "html", pos("html", 1, "Hello")),
]

OPERATORS = ["d", "c", "y", ">", "<lt>", "=", "g~", "gu", "gU", "g?", "gq"]


def op_keys(op, target):
    if op == "c":
        return f"c{target}NEW<Esc>"
    return f"{op}{target}"


def op_regs(op):
    return OPERATOR_REGS if op in ("d", "c", "y") else ()


def shaped(op, text, cur):
    """The text an operator is tried on: `<` and `=` need indented lines to have something to do, `gu`
    needs upper case. Column-preserving except for the added indent, which shifts the cursor with it."""
    lines = list(TEXTS[text])
    row, col = cur
    if op in ("<lt>", "="):
        indents = ["        ", "\t", "    ", "  \t", "      "] if op == "=" else ["    ", "\t", "        ", "  "]
        lines = [(indents[i % len(indents)] + ln) if ln else ln for i, ln in enumerate(lines)]
        if lines[row]:
            col += len(indents[row % len(indents)])
    elif op == "gu":
        lines = ["".join(ch.upper() if len(ch.upper()) == 1 else ch for ch in ln) for ln in lines]
    return lines, [row, col]


for op in OPERATORS:
    for label, text, cur, prefix, motion in MOTIONS:
        lines, cur = shaped(op, text, cur)
        add("operators", f"{op.replace('<lt>', '<')}/{label}", lines, cur, prefix + op_keys(op, motion), op_regs(op))
    for obj, text, cur in TEXTOBJECTS:
        if op in ("<lt>", "=", "gu"):
            text, cur = shaped(op, text, cur)
        keys = obj.split("-")[0]
        add("textobjects", f"{op.replace('<lt>', '<')}/{obj.replace('<lt>', '<')}", text, cur, op_keys(op, keys),
            op_regs(op))

# Counts on both sides of the operator (multiplied) and named registers, for every operator.
COUNTED = [("w", "prose", pos("prose", 0, "quick")), ("j", "code", [1, 8]), ("e", "utf", [0, 0]),
           ("ap", "prose", [0, 4]), ("i(", "quotes", pos("quotes", 1, "b +")), ("}", "prose", [3, 2])]
for op in OPERATORS:
    opname = op.replace("<lt>", "<")
    for target, text, cur in COUNTED:
        lines, c = shaped(op, text, cur)
        inner = target if target == "i(" else "3" + target  # 2di( widens to the enclosing pair
        add("counts", f"{opname}/2{inner}", lines, c, "2" + op_keys(op, inner), op_regs(op))
        if op in ("d", "c", "y"):
            add("registers", f"{opname}/named-{target}", lines, c, "\"q" + op_keys(op, target), ["q", "\"", "1", "-"])
            add("registers", f"{opname}/append-{target}", lines, c, "\"qyl" + "\"Q" + op_keys(op, target),
                ["q", "\"", "1", "-"])
            add("registers", f"{opname}/blackhole-{target}", lines, c, "yl\"_" + op_keys(op, target),
                ["\"", "0", "1", "-"])

# Motions on their own: where the cursor lands (and curswant across j/k).
for label, text, cur, prefix, motion in MOTIONS:
    add("motions", label, text, cur, prefix + motion)
for label, text, cur, keys in [
    ("j-curswant", "code", pos("code", 0, "limit"), "jjjj"),
    ("dollar-j", "code", pos("code", 0, 3), "$jj"),
    ("j-utf", "utf", pos("utf", 0, "déjà"), "jj"),
    ("j-tabs", "tabs", pos("tabs", 2, "x"), "jj"),
    ("ctrl-d", "long", [0, 0], "<C-d>"),
    ("ctrl-u", "long", [30, 0], "<C-u>"),
    ("ctrl-f", "long", [0, 0], "<C-f>"),
    ("ctrl-b", "long", [39, 0], "<C-b>"),
    ("ctrl-e", "long", [0, 0], "<C-e><C-e><C-e>"),
    ("ctrl-y", "long", [39, 0], "<C-y><C-y>"),
    ("ctrl-d-count", "long", [0, 0], "5<C-d>"),
    ("H-after-scroll", "long", [39, 0], "H"),
    ("L-after-G", "long", [0, 0], "GL"),
    ("M-short", "code", [0, 0], "M"),
    ("w-across-empty", "prose", pos("prose", 1, "ends."), "ww"),
    ("b-across-empty", "prose", pos("prose", 3, 0), "bb"),
    ("e-utf-cjk", "utf", pos("utf", 1, 0), "eee"),
    ("w-emoji", "utf", pos("utf", 2, 0), "www"),
    ("f-fail", "prose", pos("prose", 0, "quick"), "fZ"),
    ("t-repeat-semicolon", "code", pos("code", 0, 0), "t(;;"),
    ("percent-none", "prose", pos("prose", 1, 0), "%"),
    ("percent-count", "long", [0, 0], "25%"),
    ("underscore", "code", pos("code", 3, "limit"), "2_"),
    ("minus-plus", "code", pos("code", 4, "trim"), "-+<CR>"),
    ("G-count-big", "code", [0, 0], "99G"),
    ("rbrace-end", "prose", pos("prose", 7, 0), "}"),
    ("lbrace-start", "prose", pos("prose", 1, 3), "{{"),
    ("rparen-empty-lines", "prose", pos("prose", 4, 0), "))"),
    ("ge-bol", "prose", pos("prose", 3, 0), "ge"),
    ("zero-caret-tabs", "tabs", pos("tabs", 4, "x"), "0^"),
    ("dollar-count", "prose", [0, 0], "3$"),
    ("bar-utf", "utf", [1, 0], "5|"),
    ("bar-tab", "tabs", [2, 0], "5|"),
    ("gm-free-l-end", "prose", [1, 0], "100l"),
    ("h-start", "prose", [1, 0], "h"),
    ("k-top", "prose", [0, 5], "k"),
    ("j-bottom", "prose", [7, 5], "j"),
]:
    add("motions", label, text, cur, keys)

# Forced motions (o_v, o_V, o_CTRL-V) and display-line motions on wrapped lines.
for label, text, cur, keys in [
    ("dvj", "code", [1, 8], "dvj"),
    ("dvk", "code", [2, 8], "dvk"),
    ("dve", "prose", [0, 4], "dve"),
    ("dvw", "prose", [0, 4], "dvw"),
    ("dv$", "prose", [0, 4], "dv$"),
    ("dvb", "prose", [0, 10], "dvb"),
    ("dvgg", "code", [3, 8], "dvgg"),
    ("dVw", "prose", [0, 4], "dVw"),
    ("dVe", "code", [1, 8], "dVe"),
    ("yVl", "code", [1, 8], "yVlP"),
    ("d-ctrl-v-j", "code", [1, 8], "d<C-v>jl"),
    ("d-ctrl-v-2j", "code", [1, 8], "d<C-v>2j"),
    ("c-ctrl-v-j", "code", [1, 8], "c<C-v>jX<Esc>"),
    ("y-ctrl-v-e", "prose", [0, 4], "y<C-v>e"),
    ("dv-inclusive-toggle-f", "prose", [0, 4], "dvfo"),
    ("dv-linewise-to-char-G", "code", [8, 4], "dvG"),
    ("gUvj", "code", [1, 8], "gUvj"),
    ("gj-wrapped", "wrap", [1, 5], "gj"),
    ("gj-wrapped-twice", "wrap", [1, 5], "gjgj"),
    ("gk-wrapped", "wrap", [3, 100], "gk"),
    ("gk-into-wrapped", "wrap", [2, 3], "gkgk"),
    ("2gj-wrapped", "wrap", [3, 5], "2gj"),
    ("dgj-wrapped", "wrap", [1, 5], "dgj"),
    ("dgk-wrapped", "wrap", [3, 100], "dgk"),
    ("g0-wrapped", "wrap", [3, 100], "g0"),
    ("g$-wrapped", "wrap", [3, 5], "g$"),
    ("gm-wrapped", "wrap", [1, 0], "gm"),
    ("j-wrapped", "wrap", [0, 5], "jj"),
    ("nowrap-gj", "wrap", [1, 5], "gj"),
]:
    add("motions", label, text, cur, keys, ("\"",) if keys.startswith(("d", "c", "y", "g")) else (),
        options={"wrap": False} if label.startswith("nowrap") else None)

# Jumplist and change list.
for label, text, cur, keys in [
    ("G-ctrl-o", "code", pos("code", 2, "word"), "G<C-o>"),
    ("gg-G-ctrl-o-twice", "code", pos("code", 2, "word"), "GggG<C-o><C-o>"),
    ("ctrl-o-ctrl-i", "code", pos("code", 2, "word"), "G<C-o><C-i>"),
    ("search-ctrl-o", "prose", pos("prose", 0, "quick"), "/Last<CR><C-o>"),
    ("percent-ctrl-o", "code", pos("code", 0, "{"), "%<C-o>"),
    ("mark-jump-ctrl-o", "code", [1, 4], "ma5G'a<C-o>"),
    ("backtick-backtick", "code", [1, 4], "G``"),
    ("quote-quote", "code", [1, 8], "G''"),
    ("ctrl-o-count", "long", [0, 0], "10G20G30G2<C-o>"),
    ("ctrl-o-then-jump", "long", [0, 0], "10G20G<C-o>30G<C-o>"),
    ("tab-is-ctrl-i", "code", [1, 4], "G<C-o><Tab>"),
    ("H-L-jumps", "long", [5, 0], "L<C-o>"),
    ("brace-jump", "prose", [0, 0], "}}<C-o>"),
    ("n-jump", "code", [0, 0], "/out<CR>nn<C-o><C-o>"),
    ("star-jump", "code", pos("code", 1, "out"), "*<C-o>"),
    ("g-semicolon", "code", [0, 0], "3Gx7GxggG g;"),
    ("g-semicolon-twice", "code", [0, 0], "3Gx7Gxgg g;g;"),
    ("g-comma", "code", [0, 0], "3Gx7Gxgg g;g;g,"),
    ("g-semicolon-insert", "prose", [0, 0], "Aend<Esc>gg0g;"),
    ("no-jumps", "code", [3, 3], "<C-o>"),
]:
    add("jumplist", label, text, cur, keys)

# ---------------------------------------------------------------------------------------------------
# Doubled operators, one-key commands, and counts.
for label, text, cur, keys in [
    ("dd", "code", [3, 5], "dd"),
    ("3dd", "code", [3, 5], "3dd"),
    ("dd-last", "code", [10, 0], "dd"),
    ("dd-too-many", "code", [8, 0], "9dd"),
    ("cc", "code", [3, 9], "ccnew<Esc>"),
    ("2cc", "code", [3, 9], "2ccnew<Esc>"),
    ("cc-ai", "code", [3, 9], "ccnew<Esc>"),
    ("yy", "code", [3, 9], "yy"),
    ("2yy-p", "code", [3, 9], "2yyGp"),
    (">>", "code", [3, 9], ">>"),
    ("3>>", "code", [3, 9], "3>>"),
    ("<<", "code", [3, 9], "<lt><lt>"),
    ("<<-tabs", "tabs", [4, 2], "<lt><lt>"),
    (">>-tabs", "tabs", [4, 2], ">>"),
    ("==", "code", [3, 9], "=="),
    ("g~~", "prose", [0, 5], "g~~"),
    ("g~g~", "prose", [0, 5], "g~g~"),
    ("guu", "utf", [3, 5], "guu"),
    ("gugu", "prose", [0, 5], "gugu"),
    ("gUU", "utf", [0, 5], "gUU"),
    ("gUgU", "prose", [0, 5], "2gUgU"),
    ("g??", "prose", [0, 5], "g??"),
    ("g?g?", "prose", [1, 5], "g?g?"),
    ("gqq", "prose", [0, 5], "gqq"),
    ("gqq-tw", "prose", [0, 5], "gqq"),
    ("gqgq-tw", "prose", [3, 0], "2gqgq"),
    ("gqip-tw", "prose", [3, 0], "gqip"),
    ("D", "prose", [0, 10], "D"),
    ("2D", "prose", [0, 10], "2D"),
    ("C", "code", [4, 12], "Cfoo<Esc>"),
    ("2C", "code", [4, 12], "2Cfoo<Esc>"),
    ("Y", "code", [4, 12], "Y"),
    ("3Y", "code", [4, 12], "3Y"),
    ("x", "utf", [0, 2], "x"),
    ("4x", "utf", [1, 1], "4x"),
    ("x-past-end", "prose", [4, 14], "9x"),
    ("x-empty", "prose", [2, 0], "x"),
    ("X", "utf", [0, 3], "X"),
    ("3X", "prose", [0, 2], "3X"),
    ("X-bol", "prose", [1, 0], "X"),
    ("s", "utf", [2, 6], "sX<Esc>"),
    ("3s", "prose", [0, 4], "3sfast<Esc>"),
    ("S", "code", [4, 10], "Sreplaced<Esc>"),
    ("2S", "code", [4, 10], "2Sreplaced<Esc>"),
    ("r", "utf", [0, 2], "rI"),
    ("3r", "prose", [0, 4], "3r-"),
    ("r-too-many", "prose", [0, 75], "20r-"),
    ("r-cr", "prose", [0, 9], "r<CR>"),
    ("r-utf-with-utf", "utf", [1, 1], "2rö"),
    ("tilde", "utf", [3, 0], "~"),
    ("5tilde", "utf", [3, 0], "5~"),
    ("tilde-eol", "prose", [4, 16], "~"),
    ("J", "code", [1, 0], "J"),
    ("3J", "code", [1, 0], "3J"),
    ("J-paren", "code", [9, 0], "J"),
    ("J-sentence", "prose", [0, 0], "J"),
    ("J-empty", "prose", [1, 0], "J"),
    ("J-last", "code", [10, 0], "J"),
    ("gJ", "code", [1, 0], "gJ"),
    ("3gJ", "code", [1, 0], "3gJ"),
    ("ctrl-a", "numbers", [0, 0], "<C-a>"),
    ("5ctrl-a", "numbers", [0, 0], "5<C-a>"),
    ("ctrl-x-negative", "numbers", [0, 11], "<C-x>"),
    ("ctrl-a-negative", "numbers", [0, 13], "10<C-a>"),
    ("ctrl-a-hex", "numbers", [1, 0], "<C-a>"),
    ("ctrl-a-hex-upper", "numbers", [1, 11], "<C-a>"),
    ("ctrl-x-hex", "numbers", [1, 4], "16<C-x>"),
    ("ctrl-a-version", "numbers", [2, 10], "<C-a>"),
    ("ctrl-a-leading-zero", "numbers", [3, 0], "<C-a>"),
    ("ctrl-x-leading-zero", "numbers", [3, 7], "10<C-x>"),
    ("ctrl-a-none", "numbers", [4, 0], "<C-a>"),
    ("ctrl-a-bin", "numbers", [5, 0], "<C-a>"),
    ("ctrl-x-through-zero", "numbers", [0, 8], "9<C-x>"),
]:
    opts = {"tw": 30} if "tw" in label else None
    add("counts", label, text, cur, keys, ("\"", "1", "-"), options=opts)

for label, text, cur, keys in [
    ("2d3w", "prose", pos("prose", 0, "quick"), "2d3w"),
    ("3d2w", "code", pos("code", 4, "let"), "3d2w"),
    ("d2w", "prose", pos("prose", 0, "quick"), "d2w"),
    ("2dw", "prose", pos("prose", 0, "quick"), "2dw"),
    ("2y3e", "prose", pos("prose", 0, "quick"), "2y3e"),
    ("2c2w", "prose", pos("prose", 0, "quick"), "2c2wX<Esc>"),
    ("3ihi", "prose", [0, 4], "3ihi <Esc>"),
    ("2a", "utf", [0, 4], "2a-x<Esc>"),
    ("3A", "code", [1, 4], "3A;<Esc>"),
    ("2I", "code", [1, 8], "2I//<Esc>"),
    ("3o", "code", [1, 4], "3onew<Esc>"),
    ("2O", "code", [1, 4], "2Onew<Esc>"),
    ("3o-multi", "code", [1, 4], "3oa<CR>b<Esc>"),
    ("2i-cr", "prose", [1, 6], "2ix<CR><Esc>"),
    ("10j-beyond", "code", [3, 4], "10j"),
    ("5k-beyond", "code", [3, 4], "5k"),
    ("d10j-beyond", "code", [3, 4], "d10j"),
    ("5dd-near-end", "code", [8, 4], "5dd"),
    ("2d-count-G", "code", [1, 4], "d3G"),
    ("count-zero-not-count", "prose", [0, 20], "10l0"),
    ("count-f", "prose", [0, 0], "3fe"),
    ("count-fail-f", "prose", [0, 0], "99fe"),
    ("2p-count", "prose", [0, 4], "yiw3p"),
    ("3P-lines", "code", [1, 4], "yy3P"),
    ("2>j", "code", [3, 4], "2>j"),
    ("count-visual-reselect", "prose", [0, 4], "vey3v<Esc>"),
    ("big-count-x", "prose", [0, 0], "1000x"),
    ("count-percent-1", "long", [20, 0], "1%"),
    ("count-tilde-utf", "utf", [3, 0], "20~"),
    ("c-down", "prose", [0, 4], "c<Down>x<Esc>"),
    ("d-up", "prose", [1, 4], "d<Up>"),
    ("d-right", "prose", [0, 4], "3d<Right>"),
    ("y-left", "prose", [0, 4], "y<Left>"),
]:
    add("counts", label, text, cur, keys, ("\"",))

# ---------------------------------------------------------------------------------------------------
# Registers.
for label, text, cur, keys, regs in [
    ("yank-0", "code", [1, 4], "yiw", ["\"", "0"]),
    ("delete-word-small", "code", [1, 4], "dw", ["\"", "0", "1", "-"]),
    ("delete-line-1", "code", [1, 4], "dd", ["\"", "1", "-"]),
    ("numbered-shift", "code", [0, 0], "dddddd", ["\"", "1", "2", "3", "4"]),
    ("numbered-shift-9", "long", [0, 0], "dddddddddddddddddddddd", ["1", "5", "9"]),
    ("yank-not-1", "code", [0, 0], "ddyy", ["\"", "0", "1", "2"]),
    ("small-delete-minus", "prose", [0, 4], "dwx", ["\"", "-", "1"]),
    ("multiline-charwise-to-1", "prose", [0, 40], "d/Second/e<CR>", ["\"", "-", "1"]),
    ("percent-to-1", "code", [0, 13], "d%", ["\"", "-", "1"]),
    ("sentence-to-1", "prose", [0, 0], "d)", ["\"", "-", "1"]),
    ("paragraph-to-1", "prose", [3, 0], "d}", ["\"", "-", "1"]),
    ("search-to-1", "prose", [0, 0], "d/fox<CR>", ["\"", "-", "1"]),
    ("n-to-1", "prose", [0, 0], "/o<CR>0dn", ["\"", "-", "1"]),
    ("backtick-to-1", "prose", [0, 0], "ma4wd`a", ["\"", "-", "1"]),
    ("named-a", "prose", [0, 4], "\"adw", ["\"", "a", "1", "-"]),
    ("named-yank", "prose", [0, 4], "\"ayiw", ["\"", "a", "0"]),
    ("named-append", "prose", [0, 4], "\"ayiww\"Ayiw", ["\"", "a"]),
    ("named-append-line", "code", [1, 4], "\"ayyj\"Ayy", ["\"", "a"]),
    ("named-append-mixed", "code", [1, 4], "\"ayiwj\"Ayy", ["\"", "a"]),
    ("named-put", "prose", [0, 4], "\"ayiw$\"ap", ["\"", "a"]),
    ("named-delete-not-1", "code", [1, 4], "\"add", ["\"", "a", "1"]),
    ("black-hole", "prose", [0, 4], "yiw\"_dw", ["\"", "0", "1", "-"]),
    ("black-hole-line", "code", [1, 4], "yiw\"_dd", ["\"", "0", "1"]),
    ("black-hole-put", "prose", [0, 4], "yiww\"_dwP", ["\""]),
    ("dot-register", "prose", [0, 4], "ihello<Esc>", ["."]),
    ("dot-register-put", "prose", [0, 4], "ihello <Esc>\".p", ["."]),
    ("colon-register", "prose", [0, 4], ":s/quick/slow/<CR>", [":"]),
    ("colon-register-put", "prose", [0, 4], ":s/quick/slow/<CR>\":p", [":"]),
    ("slash-register", "prose", [0, 4], "/lazy<CR>", ["/"]),
    ("slash-register-put", "prose", [0, 4], "/lazy<CR>\"/P", ["/"]),
    ("uppercase-read", "prose", [0, 4], "\"ayiw\"AP", ["a"]),
    ("yank-visual-block", "code", [1, 4], "<C-v>2jey", ["\"", "0"]),
    ("delete-visual-line", "code", [1, 4], "Vjd", ["\"", "1", "-"]),
    ("change-word-small", "prose", [0, 4], "cwfast<Esc>", ["\"", "-", "1"]),
    ("x-small", "prose", [0, 4], "3x", ["\"", "-", "1"]),
    ("ctrl-r-insert", "prose", [0, 4], "yiwA <C-r>\"<Esc>", ["\""]),
    ("ctrl-r-named", "prose", [0, 4], "\"byiwo<C-r>b!<Esc>", ["b"]),
    ("ctrl-r-line", "code", [1, 4], "yyjA<C-r>0<Esc>", ["0"]),
    ("put-numbered-dot", "code", [0, 0], "dddddd\"1p..", ["\""]),
    ("put-numbered-undo-dot", "code", [0, 0], "dddddd\"1pu.u.", ["\""]),
    ("put-from-0", "code", [0, 0], "yyjdd\"0p", ["\"", "0", "1"]),
    ("named-upper-new", "prose", [0, 4], "\"Qyiw", ["q", "\""]),
]:
    add("registers", label, text, cur, keys, regs)

# Put: p P gp gP ]p [p with counts and the three register kinds.
for label, text, cur, keys in [
    ("p-char", "prose", [0, 4], "yiwp"),
    ("P-char", "prose", [0, 4], "yiwP"),
    ("3p-char", "prose", [0, 4], "yiw3p"),
    ("gp-char", "prose", [0, 4], "yiwgp"),
    ("gP-char", "prose", [0, 4], "yiwgP"),
    ("p-line", "code", [1, 4], "yyp"),
    ("P-line", "code", [1, 4], "yyP"),
    ("2p-line", "code", [1, 4], "yy2p"),
    ("gp-line", "code", [1, 4], "yygp"),
    ("gP-line", "code", [1, 4], "yy2gP"),
    ("p-line-end", "code", [1, 4], "yyGp"),
    ("p-block", "code", [1, 4], "<C-v>jlly0p"),
    ("P-block", "code", [1, 4], "<C-v>jlly$P"),
    ("2p-block", "code", [1, 4], "<C-v>jllyj2p"),
    ("p-block-past-end", "code", [4, 8], "<C-v>jeyGp"),
    ("p-block-utf", "utf", [0, 0], "<C-v>jly$p"),
    ("]p-indent", "code", [1, 4], "yy3j]p"),
    ("[p-indent", "code", [3, 4], "yyk[p"),
    ("]p-char", "prose", [0, 4], "yiw]p"),
    ("p-multiline-char", "prose", [0, 70], "y/Second/e<CR>G$p"),
    ("p-empty-line", "prose", [0, 4], "yiw2jp"),
    ("p-char-on-empty-buffer", [""], [0, 0], "\"ap", ),
    ("P-line-first", "code", [5, 4], "yyggP"),
    ("p-dot-repeat", "prose", [0, 4], "yiwp.."),
    ("p-preset-line", "prose", [0, 4], "\"ap"),
    ("p-preset-block", "prose", [0, 4], "\"bp"),
    ("P-preset-block-count", "prose", [1, 4], "2\"bP"),
    ("p-visual-replace", "prose", [0, 4], "yiwwviwp"),
    ("P-visual-keep", "prose", [0, 4], "yiwwviwPwviwP"),
    ("p-visual-line-with-char", "code", [1, 4], "yiwjVp"),
    ("p-visual-char-with-line", "code", [1, 4], "yyjviwp"),
]:
    preset = {"a": {"text": "zz\n", "type": "V"}, "b": {"text": "AB\nCD", "type": "b2"}}
    add("put", label, text, cur, keys, ("\"", "-", "1"), preset=preset)

# ---------------------------------------------------------------------------------------------------
# Insert mode.
for label, text, cur, keys, opts in [
    ("i", "prose", [0, 4], "ifast <Esc>", None),
    ("a", "prose", [0, 8], "aer<Esc>", None),
    ("A", "code", [1, 4], "A // note<Esc>", None),
    ("I", "code", [1, 8], "I// <Esc>", None),
    ("gI", "code", [1, 8], "gI//<Esc>", None),
    ("o", "code", [1, 4], "olet y = 2;<Esc>", None),
    ("O", "code", [1, 4], "Olet y = 2;<Esc>", None),
    ("o-noai", "code", [1, 4], "olet y = 2;<Esc>", {"autoindent": False}),
    ("o-tabs", "tabs", [3, 4], "ofoo();<Esc>", None),
    ("cr-ai", "code", [1, 28], "i<CR>x<Esc>", None),
    ("cr-mid", "prose", [0, 9], "i<CR><Esc>", None),
    ("cr-ai-empty-line-removed", "code", [1, 28], "A<CR><CR>x<Esc>", None),
    ("bs", "prose", [0, 9], "ia<BS><BS><BS><Esc>", None),
    ("bs-join", "prose", [1, 0], "i<BS><BS><Esc>", None),
    ("bs-start-of-insert", "prose", [0, 9], "i<BS><BS>x<Esc>", None),
    ("bs-bs-option", "prose", [0, 9], "i<BS>x<Esc>", {"backspace": ""}),
    ("del", "prose", [0, 4], "i<Del><Del>X<Esc>", None),
    ("del-join", "prose", [0, 79], "A<Del><Esc>", None),
    ("tab", "prose", [0, 4], "i<Tab><Esc>", None),
    ("tab-et", "prose", [0, 4], "i<Tab><Esc>", {"expandtab": True}),
    ("tab-et-sw2", "prose", [0, 5], "i<Tab><Esc>", {"expandtab": True, "shiftwidth": 2, "softtabstop": -1}),
    ("tab-sts4", "prose", [0, 4], "i<Tab><Tab><Esc>", {"softtabstop": 4}),
    ("bs-sts4", "prose", [0, 4], "i<Tab><Tab><BS><Esc>", {"softtabstop": 4}),
    ("bs-sts4-et", "prose", [0, 4], "i<Tab><Tab><BS>x<Esc>", {"softtabstop": 4, "expandtab": True}),
    ("ctrl-w", "code", [4, 30], "i<C-w><Esc>", None),
    ("ctrl-w-twice", "prose", [0, 19], "i<C-w><C-w><Esc>", None),
    ("ctrl-w-typed", "prose", [0, 4], "ifoo bar<C-w><C-w>x<Esc>", None),
    ("ctrl-w-utf", "utf", [0, 11], "a<C-w><Esc>", None),
    ("ctrl-u", "prose", [0, 19], "inew<C-u><Esc>", None),
    ("ctrl-u-indent", "code", [1, 20], "a<C-u><Esc>", None),
    ("ctrl-u-twice", "prose", [0, 19], "inew<C-u><C-u><Esc>", None),
    ("ctrl-t", "code", [1, 8], "i<C-t><Esc>", None),
    ("ctrl-t-sw2", "code", [1, 8], "a<C-t>x<Esc>", {"shiftwidth": 2}),
    ("ctrl-d", "code", [4, 12], "i<C-d><Esc>", None),
    ("ctrl-d-tabs", "tabs", [4, 3], "i<C-d>x<Esc>", None),
    ("zero-ctrl-d", "code", [4, 12], "O0<C-d>x<Esc>", None),
    ("ctrl-r", "prose", [0, 4], "yiwo<C-r>0<Esc>", None),
    ("ctrl-r-dot", "prose", [0, 4], "iab<Esc>o<C-r>.<Esc>", None),
    ("ctrl-o", "prose", [0, 4], "ifoo<C-o>dwbar<Esc>", None),
    ("ctrl-o-dollar", "prose", [0, 4], "ix<C-o>$y<Esc>", None),
    ("ctrl-o-eol", "prose", [1, 69], "A<C-o>0x<Esc>", None),
    ("ctrl-v", "prose", [0, 4], "i<C-v><Tab><Esc>", {"expandtab": True}),
    ("ctrl-v-decimal", "prose", [0, 4], "i<C-v>065<Esc>", None),
    ("ctrl-v-u", "prose", [0, 4], "i<C-v>u00e9<Esc>", None),
    ("ctrl-k", "prose", [0, 4], "i<C-k>e:<Esc>", None),
    ("ctrl-k-euro", "prose", [0, 4], "i<C-k>Eu<Esc>", None),
    ("esc-cursor", "prose", [0, 4], "ia<Esc>", None),
    ("esc-cursor-bol", "prose", [0, 0], "i<Esc>", None),
    ("ctrl-c", "prose", [0, 4], "iab<C-c>", None),
    ("ctrl-bracket", "prose", [0, 4], "iab<C-[>", None),
    ("ctrl-c-count", "prose", [0, 4], "3iab<C-c>", None),
    ("esc-count", "prose", [0, 4], "3iab<Esc>", None),
    ("left-breaks-undo", "prose", [0, 4], "ifoo<Left>bar<Esc>u", None),
    ("right-breaks-undo", "prose", [0, 4], "ifoo<Right>bar<Esc>u", None),
    ("up-down", "code", [2, 4], "ix<Up>y<Down>z<Esc>", None),
    ("home-end", "prose", [0, 4], "ix<Home>y<End>z<Esc>", None),
    ("arrow-dot", "prose", [0, 4], "ifoo<Left>bar<Esc>w.", None),
    ("insert-still-in-insert", "prose", [0, 4], "ifoo", None),
    ("A-still-in-insert", "utf", [0, 4], "A!", None),
    ("i-utf", "utf", [1, 2], "iö<Esc>", None),
    ("a-end-empty", "prose", [2, 0], "ax<Esc>", None),
    ("gi", "prose", [0, 4], "ifoo<Esc>jjgibar<Esc>", None),
    ("insert-ctrl-a", "prose", [0, 4], "ifoo<Esc>w<C-a><Esc>", None),
    ("ctrl-e-ctrl-y", "code", [2, 0], "o<C-y><C-y><C-y><C-e><Esc>", None),
    ("bs-over-ai", "code", [1, 28], "o<BS>x<Esc>", None),
    ("ai-cleared-on-esc", "code", [1, 28], "o<Esc>", None),
    ("shiftround-ctrl-t", "code", [1, 3], "i <C-t><Esc>", {"shiftround": True}),
    ("ctrl-a-last-insert", "prose", [0, 4], "ifoo<Esc>wa<C-a>!<Esc>", None),
    ("ctrl-a-holding-ctrl-a", "prose", [0, 4], "ix<Esc>a<C-a>y<Esc>a<C-a><Esc>", None),
    ("ctrl-a-after-down", ["}é<foo}", "x1"], [1, 1], "<CR>.a<C-a><Down>a<C-a><Esc>", None),
    ("ctrl-o-op-esc", "utf", [0, 0], "o<C-o>gU<Esc>x<Esc>", None),
    ("ctrl-o-insert-again", "prose", [0, 4], "ifoo<C-o>abar<Esc>", None),
]:
    add("insert", label, text, cur, keys, (".", "\""), options=opts)

# Replace mode.
for label, text, cur, keys in [
    ("R", "prose", [0, 4], "Rslow<Esc>"),
    ("R-past-end", "prose", [4, 12], "Rmany more<Esc>"),
    ("R-bs", "prose", [0, 4], "Rslow<BS><BS><Esc>"),
    ("R-bs-past-start", "prose", [0, 4], "Rab<BS><BS><BS>c<Esc>"),
    ("R-count", "prose", [0, 4], "2Rab<Esc>"),
    ("R-cr", "prose", [0, 4], "Rx<CR>y<Esc>"),
    ("R-utf", "utf", [0, 2], "Rabc<Esc>"),
    ("R-over-tab", "tabs", [2, 0], "Rxyz<Esc>"),
    ("R-undo", "prose", [0, 4], "Rslow<Esc>u"),
    ("R-dot", "prose", [0, 4], "Rslow<Esc>w."),
    ("R-mode", "prose", [0, 4], "Rab"),
    ("R-insert-toggle", "prose", [0, 4], "Rab<Insert>cd<Esc>"),
    ("i-insert-toggle", "prose", [0, 4], "iab<Insert>cd<Esc>"),
    ("R-del", "prose", [0, 4], "R<Del>x<Esc>"),
    ("R-ctrl-w", "prose", [0, 4], "Rab cd<C-w><Esc>"),
    ("gR", "tabs", [2, 0], "gRxy<Esc>"),
    ("r-count-dot", "prose", [0, 4], "2rxw."),
    ("r-tab", "prose", [0, 3], "r<Tab>"),
    ("r-ctrl-v", "prose", [0, 3], "r<C-v><Tab>"),
    ("r-esc-cancels", "prose", [0, 3], "r<Esc>x"),
]:
    add("replace", label, text, cur, keys, (".",))

# ---------------------------------------------------------------------------------------------------
# Visual modes.
VISUAL = [
    ("v-y", "prose", [0, 4], "vey"),
    ("v-d", "prose", [0, 4], "v3ed"),
    ("v-c", "prose", [0, 4], "vecslow<Esc>"),
    ("v-x", "prose", [0, 4], "vjx"),
    ("v-multiline-d", "prose", [0, 70], "vjd"),
    ("v-o", "prose", [0, 10], "veohhd"),
    ("v-gt", "code", [1, 4], "vj>"),
    ("v-lt", "code", [3, 8], "vj<lt>"),
    ("v-2gt", "code", [1, 4], "vj2>"),
    ("v-tilde", "utf", [3, 0], "v4l~"),
    ("v-u", "prose", [0, 0], "vwu"),
    ("v-U", "utf", [0, 0], "veU"),
    ("v-J", "code", [1, 4], "vjjJ"),
    ("v-gJ", "code", [1, 4], "vjgJ"),
    ("v-r", "prose", [0, 4], "verx"),
    ("v-r-multiline", "prose", [0, 75], "vjr."),
    ("v-esc", "prose", [0, 4], "vee<Esc>"),
    ("v-mode", "prose", [0, 4], "vee"),
    ("v-gv", "prose", [0, 4], "vey$gvd"),
    ("v-ip", "prose", [3, 4], "vipd"),
    ("v-iw-count", "prose", [0, 4], "v3iwd"),
    ("v-aw-extend", "prose", [0, 4], "vawawd"),
    ("v-i(-extend", "quotes", [1, 12], "vi(i(d"),
    ("v-a(-extend", "quotes", [1, 12], "va(a(y"),
    ("v-it-extend", "html", [1, 13], "vititd"),
    ("v-i\"", "quotes", [0, 7], "vi\"y"),
    ("v-a\"", "quotes", [0, 7], "va\"d"),
    ("v-is", "prose", [0, 50], "visd"),
    ("v-dollar", "prose", [0, 70], "v$d"),
    ("v-dollar-j", "prose", [0, 70], "v$jd"),
    ("v-to-V", "prose", [0, 4], "vjVd"),
    ("v-to-block", "code", [1, 4], "vj<C-v>d"),
    ("v-v-exits", "prose", [0, 4], "vev"),
    ("v-count-repeat", "prose", [0, 4], "vlly1vd"),
    ("v-dot", "prose", [0, 4], "vlld0."),
    ("v-eq", "code", [3, 0], "vj="),
    ("v-gq", "prose", [0, 4], "Vjgq"),
    ("v-g?", "prose", [0, 4], "veg?"),
    ("v-C", "code", [1, 8], "vjCnew<Esc>"),
    ("v-S", "code", [1, 8], "vSnew<Esc>"),
    ("v-R", "code", [1, 8], "vRnew<Esc>"),
    ("v-D", "code", [1, 8], "vD"),
    ("v-X", "code", [1, 8], "vjX"),
    ("v-Y", "code", [1, 8], "vY"),
    ("v-p", "prose", [0, 4], "yiwwvep"),
    ("v-ctrl-a", "numbers", [0, 0], "Vj<C-a>"),
    ("v-g-ctrl-a", "numbers", [0, 0], "VGg<C-a>"),
    ("v-utf", "utf", [1, 2], "v2ld"),
    ("V-y", "code", [1, 4], "Vjy"),
    ("V-d", "code", [1, 4], "Vjjd"),
    ("V-c", "code", [1, 4], "Vjcnew<Esc>"),
    ("V-gt", "code", [1, 4], "Vj>"),
    ("V-3gt", "code", [1, 4], "Vj3>"),
    ("V-lt-tabs", "tabs", [3, 4], "Vj<lt>"),
    ("V-J", "prose", [3, 4], "VjJ"),
    ("V-u", "prose", [0, 4], "Vu"),
    ("V-tilde", "prose", [0, 4], "Vj~"),
    ("V-r", "code", [9, 4], "Vjr#"),
    ("V-o", "code", [3, 4], "Vjjokd"),
    ("V-gv", "code", [3, 4], "Vj<Esc>Ggvd"),
    ("V-mode", "code", [3, 4], "Vj"),
    ("V-ip", "prose", [0, 4], "Vipd"),
    ("V-dollar-curswant", "code", [1, 4], "V$jj<Esc>"),
    ("V-eq", "code", [2, 0], "Vjj="),
    ("V-I", "code", [1, 4], "VjIx<Esc>"),
    ("V-A", "code", [1, 4], "VjAx<Esc>"),
    ("block-y", "code", [1, 4], "<C-v>jjly"),
    ("block-d", "code", [1, 4], "<C-v>jjld"),
    ("block-c", "code", [1, 4], "<C-v>jjlcX<Esc>"),
    ("block-I", "code", [1, 4], "<C-v>jjI// <Esc>"),
    ("block-A", "code", [1, 4], "<C-v>jjlA| <Esc>"),
    ("block-dollar-A", "code", [1, 4], "<C-v>jj$A;<Esc>"),
    ("block-I-short-line", "code", [8, 30], "<C-v>3jIX<Esc>"),
    ("block-A-short-line", "code", [8, 30], "<C-v>3jAX<Esc>"),
    ("block-r", "code", [1, 4], "<C-v>jjllr*"),
    ("block-tilde", "code", [1, 4], "<C-v>jjll~"),
    ("block-u", "prose", [0, 0], "<C-v>jllu"),
    ("block-U", "code", [1, 4], "<C-v>jjllU"),
    ("block-gt", "code", [1, 6], "<C-v>jj>"),
    ("block-lt", "code", [3, 8], "<C-v>jj<lt>"),
    ("block-J", "code", [1, 4], "<C-v>jJ"),
    ("block-o", "code", [1, 4], "<C-v>jjlloy"),
    ("block-O", "code", [1, 4], "<C-v>jjllOd"),
    ("block-O-mode", "code", [1, 4], "<C-v>jjllO"),
    ("block-gv", "code", [1, 4], "<C-v>jll<Esc>G0gvd"),
    ("block-utf", "utf", [0, 2], "<C-v>jld"),
    ("block-tabs", "tabs", [2, 0], "<C-v>jld"),
    ("block-dollar-d", "code", [1, 10], "<C-v>jj$d"),
    ("block-c-dot", "code", [1, 4], "<C-v>jcZ<Esc>j."),
    ("block-I-dot", "code", [1, 4], "<C-v>jI#<Esc>3j."),
    ("block-mode", "code", [1, 4], "<C-v>jj"),
    ("block-p-replace", "code", [1, 4], "yiw<C-v>jjep"),
    ("block-s", "code", [1, 4], "<C-v>jlsQ<Esc>"),
    ("block-C", "code", [1, 8], "<C-v>jCend<Esc>"),
    ("block-D", "code", [1, 8], "<C-v>jD"),
    ("block-X", "code", [1, 8], "<C-v>jX"),
    ("block-Y", "code", [1, 8], "<C-v>jlY"),
    ("block-ctrl-a", "numbers", [0, 6], "<C-v>j<C-a>"),
    ("v-ctrl-c", "prose", [0, 4], "ve<C-c>"),
    ("v-colon", "code", [1, 4], "Vj:s/^/#/<CR>"),
    ("v-colon-normal", "code", [1, 4], "Vj:normal Ax<CR>"),
]
for label, text, cur, keys in VISUAL:
    add("visual", label, text, cur, keys, ("\"", "-", "1"))

# ---------------------------------------------------------------------------------------------------
# Dot repeat.
for label, text, cur, keys in [
    ("dw", "prose", [0, 4], "dw.."),
    ("2dw-dot", "prose", [0, 4], "2dw."),
    ("2dw-3dot", "prose", [0, 0], "2dw3."),
    ("d2w-dot-count", "prose", [0, 0], "d2w2."),
    ("dd", "code", [1, 0], "dd."),
    ("3dd-dot", "long", [1, 0], "3dd."),
    ("x", "prose", [0, 4], "x..."),
    ("3x-dot", "prose", [0, 4], "3x."),
    ("ciw", "prose", [0, 4], "ciwfast<Esc>ww."),
    ("cw-count", "prose", [0, 4], "cwX<Esc>w2."),
    ("insert", "prose", [0, 4], "ihi <Esc>w."),
    ("insert-count", "prose", [0, 4], "3ihi<Esc>w."),
    ("insert-dot-count", "prose", [0, 4], "ihi<Esc>w3."),
    ("A", "code", [1, 4], "A;<Esc>j.j."),
    ("o", "code", [1, 4], "onew();<Esc>j."),
    ("O-count", "code", [1, 4], "2Oa<Esc>G."),
    ("I", "code", [1, 4], "I// <Esc>jj."),
    ("s", "prose", [0, 4], "sQ<Esc>w."),
    ("r", "prose", [0, 4], "rQw."),
    ("tilde", "prose", [0, 0], "~w."),
    ("J", "code", [1, 0], "J."),
    (">>", "code", [1, 0], ">>j."),
    ("gt-motion", "code", [1, 0], ">jjj."),
    ("gUiw", "prose", [0, 4], "gUiww."),
    ("g~-count", "prose", [0, 4], "g~2ww."),
    ("p", "prose", [0, 4], "yiwp."),
    ("P-line", "code", [1, 0], "yyP."),
    ("ctrl-a", "numbers", [0, 8], "5<C-a>."),
    ("ctrl-a-count", "numbers", [0, 8], "<C-a>10."),
    ("D", "prose", [0, 40], "Dk."),
    ("C", "prose", [0, 40], "Cx<Esc>j."),
    ("df", "prose", [0, 4], "dfo."),
    ("dt-semicolon", "code", [4, 0], "dt.."),
    ("d-search", "prose", [0, 0], "d/o<CR>."),
    ("c-search", "prose", [0, 0], "c/o<CR>X<Esc>."),
    ("dot-after-undo", "prose", [0, 4], "dwu."),
    ("dot-undo-dot", "prose", [0, 4], "dw.u."),
    ("insert-ctrl-w", "prose", [0, 10], "afoo bar<C-w>baz<Esc>w."),
    ("insert-bs", "prose", [0, 10], "aabc<BS>d<Esc>w."),
    ("insert-ctrl-r", "prose", [0, 4], "yiwA <C-r>0<Esc>j."),
    ("a-multiline", "prose", [0, 4], "ax<CR>y<Esc>j."),
    ("v-dot-lines", "code", [1, 0], "Vjdj."),
    ("yank-no-dot", "prose", [0, 4], "xyw."),
    ("motion-no-dot", "prose", [0, 4], "xw."),
    ("dot-nothing", "prose", [0, 4], "."),
    ("dot-register", "prose", [0, 4], "\"adw.", ),
    ("ct-dot", "code", [1, 0], "ct=foo<Esc>j0."),
    ("dip", "prose", [0, 0], "dip."),
    ("di(-dot", "quotes", [1, 12], "di(."),
    ("cit", "html", [1, 12], "citX<Esc>j0fo."),
    ("R-dot", "prose", [0, 4], "Rab<Esc>w."),
    ("gJ-dot", "code", [1, 4], "gJ."),
    ("o-indent", "code", [3, 4], "o}<Esc>j."),
]:
    add("dot", label, text, cur, keys, ("\"", "a") if "register" in label else ("\"",))

# ---------------------------------------------------------------------------------------------------
# Undo / redo.
for label, text, cur, keys in [
    ("u", "prose", [0, 4], "dwu"),
    ("u-cursor", "code", [1, 4], "jjddu"),
    ("u-twice", "prose", [0, 4], "dwdwuu"),
    ("2u", "prose", [0, 4], "dwdwdw2u"),
    ("u-too-many", "prose", [0, 4], "dwuuuu"),
    ("redo", "prose", [0, 4], "dwu<C-r>"),
    ("redo-2", "prose", [0, 4], "dwdwuu2<C-r>"),
    ("redo-nothing", "prose", [0, 4], "<C-r>"),
    ("undo-insert", "prose", [0, 4], "ihello<Esc>u"),
    ("undo-insert-cr", "prose", [0, 4], "ia<CR>b<CR>c<Esc>u"),
    ("undo-o", "code", [1, 4], "onew<Esc>u"),
    ("undo-J", "code", [1, 4], "3Ju"),
    ("undo-p", "code", [1, 4], "yy3pu"),
    ("undo-gt", "code", [1, 4], ">2ju"),
    ("undo-block-I", "code", [1, 4], "<C-v>jjIx<Esc>u"),
    ("undo-redo-cursor", "code", [1, 4], "3Gdd5Gddu<C-r>"),
    ("U", "prose", [0, 4], "xxxU"),
    ("U-twice", "prose", [0, 4], "xxxUU"),
    ("U-then-u", "prose", [0, 4], "xxxUu"),
    ("U-other-line", "prose", [0, 4], "xxjxkU"),
    ("undo-branch", "prose", [0, 4], "xuxu"),
    ("undo-dot", "prose", [0, 4], "dw.u"),
    ("undo-macro", "prose", [0, 4], "qaxxq@au"),
    ("undo-normal", "code", [0, 0], ":%normal Ax<CR>u"),
    ("undo-ctrl-o", "prose", [0, 4], "iab<C-o>xcd<Esc>u"),
    ("undo-ctrl-g-u", "prose", [0, 4], "iab<C-g>ucd<Esc>u"),
    ("undo-R", "prose", [0, 4], "Rabcd<Esc>u"),
    ("undo-visual", "code", [1, 4], "Vjd2ju"),
    ("undo-r", "prose", [0, 4], "3rxu"),
    ("undo-ctrl-a", "numbers", [0, 8], "<C-a><C-a>u"),
    ("undo-substitute", "prose", [0, 4], ":s/o/0/g<CR>u"),
    ("undo-all-redo-all", "prose", [0, 4], "xdwihi<Esc>uuu<C-r><C-r><C-r>"),
    ("undo-utf", "utf", [1, 2], "xxu"),
    ("undo-to-start-then-edit", "code", [1, 4], "ddu<C-r>uxu"),
    ("g-minus", "prose", [0, 4], "xuxg-"),
    ("g-minus-plus", "prose", [0, 4], "xuxg-g-g+"),
]:
    add("undo", label, text, cur, keys, ("\"",))

# ---------------------------------------------------------------------------------------------------
# Marks.
for label, text, cur, keys in [
    ("m-quote", "code", [3, 12], "maG'a"),
    ("m-backtick", "code", [3, 12], "maG`a"),
    ("m-upper", "code", [3, 12], "mAgg`A"),
    ("m-upper-quote", "code", [3, 12], "mBgg'B"),
    ("unset-mark", "code", [3, 12], "`q"),
    ("mark-moves-with-insert", "code", [3, 12], "maggOnew<Esc>`a"),
    ("mark-deleted-line", "code", [3, 12], "maddgg`a"),
    ("mark-shifted-by-dd", "code", [3, 12], "maggdd`a"),
    ("mark-col-after-insert", "code", [3, 12], "ma0ixyz<Esc>`a"),
    ("backtick-bracket", "prose", [0, 4], "yiw`]"),
    ("backtick-bracket-open", "prose", [0, 10], "yiw$`["),
    ("bracket-after-put", "code", [1, 4], "yyjp`["),
    ("bracket-close-after-put", "code", [1, 4], "yyjp`]"),
    ("bracket-after-insert", "prose", [0, 4], "ihello<Esc>0`["),
    ("bracket-close-after-insert", "prose", [0, 4], "ihello<Esc>0`]"),
    ("lt-gt", "prose", [0, 4], "vee<Esc>0`<lt>"),
    ("gt-mark", "prose", [0, 4], "vee<Esc>0`>"),
    ("lt-gt-line", "code", [1, 4], "Vj<Esc>gg'>"),
    ("dot-mark", "prose", [0, 4], "xG`."),
    ("dot-mark-quote", "code", [3, 4], "xG'."),
    ("caret-mark", "prose", [0, 4], "ihi<Esc>G`^"),
    ("quote-quote-after-G", "code", [3, 4], "G''"),
    ("backtick-backtick-col", "code", [3, 9], "G``"),
    ("double-backtick-twice", "code", [3, 9], "G````"),
    ("mark-op-d", "prose", [0, 4], "mb3wd`b"),
    ("mark-op-y-line", "code", [1, 4], "ma3jy'aP"),
    ("mark-utf", "utf", [1, 3], "majj`a"),
    ("mark-after-undo", "code", [3, 4], "maggddu`a"),
    ("ex-mark", "code", [2, 4], "ma:'a,'a+1d<CR>"),
    ("delmarks", "code", [2, 4], ":delmarks a<CR>`a"),
    ("mark-backtick-bracket-yank-lines", "code", [1, 4], "y2jG`]"),
    ("quote-bracket", "code", [1, 4], "y2jG']"),
]:
    add("marks", label, text, cur, keys)

# ---------------------------------------------------------------------------------------------------
# Search.
for label, text, cur, keys, opts in [
    ("slash", "prose", [0, 0], "/fox<CR>", None),
    ("question", "prose", [4, 5], "?line<CR>", None),
    ("n", "code", [0, 0], "/out<CR>nn", None),
    ("N", "code", [0, 0], "/out<CR>N", None),
    ("question-n", "code", [10, 0], "?out<CR>n", None),
    ("question-N", "code", [10, 0], "?out<CR>N", None),
    ("wrap", "code", [9, 0], "/fn<CR>", None),
    ("nowrap", "code", [9, 0], "/fn<CR>", {"wrapscan": False}),
    ("nowrap-n-fails", "code", [0, 0], "/label<CR>nnn", {"wrapscan": False}),
    ("not-found", "prose", [0, 4], "/zzz<CR>", None),
    ("not-found-keeps-last", "prose", [0, 4], "/fox<CR>0/zzz<CR>n", None),
    ("offset-e", "prose", [0, 0], "/lazy/e<CR>", None),
    ("offset-e-plus", "prose", [0, 0], "/lazy/e+1<CR>", None),
    ("offset-e-minus", "prose", [0, 0], "/lazy/e-1<CR>", None),
    ("offset-s-plus", "prose", [0, 0], "/lazy/s+2<CR>", None),
    ("offset-b-minus", "prose", [0, 0], "/lazy/b-1<CR>", None),
    ("offset-line-plus", "prose", [0, 0], "/lazy/+1<CR>", None),
    ("offset-line-minus", "code", [0, 0], "/push/-2<CR>", None),
    ("offset-line-bare", "code", [0, 0], "/push/+<CR>", None),
    ("offset-n-keeps", "code", [0, 0], "/out/e<CR>n", None),
    ("offset-question", "code", [10, 0], "?out?e<CR>", None),
    ("empty-pattern-new-offset", "code", [0, 0], "/out<CR>//e<CR>", None),
    ("count-search", "code", [0, 0], "3/out<CR>", None),
    ("count-n", "code", [0, 0], "/out<CR>2n", None),
    ("star", "code", pos("code", 1, "out"), "*", None),
    ("star-n", "code", pos("code", 1, "out"), "*n", None),
    ("star-whole-word", "quotes", [0, 0], "*", None),
    ("hash", "code", pos("code", 5, "out"), "#", None),
    ("hash-N", "code", pos("code", 5, "out"), "#N", None),
    ("gstar-partial", "code", pos("code", 1, "out"), "g*", None),
    ("star-count", "code", pos("code", 1, "out"), "2*", None),
    ("star-not-on-word", "code", [1, 0], "*", None),
    ("star-register", "code", pos("code", 1, "out"), "*", None),
    ("ignorecase", "prose", [0, 0], "/the<CR>", {"ignorecase": True}),
    ("smartcase", "prose", [0, 5], "/The<CR>", {"ignorecase": True, "smartcase": True}),
    ("smartcase-lower", "prose", [0, 5], "/the<CR>", {"ignorecase": True, "smartcase": True}),
    ("regex-word", "prose", [0, 0], "/\\<it\\><CR>", None),
    ("regex-class", "code", [0, 0], "/[0-9]\\+<CR>", None),
    ("regex-eol", "prose", [0, 0], "/it\\.$<CR>", None),
    ("regex-very-magic", "code", [0, 0], "/\\v(out|word)\\.<CR>", None),
    ("utf-search", "utf", [0, 0], "/🎉<CR>n", None),
    ("utf-search-back", "utf", [3, 0], "?ö<CR>", None),
    ("search-history-up", "prose", [0, 0], "/fox<CR>gg/<Up><CR>", None),
    ("search-esc", "prose", [0, 0], "/fox<Esc>", None),
    ("search-bs-edit", "prose", [0, 0], "/foxx<BS><CR>", None),
    ("search-ctrl-u", "prose", [0, 0], "/zzz<C-u>dog<CR>", None),
    ("search-ctrl-r", "prose", [0, 0], "wyiw0/<C-r>0<CR>", None),
    ("search-ctrl-w", "prose", [0, 0], "/foo lazy<C-w><C-w>dog<CR>", None),
    ("search-mode", "prose", [0, 0], "/fo", None),
    ("n-no-previous", "prose", [0, 4], "n", None),
    ("search-in-visual", "prose", [0, 0], "v/fox<CR>d", None),
    ("search-op-inclusive-e", "prose", [0, 0], "d/fox/e<CR>", None),
    ("search-op-linewise-offset", "code", [0, 0], "d/push/0<CR>", None),
    ("search-backslash-slash", "quotes", [0, 0], "/f(a<CR>", None),
    ("search-escaped-slash", [ "a/b c/d" ], [0, 0], "/c\\/d<CR>", None),
    ("question-slash-literal", ["a/b c/d"], [0, 6], "?a/b<CR>", None),
    ("noh-keeps-n", "code", [0, 0], "/out<CR>:noh<CR>n", None),
]:
    add("search", label, text, cur, keys, ("/",), options=opts)

# ---------------------------------------------------------------------------------------------------
# Mappings.
for label, text, cur, ex, keys in [
    ("nmap", "prose", [0, 4], ["nmap Q dw"], "Q"),
    ("nnoremap", "prose", [0, 4], ["nnoremap Q dw"], "Q"),
    ("map-nvo", "prose", [0, 4], ["map Q w"], "dQ"),
    ("nmap-not-op", "prose", [0, 4], ["nmap Q w"], "dQ"),
    ("omap", "prose", [0, 4], ["omap Q iw"], "dQ"),
    ("onoremap-motion", "prose", [0, 4], ["onoremap Q $"], "cQend<Esc>"),
    ("vmap", "prose", [0, 4], ["vmap Q d"], "veQ"),
    ("xmap", "prose", [0, 4], ["xmap Q y"], "veQ$p"),
    ("xnoremap-gt", "code", [1, 4], ["xnoremap > >gv"], "Vj>>"),
    ("imap", "prose", [0, 4], ["imap jk <Esc>"], "ixyjk"),
    ("inoremap", "prose", [0, 4], ["inoremap ( ()<Left>"], "af(x<Esc>"),
    ("imap-partial", "prose", [0, 4], ["imap jk <Esc>"], "ijjx<Esc>"),
    ("cnoremap", "prose", [0, 4], ["cnoremap ;; <CR>"], ":s/quick/slow/;;"),
    ("cmap-abbrev-like", "prose", [0, 4], ["cnoremap <C-a> <Home>"], ":/quick/slow/<C-a>s<CR>"),
    ("recursive", "prose", [0, 4], ["nmap Q W", "nmap W dw"], "Q"),
    ("noremap-not-recursive", "prose", [0, 4], ["nnoremap Q W", "nmap W dw"], "Q"),
    ("rhs-starts-with-lhs", "prose", [0, 4], ["nmap x xl"], "x"),
    ("rhs-contains-lhs", "prose", [0, 4], ["nmap x lx"], "x"),
    ("recursive-loop", "prose", [0, 4], ["nmap Q W", "nmap W Q"], "Qx"),
    ("ambiguous-long", "code", [1, 4], ["nmap , dd", "nmap ,y yy"], ",yP"),
    ("ambiguous-short", "code", [1, 4], ["nmap , dd", "nmap ,y yy"], ",j"),
    ("ambiguous-nowait", "code", [1, 4], ["nmap <nowait> , dd", "nmap ,y yy"], ",y"),
    ("ambiguous-builtin", "prose", [0, 4], ["nmap dx dd"], "dw"),
    ("ambiguous-builtin-full", "prose", [0, 4], ["nmap dx dd"], "dx"),
    ("buffer-local", "prose", [0, 4], ["nmap <buffer> Q dw"], "Q"),
    ("buffer-local-over-global", "prose", [0, 4], ["nmap Q x", "nmap <buffer> Q dw"], "Q"),
    ("silent", "prose", [0, 4], ["nmap <silent> Q :s/o/0/g<CR>"], "Q"),
    ("leader", "prose", [0, 4], ["nmap <leader>d dw"], "\\d"),
    ("leader-set", "prose", [0, 4], ["let mapleader = ','", "nmap <leader>d dw"], ",d"),
    ("localleader", "prose", [0, 4], ["let maplocalleader = '_'", "nmap <localleader>x dw"], "_x"),
    ("unmap", "prose", [0, 4], ["nmap Q dw", "nunmap Q"], "Qx"),
    ("mapclear", "prose", [0, 4], ["nmap Q dw", "mapclear"], "Qx"),
    ("map-special-lt", "prose", [0, 4], ["nnoremap Q i<lt>x><Esc>"], "Q"),
    ("map-bar", "prose", [0, 4], ["nnoremap Q i<Bar><Esc>"], "Q"),
    ("map-space", "prose", [0, 4], ["nnoremap <Space>w dw"], " w"),
    ("map-ctrl", "prose", [0, 4], ["nnoremap <C-j> dw"], "<C-j>"),
    ("map-meta", "prose", [0, 4], ["nnoremap <M-x> dw"], "<M-x>"),
    ("map-fkey", "prose", [0, 4], ["nnoremap <F2> dw"], "<F2>"),
    ("map-tab-rhs", "prose", [0, 4], ["nnoremap Q i<Tab><Esc>"], "Q"),
    ("map-bslash", "prose", [0, 4], ["nnoremap Q i<Bslash><Esc>"], "Q"),
    ("map-count", "prose", [0, 4], ["nnoremap Q dw"], "2Q"),
    ("map-register", "prose", [0, 4], ["nnoremap Q dw"], "\"aQ"),
    ("map-dot", "prose", [0, 4], ["nnoremap Q dwx"], "Qw."),
    ("map-undo", "prose", [0, 4], ["nnoremap Q dwx"], "Qu"),
    ("map-in-macro", "prose", [0, 4], ["nnoremap Q dw"], "qaQq@a"),
    ("map-insert-chain", "prose", [0, 4], ["inoremap <C-l> <Right>", "imap jj <C-l><C-l>"], "ijjX<Esc>"),
    ("map-x-override", "prose", [0, 4], ["nnoremap x dd"], "x"),
    ("map-multi-key-rhs-esc", "code", [1, 4], ["nnoremap Q A;<Esc>j"], "QQ"),
    ("map-in-operator-pending-abort", "prose", [0, 4], ["onoremap Q <Esc>"], "dQx"),
    ("nmap-g-prefix", "prose", [0, 4], ["nnoremap gx dw"], "gxgUiw"),
    ("vnoremap-smap-not-x", "prose", [0, 4], ["smap Q d"], "veQ"),
    ("imap-ctrl-r", "prose", [0, 4], ["inoremap <C-b> <C-r>\""], "yiwA <C-b><Esc>"),
    ("map-colon-cmd", "code", [1, 4], ["nnoremap Q :2,3d<CR>"], "Q"),
    ("map-cmd-tag", "code", [1, 4], ["nnoremap Q <Cmd>2,3d<CR>"], "Q"),
    ("noremap-bang-insert", "prose", [0, 4], ["noremap! Q X"], "iQ<Esc>"),
    ("lmap-unused", "prose", [0, 4], ["map! Q Y"], "aQ<Esc>"),
    ("nmap-count-in-rhs", "prose", [0, 4], ["nnoremap Q 2dw"], "Q"),
]:
    add("mappings", label, text, cur, keys, ("\"",), ex=ex)

# ---------------------------------------------------------------------------------------------------
# Macros.
for label, text, cur, keys, regs in [
    ("record-play", "code", [1, 4], "qaA;<Esc>jq@a", ["a"]),
    ("record-register-text", "prose", [0, 4], "qadwq", ["a"]),
    ("play-count", "code", [1, 0], "qaI# <Esc>jq3@a", ["a"]),
    ("at-at", "code", [1, 0], "qaI# <Esc>jq@a@@", ["a"]),
    ("at-at-count", "code", [1, 0], "qaxjq@a2@@", ["a"]),
    ("recursive-stops", "code", [0, 0], "qaqqaA!<Esc>j@aq@a", ["a"]),
    ("stop-on-error", "prose", [0, 0], "qafzxq5@a", ["a"]),
    ("stop-on-search-fail", "code", [0, 0], "qa/out<CR>xq10@a", ["a"]),
    ("append-upper", "code", [1, 0], "qaxqqAjq@a", ["a"]),
    ("record-insert", "prose", [0, 0], "qaihello <Esc>q", ["a"]),
    ("play-preset", "code", [1, 0], "@b", ["b"]),
    ("play-preset-count", "code", [1, 0], "2@b", ["b"]),
    ("play-colon", "code", [1, 0], ":s/let/var/<CR>j@:", [":"]),
    ("record-mode", "prose", [0, 0], "qa", []),
    ("record-in-progress-edits", "prose", [0, 0], "qaxx", []),
    ("macro-dot", "prose", [0, 0], "qadwq@a.", ["a"]),
    ("macro-undo", "prose", [0, 0], "qadwdwq@au", ["a"]),
    ("macro-uses-mapping", "prose", [0, 0], "qaQq@a", ["a"]),
    ("macro-visual", "code", [1, 0], "qaVj>q3G@a", ["a"]),
    ("macro-ctrl-a", "numbers", [0, 0], "qa<C-a>jq@a", ["a"]),
    ("macro-register-q", "prose", [0, 0], "qqxq@q", ["q"]),
    ("macro-search-n", "code", [0, 0], "qanq/out<CR>@a@a", ["a"]),
    ("macro-f-semicolon", "prose", [0, 0], "fqqa;xq@a", ["a"]),
    ("macro-upper-empty-register", "prose", [0, 0], "qZxq@z", ["z"]),
]:
    ex = ["nnoremap Q dw"] if "mapping" in label else None
    preset = {"b": {"text": "A!\x1bj", "type": "v"}} if "preset" in label else None
    add("macros", label, text, cur, keys, regs, ex=ex, preset=preset)

# ---------------------------------------------------------------------------------------------------
# :normal and :normal!.
for label, text, cur, keys, ex in [
    ("normal", "prose", [0, 4], ":normal dw<CR>", None),
    ("normal-bang", "prose", [0, 4], ":normal! dw<CR>", None),
    ("normal-range", "code", [0, 0], ":2,4normal A;<CR>", None),
    ("normal-percent", "code", [0, 0], ":%norm I# <CR>", None),
    ("normal-mapping", "prose", [0, 4], ":normal Q<CR>", ["nnoremap Q dw"]),
    ("normal-bang-no-mapping", "prose", [0, 4], ":normal! Q<CR>", ["nnoremap Q dw"]),
    ("normal-incomplete-insert", "prose", [0, 4], ":normal ihello<CR>", None),
    ("normal-incomplete-op", "prose", [0, 4], ":normal d<CR>x", None),
    ("normal-count", "prose", [0, 4], ":normal 3x<CR>", None),
    ("normal-range-dd", "code", [0, 0], ":2,5normal dd<CR>", None),
    ("normal-range-mark", "code", [1, 0], "ma3j:'a,.normal >><CR>", None),
    ("normal-visual-range", "code", [1, 0], "Vjj:normal Ax<CR>", None),
    ("normal-global", "code", [0, 0], ":g/let/normal A // let<CR>", None),
    ("normal-search", "prose", [0, 0], ":normal /fox<CR><CR>", None),
    ("normal-esc-notation", "prose", [0, 0], ":exe \"normal ihi\\<lt>Esc>w.\"<CR>", None),
    ("normal-undo-single", "code", [0, 0], ":%norm Ax<CR>u", None),
    ("normal-dot", "code", [1, 0], ":normal A;<CR>j.", None),
    ("normal-macro", "code", [0, 0], "qaA.<Esc>q:2,4normal @a<CR>", None),
    ("normal-error-stops-line", "code", [0, 0], ":%normal fzx<CR>", None),
    ("normal-cursor-after-range", "code", [0, 0], ":3,5normal 0<CR>", None),
    ("normal-bang-range", "code", [0, 0], ":1,3normal! $x<CR>", None),
    ("normal-cmdline-in-normal", "code", [0, 0], ":exe \"normal :s/fn/def/\\<lt>CR>\"<CR>", None),
]:
    add("normal", label, text, cur, keys, ("\"",), ex=ex)


# ---------------------------------------------------------------------------------------------------
# Differences found by scripts/vi-random.sh and fixed (hand-minimized): (area, label, text, cursor,
# keys, registers).
SHORT = ["one two", "  three four", "five six"]
for area, label, text, cur, keys, regs in [
    ("motions", "count-plus-past-end", SHORT, [0, 3], "10+", ()),
    ("motions", "count-minus-past-start", SHORT, [2, 3], "4-", ()),
    ("motions", "count-dollar-past-end", SHORT, [0, 3], "10$", ()),
    ("motions", "count-dollar-on-last-line", SHORT, [2, 3], "2$", ()),
    ("operators", "d-count-D-past-end", SHORT, [0, 0], "10D", ("\"",)),
    ("operators", "d-count-plus-past-end", SHORT, [0, 3], "d10+", ("\"",)),
    ("motions", "count-lparen-as-far-as-possible", "quotes", pos("quotes", 1, "c)"), "22[(", ()),
    ("undo", "undo-X-cursor", SHORT, [1, 5], "3Xu", ()),
    ("undo", "undo-dd-keeps-column", SHORT, [1, 3], "ddu", ()),
    ("undo", "undo-shift-keeps-column", SHORT, [1, 3], ">>u", ()),
    ("undo", "undo-dk", SHORT, [1, 3], "dku", ()),
    ("insert", "O-ctrl-t-blank-esc", "quotes", [2, 6], "O<C-t><Esc>", ()),
    ("insert", "S-ctrl-t-blank-esc", "quotes", [2, 6], "S<C-t><Esc>", ()),
    ("insert", "o-typed-blanks-stay", "tabs", [1, 0], "o <Tab><Esc>", ()),
    ("insert", "tab-in-indent-smarttab", "code", [1, 3], "i<Tab>x<Esc>", ()),
    ("textobjects", "da(-next-on-line", SHORT + ["ab cd (ef) g"], [3, 2], "da(", ("\"",)),
    ("textobjects", "di{-next-line", "tabs", [2, 2], "di{", ("\"",)),
    ("textobjects", "di(-next-line", "tabs", [2, 2], "di(", ("\"",)),
    ("textobjects", "d2i(-not-inside-fails", SHORT + ["x (y) (z)"], [3, 0], "d2i(", ("\"",)),
    ("insert", "ctrl-c-batch-flushed", "prose", [0, 4], "x<C-c>x", ("\"",)),
    ("jumplist", "G-same-position-keeps-context", "quotes", [1, 13], "2Gd''", ("\"",)),
    ("operators", "J-count-on-last-line", SHORT, [2, 3], "3J", ()),
    ("operators", "J-count-past-end-dot", SHORT, [0, 3], "10J.", ()),
    ("motions", "rparen-from-empty-lines", ["", "", "Last one."], [0, 0], "d)", ("\"",)),
    ("motions", "2rparen-empty-lines", ["", ""], [0, 0], "2y)", ("\"",)),
    ("motions", "rparen-count-past-end", ["a.", "", "", "", "b c."], [4, 0], "2)", ()),
    ("textobjects", "das-last-line", ["fn f() {", "}"], [1, 0], "das", ("\"",)),
    ("visual", "V-A-one-line", ["abcdefgh", "ijklmnop", "qrstuvwx"], [1, 4], "VAx<Esc>", ()),
    ("visual", "V-A-upward", ["abcdefgh", "ijklmnop", "qrstuvwx"], [1, 4], "VkAx<Esc>", ()),
    ("visual", "V-dollar-A", ["abcdefgh", "ijklmnop", "qrstuvwx"], [1, 4], "V$Ax<Esc>", ()),
    ("visual", "v-A", ["abcdefgh", "ijklmnop", "qrstuvwx"], [1, 4], "vlAx<Esc>", ()),
    ("visual", "V-I-upward", ["abcdefgh", "ijklmnop", "qrstuvwx"], [1, 4], "VkIx<Esc>", ()),
    ("visual", "v-I-downward", ["abcdefgh", "ijklmnop", "qrstuvwx"], [1, 4], "vjIx<Esc>", ()),
    ("visual", "block-p-word-each-line", ["abcdefgh", "ijkl mnop", "qrstuvwx", "", "yy"], [1, 4], "yiw<C-v>jjep", ("\"",)),
    ("visual", "block-p-lines-below", ["abcdefgh", "ijkl mnop", "qrstuvwx", "", "yy"], [1, 4], "yy<C-v>jlp", ("\"",)),
    ("visual", "block-P-lines-above", ["abcdefgh", "ijkl mnop", "qrstuvwx", "", "yy"], [1, 4], "yy<C-v>jlP", ("\"",)),
    ("visual", "block-yank-pads-short-line", ["abcdefgh", "ijkl mnop", "", "yy"], [0, 1], "<C-v>3jly", ("\"",)),
    ("visual", "V-y-cursor-column-0", ["abcdefgh", "ijklmnop", "qrstuvwx"], [1, 4], "V$y", ()),
    ("visual", "V-k-gu-keeps-column", ["abcdefgh", "ijklmnop", "qrstuvwx"], [1, 4], "Vkgu", ()),
    ("visual", "V-o-y", ["abcdefgh", "ijklmnop", "qrstuvwx"], [1, 4], "Vkoy", ()),
    ("operators", "gU-sharp-s", "utf", [3, 0], "gUU", ()),
    ("motions", "H-after-far-jumps", [f"l{i}" for i in range(200)], [0, 0], "100G50GH", ()),
    ("motions", "L-after-near-jump", [f"l{i}" for i in range(200)], [0, 0], "100G85GL", ()),
    ("motions", "g-dollar-count-past-end", ["say hello", "x"], [0, 3], "3g$", ()),
    ("operators", "shift-g-dollar-count-past-end", ["say hello", "x"], [0, 3], "<lt>3g$", ()),
    ("operators", "indent-g-dollar-keeps-column", ["    abc def ghi jkl  ", "xyz"], [0, 10], "=g$", ()),
    ("visual", "v-i(-three-times", "quotes", [1, 12], "vi(i(i(d", ("\"",)),
    ("visual", "v-a(-a(-extend", ["x = f(a, (b + c), [d, [e]]) + g;"], [0, 12], "va(a(d", ("\"",)),
    ("visual", "v-at-at", "html", [1, 13], "vatatd", ("\"",)),
    ("visual", "v-it-three-times", "html", [1, 13], "vititity", ("\"",)),
    ("visual", "block-S-whole-lines", ["abcdefgh", "ijklmnop", "qrstuvwx"], [0, 3], "<C-v>jS#<Esc>", ("\"",)),
    ("visual", "block-R-whole-lines", ["abcdefgh", "ijklmnop", "qrstuvwx"], [0, 3], "<C-v>jR#<Esc>", ("\"",)),
    ("visual", "count-v-after-block-op", ["The quick brown fox jumps", "over the lazy dog again and", "third line here ok"], [0, 4], "<C-v>jlyw1vd", ("\"",)),
    ("visual", "count-V-after-char-op", ["The quick brown fox jumps", "over the lazy dog again and", "third line here ok"], [0, 4], "vly3Vd", ("\"",)),
    ("insert", "caret-ctrl-d", ["    abc", "        def"], [1, 4], "O^<C-d>x<Esc>", ()),
    ("visual", "V-p-empty-register", ["abcdef", "ghijkl"], [1, 1], "Vkp", ("\"",)),
    ("insert", "ctrl-o-cancelled-op-back-to-insert", ["abc", "def"], [0, 0], "o<C-o>gU<Esc>x<Esc>", ()),
    ("undo", "U-after-X-cursor", ["</div>"], [0, 2], "XU", ()),
    ("undo", "undo-gUU-first-nonblank", ["abcdef", "   ghijkl mno", "zz"], [1, 5], "gUUu", ()),
    ("operators", "gJ-count-past-end-dot", ["x = f(a);", "call(b)"], [0, 0], "10gJ.", ()),
    ("visual", "block-ip-linewise", ["abcdefgh", "ijkl mnop", "qrstuvwx", "", "yy"], [1, 4], "<C-v>ipd", ("\"",)),
]:
    add(area, label, text, cur, keys, regs)


def main():
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = os.environ.get("RTDVI_VI_CASES_OUT") or os.path.join(repo, "crates/rtdvi-editor/tests/fixtures/vi/cases.json")
    names = [c["name"] for c in cases]
    dup = {n for n in names if names.count(n) > 1}
    if dup:
        sys.exit(f"duplicate case names: {sorted(dup)}")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w", encoding="utf-8") as f:
        f.write("[\n")
        f.write(",\n".join(json.dumps(c, ensure_ascii=False) for c in cases))
        f.write("\n]\n")
    areas = {}
    for c in cases:
        areas[c["area"]] = areas.get(c["area"], 0) + 1
    print(f"wrote {len(cases)} cases to {out}: " + ", ".join(f"{a} {n}" for a, n in areas.items()))


if __name__ == "__main__":
    main()
