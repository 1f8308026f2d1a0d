//! Filetype detection for plugins: `vim.filetype.match` reaches the editor's one detector
//! ([`crate::filetype::detect`]) through this entry.

use std::path::Path;

use rmpv::Value;

use super::{ApiEntry, ApiError, Args};
use crate::editor::Editor;

/// This module's entries of the API table.
pub(super) static ENTRIES: &[ApiEntry] =
    &[ApiEntry { name: "rtdvi_filetype_match", params: MATCH, returns: "String", func: filetype_match }];

/// `rtdvi_filetype_match` parameters.
const MATCH: &[(&str, &str)] = &[("filename", "String"), ("first_line", "String")];

/// `rtdvi_filetype_match(filename, first_line)`: the filetype the editor gives a file of that name
/// (`""`: none) and, failing the name, its first line (`#!` lines). Both may be `""`.
pub(super) fn filetype_match(_: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let name = a.string()?;
    let first_line = a.string()?;
    let path = (!name.is_empty()).then(|| Path::new(name));
    Ok(Value::from(crate::filetype::detect(path, first_line)))
}

#[cfg(test)]
mod tests {
    use super::super::call;
    use crate::editor::Editor;
    use rmpv::Value;

    #[test]
    fn matches_names_extensions_and_shebangs() {
        let mut e = Editor::new();
        let m = |e: &mut Editor, name: &str, line: &str| call(e, "rtdvi_filetype_match", &[name.into(), line.into()]);
        assert_eq!(m(&mut e, "x.lua", ""), Ok(Value::from("lua")));
        assert_eq!(m(&mut e, "a/b/Makefile", ""), Ok(Value::from("make")));
        assert_eq!(m(&mut e, "x.unknownext", ""), Ok(Value::from("")));
        assert_eq!(m(&mut e, "", "#!/usr/bin/env python3"), Ok(Value::from("python")));
    }
}
