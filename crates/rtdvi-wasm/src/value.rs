//! Engine-neutral value types, values and function signatures.
//!
//! Only the four numeric types exist: plugins exchange data through linear
//! memory, so reference and vector types are not part of the host interface.

use std::fmt;

/// A WebAssembly value type the host interface understands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ValType {
    /// 32-bit integer.
    I32,
    /// 64-bit integer.
    I64,
    /// 32-bit float.
    F32,
    /// 64-bit float.
    F64,
}

impl ValType {
    /// The zero value of this type (used to pre-fill result slots).
    pub fn zero(self) -> Val {
        match self {
            ValType::I32 => Val::I32(0),
            ValType::I64 => Val::I64(0),
            ValType::F32 => Val::F32(0.0),
            ValType::F64 => Val::F64(0.0),
        }
    }
}

impl fmt::Display for ValType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ValType::I32 => "i32",
            ValType::I64 => "i64",
            ValType::F32 => "f32",
            ValType::F64 => "f64",
        })
    }
}

/// A WebAssembly value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Val {
    /// 32-bit integer.
    I32(i32),
    /// 64-bit integer.
    I64(i64),
    /// 32-bit float.
    F32(f32),
    /// 64-bit float.
    F64(f64),
}

impl Val {
    /// The type of this value.
    pub fn ty(&self) -> ValType {
        match self {
            Val::I32(_) => ValType::I32,
            Val::I64(_) => ValType::I64,
            Val::F32(_) => ValType::F32,
            Val::F64(_) => ValType::F64,
        }
    }

    /// The value as an `i32`, if it is one.
    pub fn i32(&self) -> Option<i32> {
        match self {
            Val::I32(v) => Some(*v),
            _ => None,
        }
    }

    /// The value as an `i64`, if it is one.
    pub fn i64(&self) -> Option<i64> {
        match self {
            Val::I64(v) => Some(*v),
            _ => None,
        }
    }

    /// The value as an `f32`, if it is one.
    pub fn f32(&self) -> Option<f32> {
        match self {
            Val::F32(v) => Some(*v),
            _ => None,
        }
    }

    /// The value as an `f64`, if it is one.
    pub fn f64(&self) -> Option<f64> {
        match self {
            Val::F64(v) => Some(*v),
            _ => None,
        }
    }
}

impl fmt::Display for Val {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Val::I32(v) => write!(f, "{v}"),
            Val::I64(v) => write!(f, "{v}"),
            Val::F32(v) => write!(f, "{v}"),
            Val::F64(v) => write!(f, "{v}"),
        }
    }
}

/// A function signature: parameter and result types.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct FuncType {
    params: Vec<ValType>,
    results: Vec<ValType>,
}

impl FuncType {
    /// A signature from parameter and result types.
    pub fn new(params: impl IntoIterator<Item = ValType>, results: impl IntoIterator<Item = ValType>) -> Self {
        Self { params: params.into_iter().collect(), results: results.into_iter().collect() }
    }

    /// Parameter types.
    pub fn params(&self) -> &[ValType] {
        &self.params
    }

    /// Result types.
    pub fn results(&self) -> &[ValType] {
        &self.results
    }
}

impl fmt::Display for FuncType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let list = |f: &mut fmt::Formatter<'_>, tys: &[ValType]| -> fmt::Result {
            f.write_str("(")?;
            for (i, t) in tys.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                write!(f, "{t}")?;
            }
            f.write_str(")")
        };
        list(f, &self.params)?;
        f.write_str(" -> ")?;
        list(f, &self.results)
    }
}

/// Values passed through a host boundary without a heap allocation in the
/// common case: signatures with more than this many values spill to a `Vec`.
pub(crate) const INLINE_VALS: usize = 8;

/// A small value buffer (ours or an engine's value type): inline for short
/// lists, heap for long ones.
pub(crate) enum ValBuf<V> {
    Inline([V; INLINE_VALS], usize),
    Heap(Vec<V>),
}

impl<V: Clone> ValBuf<V> {
    /// A buffer of `len` values, each produced by `f(index)`; `filler` pads
    /// the unused inline slots.
    pub(crate) fn from_fn(len: usize, filler: V, mut f: impl FnMut(usize) -> V) -> Self {
        if len == 0 {
            // Vec::new does not allocate.
            ValBuf::Heap(Vec::new())
        } else if len <= INLINE_VALS {
            let mut arr: [V; INLINE_VALS] = std::array::from_fn(|_| filler.clone());
            for (i, slot) in arr.iter_mut().take(len).enumerate() {
                *slot = f(i);
            }
            ValBuf::Inline(arr, len)
        } else {
            ValBuf::Heap((0..len).map(f).collect())
        }
    }

    /// The values.
    pub(crate) fn as_slice(&self) -> &[V] {
        match self {
            ValBuf::Inline(arr, len) => arr.get(..*len).unwrap_or(&[]),
            ValBuf::Heap(v) => v,
        }
    }

    /// The values, mutably.
    pub(crate) fn as_mut_slice(&mut self) -> &mut [V] {
        match self {
            ValBuf::Inline(arr, len) => arr.get_mut(..*len).unwrap_or(&mut []),
            ValBuf::Heap(v) => v,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn func_type_displays_like_wat() {
        let t = FuncType::new([ValType::I32, ValType::F64], [ValType::I64]);
        assert_eq!(t.to_string(), "(i32, f64) -> (i64)");
    }

    #[test]
    fn val_buf_spills_past_inline_capacity() {
        let small = ValBuf::from_fn(3, Val::I32(0), |i| Val::I32(i as i32));
        assert_eq!(small.as_slice(), &[Val::I32(0), Val::I32(1), Val::I32(2)]);
        let big = ValBuf::from_fn(INLINE_VALS + 2, Val::I32(0), |i| Val::I64(i as i64));
        assert_eq!(big.as_slice().len(), INLINE_VALS + 2);
        assert_eq!(big.as_slice().last(), Some(&Val::I64(INLINE_VALS as i64 + 1)));
    }
}
