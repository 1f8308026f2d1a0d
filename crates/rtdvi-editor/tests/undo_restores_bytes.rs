//! Random changes to a file's text, undone to the start, write back the original bytes exactly.

use std::io::Cursor;

use proptest::prelude::*;
use rtdvi_core::changeset::{ChangeSet, Edit};
use rtdvi_core::codec::{self, EncodeOptions};
use rtdvi_editor::buffer::{Buffer, BufferId};
use rtdvi_editor::options::OptionStore;

/// Bytes that look like real files: lines, CRLF, lone CR, multi-byte text, invalid bytes, a BOM.
fn file_bytes() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        Just(b"abc".to_vec()),
        Just(b" ".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"\r".to_vec()),
        Just("é中😀".as_bytes().to_vec()),
        Just(vec![0xff]),
        Just(vec![0xc3]),
        Just(b"\t".to_vec()),
    ];
    (any::<bool>(), prop::collection::vec(piece, 0..40)).prop_map(|(bom, pieces)| {
        let mut v = if bom { b"\xef\xbb\xbf".to_vec() } else { Vec::new() };
        for p in pieces {
            v.extend(p);
        }
        v
    })
}

/// One edit as fractions of the text so it always fits.
fn edit_spec() -> impl Strategy<Value = (u16, u8, String)> {
    (any::<u16>(), 0u8..6, "[a-z\n é😀]{0,5}")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn undo_to_the_start_restores_the_original_bytes(bytes in file_bytes(), steps in prop::collection::vec(prop::collection::vec(edit_spec(), 1..4), 1..12)) {
        let (rope, meta) = codec::decode(Cursor::new(&bytes)).expect("decodes");
        let mut buf = Buffer::new(BufferId(1), &OptionStore::global_defaults());
        buf.text = rope;
        let mut t = 0u64;
        for group in &steps {
            // Several changes in one command form one undo step.
            for (pos, del, ins) in group {
                let len = buf.text.len_chars();
                let start = if len == 0 { 0 } else { usize::from(*pos) % (len + 1) };
                let end = (start + usize::from(*del)).min(len);
                let cs = ChangeSet::from_edits(len, [Edit { start, end, text: ins.clone() }]).expect("valid edit");
                buf.apply(cs, start).expect("applies");
            }
            t += 1;
            buf.commit_undo_at(t);
        }
        let edited = buf.text.to_string();
        while let Some(step) = buf.undo.undo() {
            buf.apply_undo_steps(vec![step]).expect("undo applies");
        }
        let mut out = Vec::new();
        codec::encode(&buf.text, &EncodeOptions::from_meta(&meta), &mut out).expect("encodes");
        prop_assert_eq!(&out, &bytes);
        prop_assert!(!buf.is_modified());
        // And redo all the way gets the edited text back.
        while let Some(step) = buf.undo.redo() {
            buf.apply_undo_steps(vec![step]).expect("redo applies");
        }
        prop_assert_eq!(buf.text.to_string(), edited);
    }
}
