//! rules_c: the indent provider for C and C++ (filetypes `c` and `cpp`).
//!
//! The rules live in [`indent`] and know nothing of the editor; this file
//! registers the provider and feeds the rules lines and options from the
//! host. `shiftwidth`, `tabstop` and `expandtab` are read on every call, so
//! `:set sw=2` takes effect at once.

pub mod indent;

use rtdvi_pdk::{host, Buffer, Json, Plugin};

use indent::{Lines, Style};

/// Lines of a buffer, read from the host on demand.
struct HostLines(Buffer);

impl Lines for HostLines {
    fn line(&self, row: u32) -> Option<String> {
        host::get_line(self.0, row).ok()
    }
}

/// Reads the indent options; Vim's defaults for any the host lacks.
fn style() -> Style {
    let d = Style::default();
    let num = |k: &str, v: u32| host::get_option_str(k).ok().and_then(|s| s.trim().parse().ok()).unwrap_or(v);
    Style {
        shiftwidth: num("shiftwidth", d.shiftwidth),
        tabstop: num("tabstop", d.tabstop),
        // Booleans come as `1`/`0` (older hosts said `true`/`false`).
        expandtab: host::get_option_str("expandtab").map_or(d.expandtab, |s| matches!(s.trim(), "1" | "true")),
    }
}

/// The plugin (stateless).
pub struct RulesC;

impl Plugin for RulesC {
    fn init(_config: &Json) -> Result<Self, String> {
        for ft in ["c", "cpp"] {
            host::register_indent_provider(ft).map_err(|e| format!("{ft}: {e}"))?;
        }
        Ok(RulesC)
    }

    fn indent(&mut self, buf: Buffer, prev_row: u32) -> Option<String> {
        indent::compute(&HostLines(buf), prev_row, style())
    }
}

rtdvi_pdk::export_plugin!(RulesC: indent);

#[cfg(test)]
mod tests {
    use super::*;
    use rtdvi_pdk::testing;

    #[test]
    fn registers_both_filetypes_and_reads_options() {
        testing::reset();
        testing::set_lines(Buffer(1), &["int main(void) {", "\treturn 0;"]);
        let mut p = RulesC::init(&Json::Object(vec![])).unwrap();
        testing::with(|h| assert_eq!(h.indent_providers, ["c", "cpp"]));
        // No options on the host: Vim's defaults (a tab).
        assert_eq!(p.indent(Buffer(1), 0).as_deref(), Some("\t"));
        testing::set_option("shiftwidth", "2");
        testing::set_option("expandtab", "1");
        assert_eq!(p.indent(Buffer(1), 0).as_deref(), Some("  "));
        assert_eq!(p.indent(Buffer(1), 7), None);
    }
}
