//! `printf()`: C-style formatting as Vim does it (`%d %s %x %X %o %c %f %e %g %%`, flags `-+ 0#`,
//! width and precision, `*` from the arguments). `%s` of a list or dictionary prints it as
//! `string()` would.

use super::{arg_str, err, Function};
use crate::editor::Editor;
use crate::expr::{format_float, ExprError, Value};

/// This module's functions.
pub(super) static FUNCTIONS: &[Function] = &[Function { name: "printf", min_args: 1, max_args: 19, func: printf }];

fn too_many() -> ExprError {
    err("E767: Too many arguments to printf()")
}

fn insufficient() -> ExprError {
    err("E766: Insufficient arguments for printf()")
}

fn printf(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let fmt = arg_str(&a, 0)?;
    format(&fmt, a.get(1..).unwrap_or(&[])).map(Value::String)
}

/// Formats `fmt` with `args`.
pub fn format(fmt: &str, args: &[Value]) -> Result<String, ExprError> {
    let mut out = String::new();
    let mut next = args.iter();
    let mut chars = fmt.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let (mut left, mut plus, mut space, mut zero, mut alt) = (false, false, false, false, false);
        while let Some(&f) = chars.peek() {
            match f {
                '-' => left = true,
                '+' => plus = true,
                ' ' => space = true,
                '0' => zero = true,
                '#' => alt = true,
                _ => break,
            }
            chars.next();
        }
        let mut number = |chars: &mut std::iter::Peekable<std::str::Chars<'_>>| -> Result<Option<usize>, ExprError> {
            if chars.peek() == Some(&'*') {
                chars.next();
                let n = next.next().ok_or_else(insufficient)?.to_number()?;
                return Ok(Some(usize::try_from(n.max(0)).unwrap_or(0)));
            }
            let mut n: Option<usize> = None;
            while let Some(d) = chars.peek().and_then(|c| c.to_digit(10)) {
                n = Some(n.unwrap_or(0).saturating_mul(10).saturating_add(d as usize).min(1 << 20));
                chars.next();
            }
            Ok(n)
        };
        let width = number(&mut chars)?;
        let precision = if chars.peek() == Some(&'.') {
            chars.next();
            Some(number(&mut chars)?.unwrap_or(0))
        } else {
            None
        };
        // Length modifiers mean nothing for 64-bit Vim numbers.
        while matches!(chars.peek(), Some('l' | 'h')) {
            chars.next();
        }
        let Some(conv) = chars.next() else { break };
        if conv == '%' {
            out.push('%');
            continue;
        }
        let v = next.next().ok_or_else(insufficient)?;
        let (body, numeric) = match conv {
            'd' | 'i' => {
                let n = v.to_number()?;
                let mut s = n.unsigned_abs().to_string();
                if let Some(p) = precision {
                    s = format!("{s:0>p$}");
                }
                (sign(n < 0, plus, space) + &s, true)
            }
            'x' | 'X' | 'o' | 'b' | 'B' => {
                let n = v.to_number()?;
                let mut s = match conv {
                    'x' => format!("{n:x}"),
                    'X' => format!("{n:X}"),
                    'o' => format!("{n:o}"),
                    _ => format!("{n:b}"),
                };
                if let Some(p) = precision {
                    s = format!("{s:0>p$}");
                }
                if alt && n != 0 {
                    s = match conv {
                        'x' => format!("0x{s}"),
                        'X' => format!("0X{s}"),
                        'o' => format!("0{s}"),
                        'b' => format!("0b{s}"),
                        _ => format!("0B{s}"),
                    };
                }
                (s, true)
            }
            'c' => {
                let n = v.to_number()?;
                (u32::try_from(n).ok().and_then(char::from_u32).map(String::from).unwrap_or_default(), false)
            }
            's' | 'S' => {
                let s = match v {
                    Value::List(_) | Value::Dict(_) => v.to_vim_string(),
                    other => other.to_string(),
                };
                (
                    match precision {
                        Some(p) => s.chars().take(p).collect(),
                        None => s,
                    },
                    false,
                )
            }
            'f' | 'F' | 'e' | 'E' | 'g' | 'G' => {
                let x = match v {
                    Value::Float(x) => *x,
                    Value::Number(n) => *n as f64,
                    _ => return Err(err("E807: Expected Float argument for printf()")),
                };
                let p = precision.unwrap_or(6);
                let s = match conv {
                    'f' | 'F' => format!("{:.p$}", x.abs()),
                    'e' | 'E' => c_exp(x.abs(), p, conv == 'E'),
                    _ if precision.is_none() => format_float(x.abs()),
                    _ => format!("{:.p$}", x.abs()),
                };
                (sign(x.is_sign_negative() && x != 0.0, plus, space) + &s, true)
            }
            // Neovim words an unknown conversion like a surplus argument.
            _ => return Err(too_many()),
        };
        let w = width.unwrap_or(0);
        let len = body.chars().count();
        if len >= w {
            out.push_str(&body);
        } else if left {
            out.push_str(&body);
            out.extend(std::iter::repeat_n(' ', w - len));
        } else if zero && numeric {
            let (sign_part, digits) = match body.chars().next() {
                Some(s @ ('-' | '+' | ' ')) => (s.to_string(), body[1..].to_string()),
                _ => (String::new(), body.clone()),
            };
            out.push_str(&sign_part);
            out.extend(std::iter::repeat_n('0', w - len));
            out.push_str(&digits);
        } else {
            out.extend(std::iter::repeat_n(' ', w - len));
            out.push_str(&body);
        }
    }
    if next.next().is_some() {
        return Err(too_many());
    }
    Ok(out)
}

fn sign(negative: bool, plus: bool, space: bool) -> String {
    if negative {
        "-".into()
    } else if plus {
        "+".into()
    } else if space {
        " ".into()
    } else {
        String::new()
    }
}

/// C's `%e`: a mantissa with `p` decimals and a signed exponent of at least two digits.
fn c_exp(x: f64, p: usize, upper: bool) -> String {
    let s = format!("{x:.p$e}");
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let e: i32 = exp.parse().unwrap_or(0);
    let out = format!("{mant}e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs());
    if upper {
        out.to_uppercase()
    } else {
        out
    }
}
