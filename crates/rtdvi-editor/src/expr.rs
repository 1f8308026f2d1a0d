//! A small expression language for `:echo`, `:let` and `:if`-free scripting: Vim's literals,
//! operators and the handful of functions scripts use with `:echo`. The full `vim.fn` surface belongs
//! to the Lua bridge; this is what a user types on the command line.

use std::fmt;

/// A value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// A number (Vim numbers are 64-bit).
    Number(i64),
    /// A float.
    Float(f64),
    /// A string.
    String(String),
    /// A list.
    List(Vec<Value>),
}

impl fmt::Display for Value {
    /// Formats as `:echo` does (strings without quotes, lists with quoted strings).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Number(n) => write!(f, "{n}"),
            Value::Float(x) => f.write_str(&format_float(*x)),
            Value::String(s) => f.write_str(s),
            Value::List(items) => {
                f.write_str("[")?;
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    match v {
                        Value::String(s) => write!(f, "'{}'", s.replace('\'', "''"))?,
                        other => write!(f, "{other}")?,
                    }
                }
                f.write_str("]")
            }
        }
    }
}

/// Vim prints floats with `%g`-like formatting (`1.5`, `1.0e10`).
fn format_float(x: f64) -> String {
    if x.is_nan() {
        return "nan".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf".into() } else { "-inf".into() };
    }
    if x == x.trunc() && x.abs() < 1e15 {
        format!("{x:.1}")
    } else {
        let s = format!("{x}");
        if s.len() > 16 {
            format!("{x:e}")
        } else {
            s
        }
    }
}

impl Value {
    /// Vim's conversion to a number (strings parse their leading digits).
    pub fn to_number(&self) -> Result<i64, ExprError> {
        match self {
            Value::Number(n) => Ok(*n),
            Value::Float(x) => Ok(*x as i64),
            Value::String(s) => Ok(leading_number(s)),
            Value::List(_) => Err(ExprError::Msg("E745: Using a List as a Number".into())),
        }
    }

    /// Vim's conversion to a string.
    pub fn to_string_value(&self) -> Result<String, ExprError> {
        match self {
            Value::List(_) => Err(ExprError::Msg("E730: Using List as a String".into())),
            other => Ok(other.to_string()),
        }
    }

    fn truthy(&self) -> Result<bool, ExprError> {
        Ok(self.to_number()? != 0)
    }
}

fn leading_number(s: &str) -> i64 {
    let t = s.trim_start();
    let (neg, digits) = match t.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, t),
    };
    let n = if let Some(h) = digits.strip_prefix("0x").or_else(|| digits.strip_prefix("0X")) {
        let end = h.find(|c: char| !c.is_ascii_hexdigit()).unwrap_or(h.len());
        i64::from_str_radix(&h[..end], 16).unwrap_or(0)
    } else {
        let end = digits.find(|c: char| !c.is_ascii_digit()).unwrap_or(digits.len());
        digits[..end].parse::<i64>().unwrap_or(0)
    };
    if neg {
        -n
    } else {
        n
    }
}

/// Expression errors with Vim's text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExprError {
    /// E15.
    #[error("E15: Invalid expression: \"{0}\"")]
    Invalid(String),
    /// E121.
    #[error("E121: Undefined variable: {0}")]
    UndefinedVariable(String),
    /// E117.
    #[error("E117: Unknown function: {0}")]
    UnknownFunction(String),
    /// Any other message.
    #[error("{0}")]
    Msg(String),
}

/// What an expression can read from the editor.
pub trait Context {
    /// A variable (`g:x`, `x`, `b:changedtick`, `v:count`...).
    fn variable(&self, name: &str) -> Option<Value>;
    /// An option (`&ts`, `&l:ts`, `&g:ts`).
    fn option(&self, name: &str) -> Option<Value>;
    /// A register (`@a`).
    fn register(&self, name: char) -> Value;
    /// An environment variable (`$HOME`).
    fn env(&self, name: &str) -> Value;
    /// A function call; `None` if the function is unknown.
    fn call(&mut self, name: &str, args: &[Value]) -> Option<Result<Value, ExprError>>;
}

/// Evaluates one expression; returns the value and the unparsed rest (for `:echo a b`).
pub fn eval_prefix<'a>(src: &'a str, ctx: &mut dyn Context) -> Result<(Value, &'a str), ExprError> {
    let mut p = Parser { src, pos: 0, ctx };
    let v = p.ternary()?;
    p.skip_ws();
    Ok((v, &src[p.pos..]))
}

/// Evaluates a whole expression (trailing text is an error).
pub fn eval(src: &str, ctx: &mut dyn Context) -> Result<Value, ExprError> {
    let (v, rest) = eval_prefix(src, ctx)?;
    if !rest.trim().is_empty() {
        return Err(ExprError::Msg(format!("E488: Trailing characters: {}", rest.trim())));
    }
    Ok(v)
}

/// Evaluates `:echo`'s arguments: several expressions, joined by a space.
pub fn eval_list(src: &str, ctx: &mut dyn Context) -> Result<Vec<Value>, ExprError> {
    let mut out = Vec::new();
    let mut rest = src.trim();
    while !rest.is_empty() {
        let (v, r) = eval_prefix(rest, ctx)?;
        if r.len() == rest.len() {
            return Err(ExprError::Invalid(rest.to_string()));
        }
        out.push(v);
        rest = r.trim();
    }
    Ok(out)
}

struct Parser<'a, 'c> {
    src: &'a str,
    pos: usize,
    ctx: &'c mut dyn Context,
}

impl<'a> Parser<'a, '_> {
    fn rest(&self) -> &'a str {
        &self.src[self.pos..]
    }

    fn skip_ws(&mut self) {
        let r = self.rest();
        self.pos += r.len() - r.trim_start_matches([' ', '\t']).len();
    }

    fn eat(&mut self, s: &str) -> bool {
        self.skip_ws();
        if self.rest().starts_with(s) {
            self.pos += s.len();
            true
        } else {
            false
        }
    }

    fn invalid(&self) -> ExprError {
        ExprError::Invalid(self.src.to_string())
    }

    fn ternary(&mut self) -> Result<Value, ExprError> {
        let cond = self.or()?;
        if self.eat("?") {
            let a = self.ternary()?;
            if !self.eat(":") {
                return Err(self.invalid());
            }
            let b = self.ternary()?;
            return Ok(if cond.truthy()? { a } else { b });
        }
        Ok(cond)
    }

    fn or(&mut self) -> Result<Value, ExprError> {
        let mut v = self.and()?;
        while self.eat("||") {
            let r = self.and()?;
            v = Value::Number(i64::from(v.truthy()? || r.truthy()?));
        }
        Ok(v)
    }

    fn and(&mut self) -> Result<Value, ExprError> {
        let mut v = self.compare()?;
        while self.eat("&&") {
            let r = self.compare()?;
            v = Value::Number(i64::from(v.truthy()? && r.truthy()?));
        }
        Ok(v)
    }

    fn compare(&mut self) -> Result<Value, ExprError> {
        let l = self.concat()?;
        self.skip_ws();
        const OPS: [&str; 8] = ["==", "!=", ">=", "<=", "=~", "!~", ">", "<"];
        let Some(op) = OPS.iter().find(|o| self.rest().starts_with(**o)) else { return Ok(l) };
        self.pos += op.len();
        let ic = if self.rest().starts_with('?') {
            self.pos += 1;
            true
        } else {
            if self.rest().starts_with('#') {
                self.pos += 1;
            }
            false
        };
        let r = self.concat()?;
        let result = match (*op, &l, &r) {
            ("=~" | "!~", _, _) => {
                let text = l.to_string_value()?;
                let pat = r.to_string_value()?;
                let opts = rtdvi_core::pattern::PatternOptions { ignorecase: ic, ..Default::default() };
                let m = rtdvi_core::pattern::Pattern::new(&pat, &opts)
                    .map_err(|e| ExprError::Msg(e.to_string()))?
                    .is_match(&text);
                if *op == "=~" {
                    m
                } else {
                    !m
                }
            }
            (_, Value::String(a), Value::String(b)) => {
                let (a, b) = if ic { (a.to_lowercase(), b.to_lowercase()) } else { (a.clone(), b.clone()) };
                cmp(op, a.cmp(&b))
            }
            (_, Value::Float(_), _) | (_, _, Value::Float(_)) => {
                let (a, b) = (as_f64(&l)?, as_f64(&r)?);
                cmp(op, a.partial_cmp(&b).unwrap_or(std::cmp::Ordering::Less))
            }
            (_, Value::List(a), Value::List(b)) if matches!(*op, "==" | "!=") => (a == b) == (*op == "=="),
            _ => cmp(op, l.to_number()?.cmp(&r.to_number()?)),
        };
        Ok(Value::Number(i64::from(result)))
    }

    fn concat(&mut self) -> Result<Value, ExprError> {
        let mut v = self.additive()?;
        loop {
            self.skip_ws();
            let r = self.rest();
            // `.` is concatenation unless it starts a number (`.5` is not valid Vim anyway).
            let n = if r.starts_with("..") {
                2
            } else if r.starts_with('.') && !r.starts_with(".=") {
                1
            } else {
                break;
            };
            self.pos += n;
            let rhs = self.additive()?;
            v = Value::String(format!("{}{}", v.to_string_value()?, rhs.to_string_value()?));
        }
        Ok(v)
    }

    fn additive(&mut self) -> Result<Value, ExprError> {
        let mut v = self.multiplicative()?;
        loop {
            self.skip_ws();
            let op = match self.rest().chars().next() {
                Some(c @ ('+' | '-')) => c,
                _ => break,
            };
            self.pos += 1;
            let r = self.multiplicative()?;
            v = arith(op, &v, &r)?;
        }
        Ok(v)
    }

    fn multiplicative(&mut self) -> Result<Value, ExprError> {
        let mut v = self.unary()?;
        loop {
            self.skip_ws();
            let op = match self.rest().chars().next() {
                Some(c @ ('*' | '/' | '%')) => c,
                _ => break,
            };
            self.pos += 1;
            let r = self.unary()?;
            v = arith(op, &v, &r)?;
        }
        Ok(v)
    }

    fn unary(&mut self) -> Result<Value, ExprError> {
        if self.eat("!") {
            let v = self.unary()?;
            return Ok(Value::Number(i64::from(!v.truthy()?)));
        }
        if self.eat("-") {
            let v = self.unary()?;
            return Ok(match v {
                Value::Float(x) => Value::Float(-x),
                other => Value::Number(other.to_number()?.wrapping_neg()),
            });
        }
        if self.eat("+") {
            let v = self.unary()?;
            return Ok(match v {
                Value::Float(x) => Value::Float(x),
                other => Value::Number(other.to_number()?),
            });
        }
        let mut v = self.primary()?;
        // Indexing: `list[i]`, `str[i]`.
        while self.rest().starts_with('[') {
            self.pos += 1;
            let idx = self.ternary()?.to_number()?;
            if !self.eat("]") {
                return Err(self.invalid());
            }
            v = match v {
                Value::List(items) => {
                    let i = if idx < 0 { items.len() as i64 + idx } else { idx };
                    usize::try_from(i)
                        .ok()
                        .and_then(|i| items.get(i).cloned())
                        .ok_or_else(|| ExprError::Msg(format!("E684: List index out of range: {idx}")))?
                }
                other => {
                    let s = other.to_string_value()?;
                    let b = usize::try_from(idx).ok().and_then(|i| s.as_bytes().get(i).copied());
                    Value::String(b.map(|b| String::from_utf8_lossy(&[b]).into_owned()).unwrap_or_default())
                }
            };
        }
        Ok(v)
    }

    fn primary(&mut self) -> Result<Value, ExprError> {
        self.skip_ws();
        let r = self.rest();
        let Some(c) = r.chars().next() else { return Err(self.invalid()) };
        match c {
            '"' => self.double_quoted(),
            '\'' => self.single_quoted(),
            '0'..='9' => self.number(),
            '(' => {
                self.pos += 1;
                let v = self.ternary()?;
                if !self.eat(")") {
                    return Err(self.invalid());
                }
                Ok(v)
            }
            '[' => {
                self.pos += 1;
                let mut items = Vec::new();
                if self.eat("]") {
                    return Ok(Value::List(items));
                }
                loop {
                    items.push(self.ternary()?);
                    if self.eat("]") {
                        break;
                    }
                    if !self.eat(",") {
                        return Err(self.invalid());
                    }
                    if self.eat("]") {
                        break;
                    }
                }
                Ok(Value::List(items))
            }
            '&' => {
                self.pos += 1;
                let name = self.ident(true);
                self.ctx.option(&name).ok_or(ExprError::Msg(format!("E113: Unknown option: {name}")))
            }
            '@' => {
                self.pos += 1;
                let reg = self.rest().chars().next().ok_or_else(|| self.invalid())?;
                self.pos += reg.len_utf8();
                Ok(self.ctx.register(reg))
            }
            '$' => {
                self.pos += 1;
                let name = self.ident(false);
                Ok(self.ctx.env(&name))
            }
            c if c.is_ascii_alphabetic() || c == '_' => {
                let name = self.ident(true);
                if self.rest().starts_with('(') {
                    self.pos += 1;
                    let mut args = Vec::new();
                    if !self.eat(")") {
                        loop {
                            args.push(self.ternary()?);
                            if self.eat(")") {
                                break;
                            }
                            if !self.eat(",") {
                                return Err(self.invalid());
                            }
                        }
                    }
                    return match self.ctx.call(&name, &args) {
                        Some(r) => r,
                        None => Err(ExprError::UnknownFunction(name)),
                    };
                }
                self.ctx.variable(&name).ok_or(ExprError::UndefinedVariable(name))
            }
            _ => Err(self.invalid()),
        }
    }

    fn ident(&mut self, allow_scope: bool) -> String {
        let r = self.rest();
        let mut end = 0;
        for (i, c) in r.char_indices() {
            let ok = c.is_ascii_alphanumeric() || c == '_' || (allow_scope && c == ':' && i == 1);
            if !ok {
                break;
            }
            end = i + c.len_utf8();
        }
        self.pos += end;
        r[..end].to_string()
    }

    fn number(&mut self) -> Result<Value, ExprError> {
        let r = self.rest();
        if let Some(h) = r.strip_prefix("0x").or_else(|| r.strip_prefix("0X")) {
            let end = h.find(|c: char| !c.is_ascii_hexdigit()).unwrap_or(h.len());
            self.pos += 2 + end;
            return i64::from_str_radix(&h[..end], 16).map(Value::Number).map_err(|_| self.invalid());
        }
        let end = r.find(|c: char| !c.is_ascii_digit()).unwrap_or(r.len());
        let after = &r[end..];
        if after.starts_with('.') && after[1..].starts_with(|c: char| c.is_ascii_digit()) {
            let frac_end = after[1..].find(|c: char| !c.is_ascii_digit()).map_or(after.len(), |i| i + 1);
            let mut total = end + frac_end;
            let exp = &r[total..];
            if exp.starts_with(['e', 'E']) {
                let body = exp[1..].trim_start_matches(['+', '-']);
                let digits = body.find(|c: char| !c.is_ascii_digit()).unwrap_or(body.len());
                if digits > 0 {
                    total += exp.len() - body.len() + digits;
                }
            }
            self.pos += total;
            return r[..total].parse::<f64>().map(Value::Float).map_err(|_| self.invalid());
        }
        self.pos += end;
        r[..end].parse::<i64>().map(Value::Number).map_err(|_| ExprError::Msg("E1510: Value too large".into()))
    }

    fn single_quoted(&mut self) -> Result<Value, ExprError> {
        let r = &self.src[self.pos + 1..];
        let mut out = String::new();
        let mut chars = r.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if c == '\'' {
                if let Some(&(_, '\'')) = chars.peek() {
                    out.push('\'');
                    chars.next();
                    continue;
                }
                self.pos += 1 + i + 1;
                return Ok(Value::String(out));
            }
            out.push(c);
        }
        Err(ExprError::Msg(format!("E115: Missing single quote: {}", &self.src[self.pos..])))
    }

    fn double_quoted(&mut self) -> Result<Value, ExprError> {
        let r = &self.src[self.pos + 1..];
        let mut out = String::new();
        let mut chars = r.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => {
                    self.pos += 1 + i + 1;
                    return Ok(Value::String(out));
                }
                '\\' => match chars.next() {
                    Some((_, 'n')) => out.push('\n'),
                    Some((_, 't')) => out.push('\t'),
                    Some((_, 'r')) => out.push('\r'),
                    Some((_, 'e')) => out.push('\x1b'),
                    Some((_, '\\')) => out.push('\\'),
                    Some((_, '"')) => out.push('"'),
                    Some((j, '<')) => {
                        // "\<Esc>", "\<C-w>": the key itself (special keys as the engine's key chars).
                        let rest = &r[j..];
                        let key = rest.find('>').map(|end| (end, crate::keys::parse_keys(&rest[..=end])));
                        match key {
                            Some((end, keys)) if keys.len() == 1 && end > 1 => {
                                if let Some(k) = crate::keys::key_to_register_char(&keys[0]) {
                                    out.push(k);
                                }
                                while chars.next().is_some_and(|(i2, _)| i2 < j + end) {}
                            }
                            _ => out.push('<'),
                        }
                    }
                    Some((_, other)) => out.push(other),
                    None => break,
                },
                _ => out.push(c),
            }
        }
        Err(ExprError::Msg(format!("E114: Missing double quote: {}", &self.src[self.pos..])))
    }
}

fn cmp(op: &str, o: std::cmp::Ordering) -> bool {
    use std::cmp::Ordering::*;
    match op {
        "==" => o == Equal,
        "!=" => o != Equal,
        ">" => o == Greater,
        "<" => o == Less,
        ">=" => o != Less,
        "<=" => o != Greater,
        _ => false,
    }
}

fn as_f64(v: &Value) -> Result<f64, ExprError> {
    match v {
        Value::Float(x) => Ok(*x),
        other => Ok(other.to_number()? as f64),
    }
}

fn arith(op: char, l: &Value, r: &Value) -> Result<Value, ExprError> {
    if let (Value::List(a), Value::List(b), '+') = (l, r, op) {
        return Ok(Value::List(a.iter().chain(b.iter()).cloned().collect()));
    }
    if matches!(l, Value::Float(_)) || matches!(r, Value::Float(_)) {
        let (a, b) = (as_f64(l)?, as_f64(r)?);
        return Ok(Value::Float(match op {
            '+' => a + b,
            '-' => a - b,
            '*' => a * b,
            '/' => a / b,
            _ => return Err(ExprError::Msg("E804: Cannot use '%' with Float".into())),
        }));
    }
    let (a, b) = (l.to_number()?, r.to_number()?);
    Ok(Value::Number(match op {
        '+' => a.wrapping_add(b),
        '-' => a.wrapping_sub(b),
        '*' => a.wrapping_mul(b),
        // Vim's rules for division by zero: x/0 is a large number with x's sign, x%0 is 0.
        '/' if b == 0 => match a.cmp(&0) {
            std::cmp::Ordering::Greater => i64::MAX,
            std::cmp::Ordering::Less => -i64::MAX,
            std::cmp::Ordering::Equal => i64::MIN,
        },
        '/' => a.wrapping_div(b),
        '%' if b == 0 => 0,
        '%' => a.wrapping_rem(b),
        _ => 0,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Ctx;
    impl Context for Ctx {
        fn variable(&self, name: &str) -> Option<Value> {
            (name == "g:x").then(|| Value::Number(7))
        }
        fn option(&self, name: &str) -> Option<Value> {
            (name == "ts").then(|| Value::Number(8))
        }
        fn register(&self, _: char) -> Value {
            Value::String("reg".into())
        }
        fn env(&self, _: &str) -> Value {
            Value::String(String::new())
        }
        fn call(&mut self, name: &str, args: &[Value]) -> Option<Result<Value, ExprError>> {
            (name == "len").then(|| Ok(Value::Number(args[0].to_string().len() as i64)))
        }
    }

    fn ev(s: &str) -> String {
        eval(s, &mut Ctx).map(|v| v.to_string()).unwrap_or_else(|e| e.to_string())
    }

    #[test]
    fn literals_and_operators() {
        assert_eq!(ev("'it''s'"), "it's");
        assert_eq!(ev("\"a\\tb\""), "a\tb");
        assert_eq!(ev("1 + 2 * 3"), "7");
        assert_eq!(ev("(1 + 2) * 3"), "9");
        assert_eq!(ev("7 / 2"), "3");
        assert_eq!(ev("7 % 3"), "1");
        assert_eq!(ev("1.5 + 1"), "2.5");
        assert_eq!(ev("'a' . 'b' .. 3"), "ab3");
        assert_eq!(ev("0x10"), "16");
        assert_eq!(ev("-3"), "-3");
        assert_eq!(ev("1 == 1 ? 'y' : 'n'"), "y");
        assert_eq!(ev("'abc' == 'ABC'"), "0");
        assert_eq!(ev("'abc' ==? 'ABC'"), "1");
        assert_eq!(ev("'foobar' =~ 'o\\+b'"), "1");
        assert_eq!(ev("[1, 'a', [2]]"), "[1, 'a', [2]]");
        assert_eq!(ev("[1, 2, 3][1]"), "2");
        assert_eq!(ev("&ts * 2"), "16");
        assert_eq!(ev("g:x"), "7");
        assert_eq!(ev("@a"), "reg");
        assert_eq!(ev("len('abcd')"), "4");
        assert_eq!(ev("!0 && 1"), "1");
        assert_eq!(ev("5 / 0"), i64::MAX.to_string());
    }

    #[test]
    fn errors() {
        assert_eq!(ev("nosuch"), "E121: Undefined variable: nosuch");
        assert_eq!(ev("nosuch()"), "E117: Unknown function: nosuch");
        assert_eq!(ev("'abc"), "E115: Missing single quote: 'abc");
        assert_eq!(ev("(1"), "E15: Invalid expression: \"(1\"");
        for s in ["", "(", "[", "[1,", "1 +", "\"", "&", "@", "9999999999999999999999", "1 ? 2"] {
            let _ = eval(s, &mut Ctx);
        }
    }

    #[test]
    fn echo_lists() {
        let v = eval_list("'a' 1+1 \"b\"", &mut Ctx).unwrap();
        assert_eq!(v.iter().map(|v| v.to_string()).collect::<Vec<_>>().join(" "), "a 2 b");
    }
}
