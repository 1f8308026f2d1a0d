//! A small MessagePack encoder/decoder for `rtdvi_call` (the format of
//! Neovim's RPC, which the host's API table speaks).
//!
//! Choices: integers decode to [`Value::Int`] (an unsigned value above
//! `i64::MAX` is an error: no API returns one); a `str` whose bytes are not
//! UTF-8 (a buffer line can be anything) decodes to [`Value::Bin`] rather
//! than being altered; nesting deeper than [`MAX_DEPTH`] is refused so a
//! hostile reply cannot overflow the plugin's stack.

use std::fmt;

/// Deepest nesting of arrays/maps the decoder accepts.
pub const MAX_DEPTH: usize = 64;

/// One MessagePack value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `nil`.
    Nil,
    /// `true` / `false`.
    Bool(bool),
    /// Any integer that fits in i64.
    Int(i64),
    /// float 32 or 64.
    Float(f64),
    /// UTF-8 string.
    Str(String),
    /// Raw bytes (also a `str` that is not UTF-8).
    Bin(Vec<u8>),
    /// Array.
    Array(Vec<Value>),
    /// Map, in wire order.
    Map(Vec<(Value, Value)>),
    /// Extension type: Neovim sends buffer (0), window (1) and tabpage (2)
    /// handles this way, the payload being a msgpack integer.
    Ext(i8, Vec<u8>),
}

/// Why bytes are not one MessagePack value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// The input ended inside a value.
    Truncated,
    /// A byte that starts no value (0xc1).
    BadMarker(u8),
    /// An unsigned integer above `i64::MAX`.
    IntOutOfRange,
    /// Arrays/maps nested deeper than [`MAX_DEPTH`].
    TooDeep,
    /// Bytes left after the value.
    Trailing(usize),
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Truncated => write!(f, "msgpack: unexpected end of input"),
            DecodeError::BadMarker(b) => write!(f, "msgpack: invalid marker byte 0x{b:02x}"),
            DecodeError::IntOutOfRange => write!(f, "msgpack: integer out of range"),
            DecodeError::TooDeep => write!(f, "msgpack: nesting deeper than {MAX_DEPTH}"),
            DecodeError::Trailing(n) => write!(f, "msgpack: {n} bytes after the value"),
        }
    }
}

impl std::error::Error for DecodeError {}

impl Value {
    /// The integer, also from a Neovim handle (ext type with an int payload).
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i),
            Value::Ext(_, payload) => match decode(payload) {
                Ok(Value::Int(i)) => Some(i),
                _ => None,
            },
            _ => None,
        }
    }

    /// The string, if this is a UTF-8 `str`.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The bytes of a `str` or `bin`.
    pub fn as_bytes(&self) -> Option<&[u8]> {
        match self {
            Value::Str(s) => Some(s.as_bytes()),
            Value::Bin(b) => Some(b),
            _ => None,
        }
    }

    /// The boolean.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The elements of an array.
    pub fn as_array(&self) -> Option<&[Value]> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }

    /// The value under string key `key` of a map.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Map(m) => m.iter().find(|(k, _)| k.as_str() == Some(key)).map(|(_, v)| v),
            _ => None,
        }
    }

    /// This value encoded.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        encode(self, &mut out);
        out
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}
impl From<i64> for Value {
    fn from(i: i64) -> Self {
        Value::Int(i)
    }
}
impl From<i32> for Value {
    fn from(i: i32) -> Self {
        Value::Int(i.into())
    }
}
impl From<u32> for Value {
    fn from(i: u32) -> Self {
        Value::Int(i.into())
    }
}
impl From<f64> for Value {
    fn from(f: f64) -> Self {
        Value::Float(f)
    }
}
impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::Str(s.to_string())
    }
}
impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::Str(s)
    }
}
impl<T: Into<Value>> From<Vec<T>> for Value {
    fn from(v: Vec<T>) -> Self {
        Value::Array(v.into_iter().map(Into::into).collect())
    }
}

/// Appends the encoding of `v` to `out` (always the shortest form).
pub fn encode(v: &Value, out: &mut Vec<u8>) {
    match v {
        Value::Nil => out.push(0xc0),
        Value::Bool(false) => out.push(0xc2),
        Value::Bool(true) => out.push(0xc3),
        Value::Int(i) => encode_int(*i, out),
        Value::Float(f) => {
            out.push(0xcb);
            out.extend_from_slice(&f.to_be_bytes());
        }
        Value::Str(s) => {
            len_header(s.len(), [0xd9, 0xda, 0xdb], Some(0xa0), 31, out);
            out.extend_from_slice(s.as_bytes());
        }
        Value::Bin(b) => {
            len_header(b.len(), [0xc4, 0xc5, 0xc6], None, 0, out);
            out.extend_from_slice(b);
        }
        Value::Array(a) => {
            len_header16(a.len(), 0x90, 0xdc, 0xdd, out);
            a.iter().for_each(|x| encode(x, out));
        }
        Value::Map(m) => {
            len_header16(m.len(), 0x80, 0xde, 0xdf, out);
            for (k, x) in m {
                encode(k, out);
                encode(x, out);
            }
        }
        Value::Ext(ty, data) => {
            let fixed = match data.len() {
                1 => Some(0xd4),
                2 => Some(0xd5),
                4 => Some(0xd6),
                8 => Some(0xd7),
                16 => Some(0xd8),
                _ => None,
            };
            match fixed {
                Some(m) => out.push(m),
                None => len_header(data.len(), [0xc7, 0xc8, 0xc9], None, 0, out),
            }
            out.push(*ty as u8);
            out.extend_from_slice(data);
        }
    }
}

fn encode_int(i: i64, out: &mut Vec<u8>) {
    if (0..=127).contains(&i) {
        out.push(i as u8);
    } else if (-32..0).contains(&i) {
        out.push(i as i8 as u8);
    } else if i >= 0 {
        if i <= u8::MAX as i64 {
            out.extend_from_slice(&[0xcc, i as u8]);
        } else if i <= u16::MAX as i64 {
            out.push(0xcd);
            out.extend_from_slice(&(i as u16).to_be_bytes());
        } else if i <= u32::MAX as i64 {
            out.push(0xce);
            out.extend_from_slice(&(i as u32).to_be_bytes());
        } else {
            out.push(0xcf);
            out.extend_from_slice(&(i as u64).to_be_bytes());
        }
    } else if i >= i8::MIN as i64 {
        out.extend_from_slice(&[0xd0, i as i8 as u8]);
    } else if i >= i16::MIN as i64 {
        out.push(0xd1);
        out.extend_from_slice(&(i as i16).to_be_bytes());
    } else if i >= i32::MIN as i64 {
        out.push(0xd2);
        out.extend_from_slice(&(i as i32).to_be_bytes());
    } else {
        out.push(0xd3);
        out.extend_from_slice(&i.to_be_bytes());
    }
}

/// Header of a str/bin/ext: fix form (if any) up to `fix_max`, then 8/16/32-bit length.
fn len_header(n: usize, markers: [u8; 3], fix: Option<u8>, fix_max: usize, out: &mut Vec<u8>) {
    match fix {
        Some(f) if n <= fix_max => out.push(f | n as u8),
        _ if n <= u8::MAX as usize => out.extend_from_slice(&[markers[0], n as u8]),
        _ if n <= u16::MAX as usize => {
            out.push(markers[1]);
            out.extend_from_slice(&(n as u16).to_be_bytes());
        }
        _ => {
            out.push(markers[2]);
            out.extend_from_slice(&(n as u32).to_be_bytes());
        }
    }
}

/// Header of an array/map: fix form up to 15, then 16/32-bit count.
fn len_header16(n: usize, fix: u8, m16: u8, m32: u8, out: &mut Vec<u8>) {
    if n <= 15 {
        out.push(fix | n as u8);
    } else if n <= u16::MAX as usize {
        out.push(m16);
        out.extend_from_slice(&(n as u16).to_be_bytes());
    } else {
        out.push(m32);
        out.extend_from_slice(&(n as u32).to_be_bytes());
    }
}

/// Decodes exactly one value from `bytes`.
pub fn decode(bytes: &[u8]) -> Result<Value, DecodeError> {
    let mut r = Reader { bytes, pos: 0 };
    let v = r.value(0)?;
    match bytes.len() - r.pos {
        0 => Ok(v),
        n => Err(DecodeError::Trailing(n)),
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        let end = self.pos.checked_add(n).ok_or(DecodeError::Truncated)?;
        let s = self.bytes.get(self.pos..end).ok_or(DecodeError::Truncated)?;
        self.pos = end;
        Ok(s)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], DecodeError> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.take(N)?);
        Ok(a)
    }

    fn u8(&mut self) -> Result<u8, DecodeError> {
        Ok(self.array::<1>()?[0])
    }
    fn u16(&mut self) -> Result<usize, DecodeError> {
        Ok(u16::from_be_bytes(self.array()?) as usize)
    }
    fn u32(&mut self) -> Result<usize, DecodeError> {
        Ok(u32::from_be_bytes(self.array()?) as usize)
    }

    fn str(&mut self, n: usize) -> Result<Value, DecodeError> {
        let b = self.take(n)?.to_vec();
        Ok(match String::from_utf8(b) {
            Ok(s) => Value::Str(s),
            Err(e) => Value::Bin(e.into_bytes()),
        })
    }

    fn seq(&mut self, n: usize, depth: usize) -> Result<Value, DecodeError> {
        // Capacity bounded by the bytes left: each element takes at least one.
        let mut v = Vec::with_capacity(n.min(self.bytes.len() - self.pos));
        for _ in 0..n {
            v.push(self.value(depth + 1)?);
        }
        Ok(Value::Array(v))
    }

    fn map(&mut self, n: usize, depth: usize) -> Result<Value, DecodeError> {
        let mut m = Vec::with_capacity(n.min(self.bytes.len() - self.pos));
        for _ in 0..n {
            let k = self.value(depth + 1)?;
            m.push((k, self.value(depth + 1)?));
        }
        Ok(Value::Map(m))
    }

    fn ext(&mut self, n: usize) -> Result<Value, DecodeError> {
        let ty = self.u8()? as i8;
        Ok(Value::Ext(ty, self.take(n)?.to_vec()))
    }

    fn value(&mut self, depth: usize) -> Result<Value, DecodeError> {
        if depth > MAX_DEPTH {
            return Err(DecodeError::TooDeep);
        }
        let m = self.u8()?;
        Ok(match m {
            0x00..=0x7f => Value::Int(m.into()),
            0x80..=0x8f => return self.map((m & 0x0f).into(), depth),
            0x90..=0x9f => return self.seq((m & 0x0f).into(), depth),
            0xa0..=0xbf => return self.str((m & 0x1f).into()),
            0xc0 => Value::Nil,
            0xc1 => return Err(DecodeError::BadMarker(m)),
            0xc2 => Value::Bool(false),
            0xc3 => Value::Bool(true),
            0xc4 => {
                let n = self.u8()?.into();
                Value::Bin(self.take(n)?.to_vec())
            }
            0xc5 => {
                let n = self.u16()?;
                Value::Bin(self.take(n)?.to_vec())
            }
            0xc6 => {
                let n = self.u32()?;
                Value::Bin(self.take(n)?.to_vec())
            }
            0xc7 => {
                let n = self.u8()?.into();
                return self.ext(n);
            }
            0xc8 => {
                let n = self.u16()?;
                return self.ext(n);
            }
            0xc9 => {
                let n = self.u32()?;
                return self.ext(n);
            }
            0xca => Value::Float(f32::from_be_bytes(self.array()?).into()),
            0xcb => Value::Float(f64::from_be_bytes(self.array()?)),
            0xcc => Value::Int(self.u8()?.into()),
            0xcd => Value::Int(u16::from_be_bytes(self.array()?).into()),
            0xce => Value::Int(u32::from_be_bytes(self.array()?).into()),
            0xcf => {
                Value::Int(i64::try_from(u64::from_be_bytes(self.array()?)).map_err(|_| DecodeError::IntOutOfRange)?)
            }
            0xd0 => Value::Int(i8::from_be_bytes(self.array()?).into()),
            0xd1 => Value::Int(i16::from_be_bytes(self.array()?).into()),
            0xd2 => Value::Int(i32::from_be_bytes(self.array()?).into()),
            0xd3 => Value::Int(i64::from_be_bytes(self.array()?)),
            0xd4 => return self.ext(1),
            0xd5 => return self.ext(2),
            0xd6 => return self.ext(4),
            0xd7 => return self.ext(8),
            0xd8 => return self.ext(16),
            0xd9 => {
                let n = self.u8()?.into();
                return self.str(n);
            }
            0xda => {
                let n = self.u16()?;
                return self.str(n);
            }
            0xdb => {
                let n = self.u32()?;
                return self.str(n);
            }
            0xdc => {
                let n = self.u16()?;
                return self.seq(n, depth);
            }
            0xdd => {
                let n = self.u32()?;
                return self.seq(n, depth);
            }
            0xde => {
                let n = self.u16()?;
                return self.map(n, depth);
            }
            0xdf => {
                let n = self.u32()?;
                return self.map(n, depth);
            }
            0xe0..=0xff => Value::Int((m as i8).into()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round(v: Value) {
        let bytes = v.to_bytes();
        assert_eq!(decode(&bytes), Ok(v), "bytes {bytes:02x?}");
    }

    #[test]
    fn integers_use_the_shortest_form_and_round_trip() {
        let cases: &[(i64, &[u8])] = &[
            (0, &[0x00]),
            (127, &[0x7f]),
            (128, &[0xcc, 0x80]),
            (-1, &[0xff]),
            (-32, &[0xe0]),
            (-33, &[0xd0, 0xdf]),
            (256, &[0xcd, 0x01, 0x00]),
            (-129, &[0xd1, 0xff, 0x7f]),
            (70000, &[0xce, 0x00, 0x01, 0x11, 0x70]),
        ];
        for (i, want) in cases {
            assert_eq!(Value::Int(*i).to_bytes(), *want, "{i}");
        }
        for i in [i64::MIN, i64::MAX, i32::MIN as i64 - 1, u32::MAX as i64 + 1, -40000, 40000] {
            round(Value::Int(i));
        }
    }

    #[test]
    fn strings_arrays_maps_round_trip_across_header_sizes() {
        for n in [0, 31, 32, 255, 256, 70000] {
            round(Value::Str("é".repeat(n / 2) + &"x".repeat(n % 2)));
            round(Value::Bin(vec![7; n]));
            round(Value::Array(vec![Value::Nil; n.min(20000)]));
        }
        round(Value::Map(vec![(Value::from("a"), Value::from(vec![1, 2])), (Value::Int(3), Value::Bool(true))]));
        round(Value::Float(1.5));
        for n in [1, 2, 3, 4, 8, 16, 17, 300] {
            round(Value::Ext(1, vec![9; n]));
        }
    }

    #[test]
    fn known_encodings() {
        assert_eq!(Value::from("ab").to_bytes(), [0xa2, b'a', b'b']);
        assert_eq!(Value::from(vec![true, false]).to_bytes(), [0x92, 0xc3, 0xc2]);
        assert_eq!(Value::Nil.to_bytes(), [0xc0]);
    }

    #[test]
    fn neovim_handles_read_as_integers() {
        // Buffer handle 5 as Neovim sends it: fixext1, type 0, payload 0x05.
        let v = decode(&[0xd4, 0x00, 0x05]).unwrap();
        assert_eq!(v, Value::Ext(0, vec![5]));
        assert_eq!(v.as_i64(), Some(5));
        assert_eq!(decode(&[0xcb, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0]).unwrap(), Value::Float(1.5));
        assert_eq!(decode(&[0xca, 0x3f, 0xc0, 0, 0]).unwrap(), Value::Float(1.5));
    }

    #[test]
    fn invalid_utf8_str_becomes_bin() {
        assert_eq!(decode(&[0xa2, 0xff, 0x41]).unwrap(), Value::Bin(vec![0xff, 0x41]));
    }

    #[test]
    fn hostile_input_is_an_error_not_a_panic() {
        assert_eq!(decode(&[]), Err(DecodeError::Truncated));
        assert_eq!(decode(&[0xc1]), Err(DecodeError::BadMarker(0xc1)));
        assert_eq!(decode(&[0xdd, 0xff, 0xff, 0xff, 0xff]), Err(DecodeError::Truncated));
        assert_eq!(decode(&[0xdb, 0xff, 0xff, 0xff, 0xff, 1]), Err(DecodeError::Truncated));
        assert_eq!(decode(&[0xcf, 0xff, 0, 0, 0, 0, 0, 0, 0]), Err(DecodeError::IntOutOfRange));
        assert_eq!(decode(&[0x01, 0x02]), Err(DecodeError::Trailing(1)));
        assert_eq!(decode(&[0x91; 100]), Err(DecodeError::TooDeep));
        assert_eq!(decode(&[0x91; 10]), Err(DecodeError::Truncated));
    }
}
