//! Lua values as the host sees them, and the compact binary encoding the
//! guest writes them in (format documented in `guest/rtdvi_guest.h`).
//!
//! The encoding is a tagged binary format rather than JSON so that a later
//! bridge to the editor's API table pays no text round trip per call.

use crate::error::LuaError;

/// Identifies a Lua function the guest registered for the host to call back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CallbackId(pub u32);

/// A Lua value copied out of (or into) the guest.
#[derive(Debug, Clone, PartialEq)]
pub enum LuaValue {
    /// `nil`.
    Nil,
    /// `true` / `false`.
    Boolean(bool),
    /// A Lua integer (64-bit).
    Integer(i64),
    /// A Lua float.
    Number(f64),
    /// A Lua string: arbitrary bytes, usually UTF-8.
    String(Vec<u8>),
    /// A table as its key/value pairs, in the guest's iteration order.
    Table(Vec<(LuaValue, LuaValue)>),
    /// A function, registered in the guest under this id until released.
    Function(CallbackId),
    /// A value that cannot cross (userdata, thread), named by its type.
    Other(String),
    /// An empty table that is a dictionary: `vim.empty_dict()` in the guest, an empty map in the API.
    EmptyDict,
}

impl LuaValue {
    /// Builds a string value from UTF-8 text.
    pub fn string(s: impl Into<String>) -> Self {
        LuaValue::String(s.into().into_bytes())
    }

    /// The string's text, if this is a string that is valid UTF-8.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            LuaValue::String(b) => std::str::from_utf8(b).ok(),
            _ => None,
        }
    }

    /// The value of `key` when this is a table (first match, raw equality).
    pub fn get(&self, key: &LuaValue) -> Option<&LuaValue> {
        match self {
            LuaValue::Table(pairs) => pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
}

const TAG_NIL: u8 = 0;
const TAG_FALSE: u8 = 1;
const TAG_TRUE: u8 = 2;
const TAG_INT: u8 = 3;
const TAG_FLOAT: u8 = 4;
const TAG_STRING: u8 = 5;
const TAG_TABLE: u8 = 6;
const TAG_FUNCTION: u8 = 7;
const TAG_OTHER: u8 = 8;
const TAG_EMPTY_DICT: u8 = 9;

/// Same limit as the guest's `RTDVI_MAX_DEPTH`.
const MAX_DEPTH: usize = 100;

/// Encodes a list of values (`u32 count, value*`).
pub(crate) fn encode_list(values: &[LuaValue]) -> Result<Vec<u8>, LuaError> {
    let mut out = Vec::new();
    put_len(&mut out, values.len())?;
    for v in values {
        encode(&mut out, v, 0)?;
    }
    Ok(out)
}

fn put_len(out: &mut Vec<u8>, len: usize) -> Result<(), LuaError> {
    let len = u32::try_from(len).map_err(|_| LuaError::Protocol("value too large".into()))?;
    out.extend_from_slice(&len.to_le_bytes());
    Ok(())
}

fn encode(out: &mut Vec<u8>, value: &LuaValue, depth: usize) -> Result<(), LuaError> {
    if depth >= MAX_DEPTH {
        return Err(LuaError::Protocol("value nested too deep".into()));
    }
    match value {
        LuaValue::Nil => out.push(TAG_NIL),
        LuaValue::Boolean(false) => out.push(TAG_FALSE),
        LuaValue::Boolean(true) => out.push(TAG_TRUE),
        LuaValue::Integer(i) => {
            out.push(TAG_INT);
            out.extend_from_slice(&i.to_le_bytes());
        }
        LuaValue::Number(n) => {
            out.push(TAG_FLOAT);
            out.extend_from_slice(&n.to_le_bytes());
        }
        LuaValue::String(s) => {
            out.push(TAG_STRING);
            put_len(out, s.len())?;
            out.extend_from_slice(s);
        }
        LuaValue::Table(pairs) => {
            out.push(TAG_TABLE);
            put_len(out, pairs.len())?;
            for (k, v) in pairs {
                encode(out, k, depth + 1)?;
                encode(out, v, depth + 1)?;
            }
        }
        LuaValue::Function(id) => {
            out.push(TAG_FUNCTION);
            out.extend_from_slice(&id.0.to_le_bytes());
        }
        LuaValue::EmptyDict => out.push(TAG_EMPTY_DICT),
        LuaValue::Other(name) => {
            out.push(TAG_OTHER);
            put_len(out, name.len())?;
            out.extend_from_slice(name.as_bytes());
        }
    }
    Ok(())
}

/// Decodes a list of values written by the guest.
pub(crate) fn decode_list(bytes: &[u8]) -> Result<Vec<LuaValue>, LuaError> {
    let mut reader = Reader { bytes, pos: 0 };
    let count = reader.u32()? as usize;
    // Every value takes at least one byte: bound the allocation by the input.
    let mut values = Vec::with_capacity(count.min(bytes.len()));
    for _ in 0..count {
        values.push(reader.value(0)?);
    }
    if reader.pos != bytes.len() {
        return Err(malformed());
    }
    Ok(values)
}

fn malformed() -> LuaError {
    LuaError::Protocol("malformed value from the Lua guest".into())
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], LuaError> {
        let end = self.pos.checked_add(n).ok_or_else(malformed)?;
        let slice = self.bytes.get(self.pos..end).ok_or_else(malformed)?;
        self.pos = end;
        Ok(slice)
    }

    fn u32(&mut self) -> Result<u32, LuaError> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn u64(&mut self) -> Result<[u8; 8], LuaError> {
        let mut a = [0u8; 8];
        a.copy_from_slice(self.take(8)?);
        Ok(a)
    }

    fn value(&mut self, depth: usize) -> Result<LuaValue, LuaError> {
        if depth >= MAX_DEPTH {
            return Err(malformed());
        }
        let tag = *self.take(1)?.first().ok_or_else(malformed)?;
        Ok(match tag {
            TAG_NIL => LuaValue::Nil,
            TAG_FALSE => LuaValue::Boolean(false),
            TAG_TRUE => LuaValue::Boolean(true),
            TAG_INT => LuaValue::Integer(i64::from_le_bytes(self.u64()?)),
            TAG_FLOAT => LuaValue::Number(f64::from_le_bytes(self.u64()?)),
            TAG_STRING => {
                let len = self.u32()? as usize;
                LuaValue::String(self.take(len)?.to_vec())
            }
            TAG_TABLE => {
                let pairs = self.u32()? as usize;
                let room = self.bytes.len().saturating_sub(self.pos) / 2;
                let mut out = Vec::with_capacity(pairs.min(room));
                for _ in 0..pairs {
                    let k = self.value(depth + 1)?;
                    let v = self.value(depth + 1)?;
                    out.push((k, v));
                }
                LuaValue::Table(out)
            }
            TAG_FUNCTION => LuaValue::Function(CallbackId(self.u32()?)),
            TAG_EMPTY_DICT => LuaValue::EmptyDict,
            TAG_OTHER => {
                let len = self.u32()? as usize;
                LuaValue::Other(String::from_utf8_lossy(self.take(len)?).into_owned())
            }
            _ => return Err(malformed()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_round_trips() {
        let values = vec![
            LuaValue::Nil,
            LuaValue::Boolean(true),
            LuaValue::Integer(-7),
            LuaValue::Number(0.5),
            LuaValue::string("héllo"),
            LuaValue::Table(vec![(LuaValue::Integer(1), LuaValue::string("a"))]),
            LuaValue::Function(CallbackId(9)),
            LuaValue::EmptyDict,
            LuaValue::Other("userdata".into()),
        ];
        let bytes = encode_list(&values).unwrap();
        assert_eq!(decode_list(&bytes).unwrap(), values);
    }

    #[test]
    fn truncated_input_is_an_error_not_a_panic() {
        let bytes = encode_list(&[LuaValue::string("abcdef")]).unwrap();
        for cut in 0..bytes.len() {
            assert!(decode_list(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        assert!(decode_list(&[1, 0, 0, 0, 99]).is_err());
        // A huge count with no data must not allocate or loop for long.
        assert!(decode_list(&[255, 255, 255, 255]).is_err());
    }

    #[test]
    fn nesting_is_bounded() {
        let mut bytes = vec![1, 0, 0, 0];
        for _ in 0..1000 {
            bytes.extend_from_slice(&[TAG_TABLE, 1, 0, 0, 0, TAG_INT, 0, 0, 0, 0, 0, 0, 0, 0]);
        }
        assert!(decode_list(&bytes).is_err());
    }
}
