//! Tests of the function table itself; behaviour against Neovim is checked by the fixture test
//! (`tests/vimfn_fixtures.rs`).

use super::*;
use crate::expr::Value;

fn ev(ed: &mut Editor, src: &str) -> Result<Value, ExprError> {
    crate::expr::eval(src, &mut EditorContext::new(ed))
}

#[test]
fn table_is_sorted_and_unique() {
    let t = table();
    for pair in t.windows(2) {
        assert!(pair[0].name < pair[1].name, "{} / {}", pair[0].name, pair[1].name);
    }
    for f in t {
        assert!(f.min_args <= f.max_args, "{}", f.name);
    }
}

#[test]
fn unknown_functions_and_argument_counts() {
    let mut ed = Editor::new();
    assert_eq!(call(&mut ed, "nosuch", vec![]).unwrap_err().to_string(), "E117: Unknown function: nosuch");
    assert_eq!(
        call(&mut ed, "strlen", vec![]).unwrap_err().to_string(),
        "E119: Not enough arguments for function: strlen"
    );
    assert_eq!(
        call(&mut ed, "strlen", vec![Value::str("a"), Value::str("b")]).unwrap_err().to_string(),
        "E118: Too many arguments for function: strlen"
    );
}

#[test]
fn sandbox_refusals() {
    let mut ed = Editor::new();
    for f in [
        "writefile(['x'], '/tmp/rtdvi-x')",
        "delete('/tmp/x')",
        "mkdir('/tmp/rtdvi-d')",
        "readfile('/etc/passwd')",
        "system('ls')",
    ] {
        assert_eq!(ev(&mut ed, f).unwrap_err().to_string(), SANDBOX_ERROR, "{f}");
    }
    assert_eq!(ev(&mut ed, "executable('sh')"), Ok(Value::Number(0)));
}

#[test]
fn input_never_waits() {
    let mut ed = Editor::new();
    assert_eq!(ev(&mut ed, "getcharstr()"), Ok(Value::str("")));
    assert_eq!(ev(&mut ed, "input('? ', 'dflt')"), Ok(Value::str("dflt")));
    // Keys still pending (as `:normal` leaves the rest of its keys while a mapping runs).
    for k in crate::keys::parse_keys("ab") {
        ed.vi.typeahead.push_back(crate::vi::TKey { key: k, remap: true, typed: false, stuffed: false });
    }
    assert_eq!(ev(&mut ed, "getcharstr()"), Ok(Value::str("a")));
    assert_eq!(ev(&mut ed, "getchar()"), Ok(Value::Number(98)));
}

#[test]
fn lambdas_and_functions_as_values() {
    let mut ed = Editor::new();
    assert_eq!(
        ev(&mut ed, "map([1, 2], {i, v -> v * 10 + i})"),
        Ok(Value::List(vec![Value::Number(10), Value::Number(21)]))
    );
    assert_eq!(ev(&mut ed, "call({a -> a + 1}, [1])"), Ok(Value::Number(2)));
    assert_eq!(ev(&mut ed, "sort([3, 1, 2], {a, b -> b - a})").map(|v| v.to_vim_string()), Ok("[3, 2, 1]".into()));
    assert_eq!(ev(&mut ed, "{a -> a}(1, 2)").unwrap_err().to_string().get(..4), Some("E118"));
}

#[test]
fn strftime_is_utc() {
    let mut ed = Editor::new();
    assert_eq!(
        ev(&mut ed, "strftime('%Y-%m-%d %H:%M:%S %a %j', 951782400)"),
        Ok(Value::str("2000-02-29 00:00:00 Tue 060"))
    );
}

#[test]
fn runaway_recursion_stops() {
    let mut ed = Editor::new();
    ed.execute_ex("let g:s = 'eval(g:s)'").unwrap();
    assert_eq!(ev(&mut ed, "eval(g:s)").unwrap_err().to_string().get(..4), Some("E132"));
    ed.execute_ex("let g:F = {n -> g:F(n + 1)}").unwrap();
    assert_eq!(ev(&mut ed, "g:F(0)").unwrap_err().to_string().get(..4), Some("E132"));
    // The counter unwinds: calls work again afterwards.
    assert_eq!(ev(&mut ed, "strlen('ab')"), Ok(Value::Number(2)));
}

#[test]
fn every_function_is_documented() {
    let doc = include_str!("../../../../doc/functions.md");
    let words: std::collections::BTreeSet<&str> =
        doc.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).filter(|w| !w.is_empty()).collect();
    let missing: Vec<&str> = table().iter().map(|f| f.name).filter(|n| !words.contains(n)).collect();
    assert!(missing.is_empty(), "doc/functions.md does not list {missing:?}");
}
