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

/// Values that tend to find edge cases: extremes, empties, wrong types.
fn odd_values(small: bool) -> Vec<Value> {
    use crate::expr::Func;
    let mut d = std::collections::BTreeMap::new();
    d.insert("a".to_string(), Value::Number(1));
    let all = vec![
        Value::Number(0),
        Value::Number(-1),
        Value::Number(i64::MAX),
        Value::Number(i64::MIN),
        Value::str(""),
        Value::str("é\tx"),
        Value::List(vec![Value::Number(1), Value::str("x"), Value::List(vec![])]),
        Value::Dict(d),
        Value::Float(f64::NAN),
        Value::Float(-1.5e300),
        Value::str("$"),
        Value::str("'a"),
        Value::str("\\(["),
        Value::Bool(true),
        Value::Null,
        Value::Func(Func::Named("strlen".into())),
    ];
    if small {
        all.into_iter().step_by(3).collect()
    } else {
        all
    }
}

/// Every function with every combination of odd arguments: errors are fine, panics are not.
#[test]
fn no_function_panics_on_odd_arguments() {
    // These run ex commands given as text; the ex fuzz test covers command lines.
    let skip = ["execute", "win_execute"];
    let mut ed = Editor::new();
    ed.buf_mut().text = ropey::Rope::from_str("one two\n\tthree\n\nfour é\n");
    let mut panics = Vec::new();
    for f in table().iter().filter(|f| !skip.contains(&f.name)) {
        for n in f.min_args..=f.max_args.min(3) {
            let values = odd_values(n >= 3);
            let mut idx = vec![0usize; n];
            loop {
                let args: Vec<Value> = idx.iter().map(|&i| values[i].clone()).collect();
                let shown: Vec<String> = args.iter().map(Value::to_vim_string).collect();
                let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| call(&mut ed, f.name, args)));
                if r.is_err() {
                    panics.push(format!("{}({})", f.name, shown.join(", ")));
                }
                // Next combination.
                let mut k = 0;
                while k < n {
                    idx[k] += 1;
                    if idx[k] < values.len() {
                        break;
                    }
                    idx[k] = 0;
                    k += 1;
                }
                if k == n {
                    break;
                }
            }
        }
    }
    assert!(panics.is_empty(), "{} calls panicked: {panics:#?}", panics.len());
}

proptest::proptest! {
    /// Any text given to the evaluator ends in a value or an error, never a panic.
    #[test]
    fn eval_never_panics(src in "[-+*/%.()\\[\\]{}:,'\"a-z0-9 #!=<>?&|@$\\\\é_]{0,40}") {
        let mut ed = Editor::new();
        let _ = ev(&mut ed, &src);
    }

    /// Calls of real functions with literal arguments never panic either.
    #[test]
    fn calls_never_panic(
        name in proptest::sample::select(table().iter().map(|f| f.name).filter(|n| !n.contains("execute")).collect::<Vec<_>>()),
        args in proptest::collection::vec("(-?[0-9]{1,20}|'[a-z$%.\\\\é]{0,4}'|\\[[0-9, ]{0,6}\\]|\\{'a': [0-9]\\}|v:null|1\\.5e[0-9]{1,3})", 0..4),
    ) {
        let mut ed = Editor::new();
        ed.buf_mut().text = ropey::Rope::from_str("one\n\ttwo é\n");
        let _ = ev(&mut ed, &format!("{name}({})", args.join(", ")));
    }
}

#[test]
fn special_registers_are_characterwise_even_when_empty() {
    let mut ed = Editor::new();
    for r in ["/", ".", ":", "%", "#", "="] {
        assert_eq!(ev(&mut ed, &format!("getregtype('{r}')")).unwrap(), Value::String("v".into()), "{r}");
    }
    assert_eq!(ev(&mut ed, "getregtype('a')").unwrap(), Value::String(String::new()));
}

#[test]
fn scopes_are_dictionaries() {
    let mut ed = Editor::new();
    assert_eq!(ev(&mut ed, "get(g:, 'n', 7)").unwrap(), Value::Number(7));
    ed.execute_ex("let g:n = 3").unwrap();
    assert_eq!(ev(&mut ed, "get(g:, 'n', 7)").unwrap(), Value::Number(3));
    assert_eq!(ev(&mut ed, "has_key(g:, 'n')").unwrap(), Value::Number(1));
    assert_eq!(ev(&mut ed, "has_key(w:, 'n')").unwrap(), Value::Number(0));
    assert_eq!(ev(&mut ed, "keys(b:)").unwrap(), Value::List(vec![Value::String("changedtick".into())]));
    assert_eq!(ev(&mut ed, "get(v:, 'count1')").unwrap(), Value::Number(1));
    assert_eq!(ev(&mut ed, "type(t:)").unwrap(), Value::Number(4));
    ed.execute_ex("let g:m = get(g:, 'm', 0) + 1").unwrap();
    ed.execute_ex("let g:m = get(g:, 'm', 0) + 1").unwrap();
    assert_eq!(ev(&mut ed, "g:m").unwrap(), Value::Number(2));
}
