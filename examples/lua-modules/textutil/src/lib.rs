//! textutil: Rust's Unicode and date handling for Lua, from one source for
//! two editors. Built for `wasm32-unknown-unknown` it is `textutil.wasm`,
//! which rtdvi's Lua `require`s in a sandbox; built natively with
//! `--features nvim` it is a Neovim Lua module (`textutil.so`).
//!
//! ```lua
//! local t = require("textutil")
//! t.width("日本語")                 --> 6
//! t.graphemes("e\u{301}👍🏽")       --> { "é", "👍🏽" }
//! t.title_case("ÉCOLE de paris")   --> "École De Paris"
//! t.format_date(0, "%A %d %B %Y")  --> "Thursday 01 January 1970"
//! ```

mod date;

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// Display width in terminal cells (East Asian wide characters count 2,
/// combining marks 0).
pub fn width(s: String) -> i64 {
    s.width() as i64
}

/// The extended grapheme clusters of `s` (what a user sees as characters).
pub fn graphemes(s: String) -> Vec<String> {
    s.graphemes(true).map(str::to_owned).collect()
}

/// Every word with its first letter in upper case and the rest in lower
/// case (Unicode case mappings: `ß` stays, `ǆ` becomes `ǅ`).
pub fn title_case(s: String) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_word_bounds() {
        let mut chars = word.chars();
        match chars.next() {
            Some(first) if first.is_alphabetic() => {
                out.extend(title_char(first));
                out.push_str(&chars.as_str().to_lowercase());
            }
            _ => out.push_str(word),
        }
    }
    out
}

/// Title case of one character: the few digraphs with a title form, else
/// upper case.
fn title_char(c: char) -> Vec<char> {
    match c {
        'Ǆ' | 'ǅ' | 'ǆ' => vec!['ǅ'],
        'Ǉ' | 'ǈ' | 'ǉ' => vec!['ǈ'],
        'Ǌ' | 'ǋ' | 'ǌ' => vec!['ǋ'],
        'Ǳ' | 'ǲ' | 'ǳ' => vec!['ǲ'],
        'ß' => vec!['ß'],
        other => other.to_uppercase().collect(),
    }
}

/// Formats `timestamp` (seconds since 1970-01-01 UTC) with a strftime-like
/// `format` (default `%Y-%m-%d %H:%M:%S`); see [`date::format`].
pub fn format_date(timestamp: i64, format: Option<String>) -> Result<String, String> {
    date::format(timestamp, format.as_deref().unwrap_or("%Y-%m-%d %H:%M:%S"))
}

rtdvi_pdk::lua_module!(textutil: width, graphemes, title_case, format_date);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_count_cells() {
        assert_eq!(width("abc".into()), 3);
        assert_eq!(width("日本語".into()), 6);
        assert_eq!(width("e\u{301}".into()), 1);
    }

    #[test]
    fn graphemes_keep_clusters_whole() {
        assert_eq!(graphemes("e\u{301}x".into()), ["e\u{301}", "x"]);
        assert_eq!(graphemes("👍🏽!".into()), ["👍🏽", "!"]);
        assert!(graphemes(String::new()).is_empty());
    }

    #[test]
    fn title_case_is_unicode_aware() {
        assert_eq!(title_case("ÉCOLE de paris".into()), "École De Paris");
        assert_eq!(title_case("ǆungla straße".into()), "ǅungla Straße");
        assert_eq!(title_case("it's 3am, o'neil".into()), "It's 3am, O'neil");
    }
}
