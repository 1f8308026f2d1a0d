//! A realistic Rust source file of a chosen length, for the tree-sitter benchmarks.
//!
//! Real files are not one item repeated: they have a module header, `use` lines, documented structs,
//! enums and consts, `impl` blocks holding most of the functions, trait impls and a test module. The
//! incremental re-parse cost of tree-sitter grows with the number of top-level items (the repetition
//! nodes of `source_file` are never reused whole), so the density of top-level items matters: this
//! file has about one per 8 lines counting doc comments and attributes, near the dense end of the
//! large files of well-known crates (76 to 1,825 top-level nodes in 6,000–12,000 lines).

use std::fmt::Write;

/// One unit of a module: a documented struct, enum, const, an `impl` with methods, a trait impl and
/// a free function, with names numbered `n` so no two units are the same text.
fn unit(out: &mut String, n: usize) {
    let _ = write!(
        out,
        r#"/// Largest number of entries a [`Table{n}`] keeps before it spills.
pub const LIMIT_{n}: usize = {limit};

/// What a [`Table{n}`] entry holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Value{n} {{
    /// Nothing stored yet.
    Empty,
    /// A number, with the line it came from.
    Number(i64, usize),
    /// A string with its display width.
    Text {{ text: String, width: usize }},
}}

/// A table of named values, kept sorted by name.
#[derive(Debug, Default)]
pub struct Table{n} {{
    entries: Vec<(String, Value{n})>,
    /// Lookups since the last clear (for the statistics line).
    lookups: usize,
    name: Option<String>,
}}

impl Table{n} {{
    /// An empty table called `name`.
    pub fn new(name: &str) -> Self {{
        Table{n} {{ entries: Vec::with_capacity(16), lookups: 0, name: Some(name.to_string()) }}
    }}

    /// The value stored under `key`, if any.
    pub fn get(&mut self, key: &str) -> Option<&Value{n}> {{
        self.lookups += 1;
        match self.entries.binary_search_by(|(k, _)| k.as_str().cmp(key)) {{
            Ok(i) => self.entries.get(i).map(|(_, v)| v),
            Err(_) => None,
        }}
    }}

    /// Stores `value` under `key`; returns the value it replaced.
    pub fn insert(&mut self, key: &str, value: Value{n}) -> Result<Option<Value{n}>, Error> {{
        if self.entries.len() >= LIMIT_{n} {{
            return Err(Error::Full {{ limit: LIMIT_{n}, name: self.name.clone() }});
        }}
        let at = self.entries.binary_search_by(|(k, _)| k.as_str().cmp(key));
        Ok(match at {{
            Ok(i) => Some(std::mem::replace(&mut self.entries[i].1, value)),
            Err(i) => {{
                self.entries.insert(i, (key.to_string(), value));
                None
            }}
        }})
    }}

    /// Sum of the numbers in the table, skipping text (wrapping on overflow, as the format says).
    pub fn total(&self) -> i64 {{
        let mut sum = 0i64;
        for (_, v) in &self.entries {{
            if let Value{n}::Number(x, _) = v {{
                sum = sum.wrapping_add(*x);
            }}
        }}
        sum
    }}

    /// Widest text entry, in display columns.
    fn widest(&self) -> usize {{
        self.entries
            .iter()
            .filter_map(|(_, v)| match v {{
                Value{n}::Text {{ width, .. }} => Some(*width),
                _ => None,
            }})
            .max()
            .unwrap_or(0)
    }}
}}

impl std::fmt::Display for Table{n} {{
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {{
        let width = self.widest().max(8);
        for (k, v) in &self.entries {{
            writeln!(f, "{{k:>width$}} = {{v:?}}")?;
        }}
        write!(f, "{{}} entries, {{}} lookups", self.entries.len(), self.lookups)
    }}
}}

/// Parses `key = 123` lines into a table, skipping blank lines and `#` comments.
pub fn parse_table_{n}(src: &str) -> Result<Table{n}, Error> {{
    let mut t = Table{n}::new("parsed");
    for (line, raw) in src.lines().enumerate() {{
        let raw = raw.trim();
        if raw.is_empty() || raw.starts_with('#') {{
            continue;
        }}
        let Some((k, v)) = raw.split_once('=') else {{
            return Err(Error::Syntax {{ line, text: raw.to_string() }});
        }};
        let value = match v.trim().parse::<i64>() {{
            Ok(x) => Value{n}::Number(x, line),
            Err(_) => Value{n}::Text {{ text: v.trim().to_string(), width: v.trim().chars().count() }},
        }};
        t.insert(k.trim(), value)?;
    }}
    Ok(t)
}}

"#,
        limit = 64 + n % 7 * 16,
    );
}

/// A Rust file of at least `lines` lines (whole units, so up to one unit more).
pub fn rust_file(lines: usize) -> String {
    let mut out = String::from(
        "//! Tables of named values, parsed from `key = value` lines.\n\
         \n\
         use std::collections::HashMap;\n\
         \n\
         /// Why a table operation failed.\n\
         #[derive(Debug, Clone, PartialEq)]\n\
         pub enum Error {\n    \
             /// The table is full.\n    \
             Full { limit: usize, name: Option<String> },\n    \
             /// A line is not `key = value`.\n    \
             Syntax { line: usize, text: String },\n\
         }\n\n",
    );
    let mut n = 0;
    while out.lines().count() + 11 < lines {
        unit(&mut out, n);
        n += 1;
    }
    out.push_str(
        "#[cfg(test)]\nmod tests {\n    use super::*;\n\n    #[test]\n    fn parses_numbers() {\n        \
         let t = parse_table_0(\"a = 1\\nb = 2\").unwrap();\n        assert_eq!(t.total(), 3);\n    }\n}\n",
    );
    out
}
