//! Property tests: no pattern string, text or cursor position makes compiling, searching or
//! substituting panic.

use proptest::prelude::*;
use ropey::Rope;
use rtdvi_core::pattern::{Pattern, PatternOptions};
use rtdvi_core::search::{
    find_all_in_line, find_first, for_each_match, matches_in_lines, search_backward, search_count, search_forward,
};
use rtdvi_core::substitute::Replacement;

/// Pattern strings biased towards Vim's special characters and items.
fn vim_pattern() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("\\".to_string()),
        Just("\\(".to_string()),
        Just("\\)".to_string()),
        Just("\\%(".to_string()),
        Just("\\|".to_string()),
        Just("\\{".to_string()),
        Just("\\{-1,2}".to_string()),
        Just("}".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just("[:alpha:]".to_string()),
        Just("\\zs".to_string()),
        Just("\\ze".to_string()),
        Just("\\v".to_string()),
        Just("\\V".to_string()),
        Just("\\M".to_string()),
        Just("\\c".to_string()),
        Just("\\n".to_string()),
        Just("\\_".to_string()),
        Just("\\%".to_string()),
        Just("\\@".to_string()),
        Just("~".to_string()),
        "[-*+=?.^$()|{}<>@%&!a-cA-C0-9é日 ]",
        "\\\\[a-zA-Z0-9%_&=?+*<>(){}|@~/.^$-]",
    ];
    prop::collection::vec(piece, 0..12).prop_map(|v| v.concat())
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec("[abcABC \t\né日€*\\[\\]]", 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn random_patterns_never_panic(
        p in vim_pattern(),
        t in text(),
        cursor in 0usize..50,
        ic in any::<bool>(),
        scs in any::<bool>(),
        magic in any::<bool>(),
    ) {
        let opts = PatternOptions {
            ignorecase: ic,
            smartcase: scs,
            magic,
            last_substitute: Some("a.b".into()),
        };
        if let Ok(pat) = Pattern::new(&p, &opts) {
            let rope = Rope::from_str(&t);
            let _ = search_forward(&rope, &pat, cursor, true);
            let _ = search_backward(&rope, &pat, cursor, true);
            let _ = search_forward(&rope, &pat, cursor, false);
            let _ = search_backward(&rope, &pat, cursor, false);
            let _ = find_first(&rope, &pat, cursor);
            let all = matches_in_lines(&rope, &pat, 0..rope.len_lines());
            for r in &all {
                prop_assert!(r.start <= r.end && r.end <= rope.len_chars());
            }
            // The counting and capturing loops see exactly the matches `matches_in_lines` lists.
            let count = search_count(&rope, &pat, cursor);
            prop_assert_eq!(count.total, all.len());
            prop_assert_eq!(count.current, all.iter().filter(|r| r.start <= cursor).count());
            let mut with_captures = Vec::new();
            for_each_match(&rope, &pat, 0..rope.len_lines(), |r, _, _| with_captures.push(r));
            prop_assert_eq!(&with_captures, &all);
            for line in t.split('\n') {
                let n = find_all_in_line(&pat, line).take(1000).count();
                prop_assert!(n <= line.len() + 1);
                let _ = pat.find_in_line(line, cursor);
            }
        }
    }

    #[test]
    fn arbitrary_strings_never_panic(p in any::<String>(), t in any::<String>(), cursor in 0usize..64) {
        if let Ok(pat) = Pattern::new(&p, &PatternOptions::default()) {
            let rope = Rope::from_str(&t);
            let _ = search_forward(&rope, &pat, cursor, true);
            let _ = search_backward(&rope, &pat, cursor, true);
            let _ = find_all_in_line(&pat, &t).take(1000).count();
            let r = Replacement::parse(&p, Some("x"), true);
            if let Some(caps) = pat.captures_at(&t, 0) {
                let _ = r.expand(&caps, &t);
            }
        }
    }

    #[test]
    fn replacements_never_panic(sub in "[\\\\&~a-zA-Z0-9\r\n]{0,20}", line in "[a-zé]{0,10}", magic in any::<bool>()) {
        let r = Replacement::parse(&sub, Some("\\U&"), magic);
        if let Ok(pat) = Pattern::new("\\(.\\)\\(.\\)\\=", &PatternOptions::default()) {
            if let Some(caps) = pat.captures_at(&line, 0) {
                let _ = r.expand(&caps, &line);
            }
        }
    }
}

/// Found by the property test above: a match after the buffer's final newline counts as at its end.
#[test]
fn match_after_the_final_newline_is_at_the_end() {
    let pat = Pattern::new("\\n\\zs", &PatternOptions::default()).expect("pattern");
    let rope = Rope::from_str("");
    let count = search_count(&rope, &pat, 0);
    assert_eq!((count.current, count.total), (1, 1));
}
