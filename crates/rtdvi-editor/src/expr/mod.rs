//! Vim's expression language, for `:echo`, `:let`, `:call`, `:execute`, `<expr>` mappings and
//! `nvim_eval`: literals (numbers, floats, strings, lists, dictionaries, lambdas), operators,
//! indexing and slicing, `dict.key`, `expr->method()`, and calls. Functions themselves live in the
//! function table ([`crate::function`]); this module only parses and evaluates.

mod value;

pub use value::{format_float, leading_number, quote, Func, Value};

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};

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
    /// E118.
    #[error("E118: Too many arguments for function: {0}")]
    TooManyArgs(String),
    /// E119.
    #[error("E119: Not enough arguments for function: {0}")]
    NotEnoughArgs(String),
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
    /// A call of a function by name (`E117` if there is none).
    fn call(&mut self, name: &str, args: Vec<Value>) -> Result<Value, ExprError>;
    /// A call through a function reference (a lambda runs its body with its parameters bound).
    fn call_func(&mut self, func: &Func, args: Vec<Value>) -> Result<Value, ExprError> {
        match func {
            Func::Named(name) => self.call(name, args),
            Func::Lambda { .. } => Err(ExprError::UnknownFunction(func.name())),
        }
    }
}

/// Numbers the lambdas as Vim does (`<lambda>1`, `<lambda>2`, ...).
static NEXT_LAMBDA: AtomicU64 = AtomicU64::new(1);

/// Evaluates one expression; returns the value and the unparsed rest (for `:echo a b`).
pub fn eval_prefix<'a>(src: &'a str, ctx: &mut dyn Context) -> Result<(Value, &'a str), ExprError> {
    let mut p = Parser { src, pos: 0, ctx, depth: 0 };
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
    /// Nesting of sub-expressions, bounded so deep input can't exhaust the stack.
    depth: usize,
}

/// How deeply expressions may nest (`((((1))))`, `[[[1]]]`).
const MAX_NESTING: usize = 200;

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
        if self.depth >= MAX_NESTING {
            return Err(ExprError::Msg(format!("E1169: Expression too recursive: {}", self.rest())));
        }
        self.depth += 1;
        let r = self.ternary_inner();
        self.depth -= 1;
        r
    }

    fn ternary_inner(&mut self) -> Result<Value, ExprError> {
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
        let word_op = ["isnot", "is"].into_iter().find(|w| {
            self.rest()
                .strip_prefix(w)
                .is_some_and(|after| !after.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_'))
        });
        let Some(op) = word_op.or_else(|| OPS.iter().find(|o| self.rest().starts_with(**o)).copied()) else {
            return Ok(l);
        };
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
        let result = match (op, &l, &r) {
            ("is" | "isnot", _, _) => {
                // Containers compare by value here (they are values, not references).
                let same = l.type_number() == r.type_number() && values_equal(&l, &r, ic);
                same == (op == "is")
            }
            ("=~" | "!~", _, _) => {
                let text = l.to_string_value()?;
                let pat = r.to_string_value()?;
                let opts = rtdvi_core::pattern::PatternOptions { ignorecase: ic, ..Default::default() };
                let m = rtdvi_core::pattern::Pattern::new(&pat, &opts)
                    .map_err(|e| ExprError::Msg(e.to_string()))?
                    .is_match(&text);
                if op == "=~" {
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
            (_, Value::List(_), Value::List(_)) | (_, Value::Dict(_), Value::Dict(_)) if matches!(op, "==" | "!=") => {
                values_equal(&l, &r, ic) == (op == "==")
            }
            (_, Value::List(_) | Value::Dict(_), _) | (_, _, Value::List(_) | Value::Dict(_)) => {
                return Err(ExprError::Msg(if matches!(op, "==" | "!=") {
                    "E691: Can only compare List with List".into()
                } else {
                    "E692: Invalid operation for List".into()
                }));
            }
            (_, Value::Func(a), Value::Func(b)) if matches!(op, "==" | "!=") => (a == b) == (op == "=="),
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
        if self.depth >= MAX_NESTING {
            return Err(ExprError::Msg(format!("E1169: Expression too recursive: {}", self.rest())));
        }
        self.depth += 1;
        let r = self.unary_inner();
        self.depth -= 1;
        r
    }

    fn unary_inner(&mut self) -> Result<Value, ExprError> {
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
        let v = self.primary()?;
        self.postfix(v)
    }

    /// Indexing `v[i]`, slicing `v[a:b]`, `dict.key`, calls through a funcref `f(...)` and
    /// methods `v->name(...)`, applied left to right.
    fn postfix(&mut self, mut v: Value) -> Result<Value, ExprError> {
        loop {
            let r = self.rest();
            if r.starts_with('[') {
                self.pos += 1;
                v = self.index_or_slice(v)?;
            } else if r.starts_with('.')
                && matches!(v, Value::Dict(_))
                && r[1..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
            {
                self.pos += 1;
                let key = self.ident(false);
                v = dict_get(v, &key)?;
            } else if r.starts_with('(') && matches!(v, Value::Func(_)) {
                self.pos += 1;
                let args = self.call_args()?;
                let Value::Func(f) = v else { return Err(self.invalid()) };
                v = self.ctx.call_func(&f, args)?;
            } else if r.starts_with("->") {
                self.pos += 2;
                self.skip_ws();
                let name = self.ident(true);
                if name.is_empty() || !self.rest().starts_with('(') {
                    return Err(self.invalid());
                }
                self.pos += 1;
                let mut args = vec![v];
                args.extend(self.call_args()?);
                v = self.ctx.call(&name, args)?;
            } else {
                return Ok(v);
            }
        }
    }

    /// After `[`: one index or a slice, up to and including `]`.
    fn index_or_slice(&mut self, v: Value) -> Result<Value, ExprError> {
        let first = if self.eat(":") { None } else { Some(self.ternary()?) };
        let slice = first.is_none() || self.eat(":");
        if !slice {
            if !self.eat("]") {
                return Err(self.invalid());
            }
            let key = first.unwrap_or(Value::Null);
            return index_value(v, &key);
        }
        let end = if self.eat("]") {
            None
        } else {
            let e = self.ternary()?;
            if !self.eat("]") {
                return Err(self.invalid());
            }
            Some(e.to_number()?)
        };
        let start = match first {
            Some(s) => s.to_number()?,
            None => 0,
        };
        slice_value(v, start, end)
    }

    /// Call arguments after `(`, up to and including `)`.
    fn call_args(&mut self) -> Result<Vec<Value>, ExprError> {
        let mut args = Vec::new();
        if self.eat(")") {
            return Ok(args);
        }
        loop {
            self.skip_ws();
            let start = self.pos;
            args.push(self.ternary()?);
            if self.eat(")") {
                return Ok(args);
            }
            if !self.eat(",") {
                // Vim shows the text from the argument that did not end well.
                return Err(ExprError::Invalid(self.src[start..].to_string()));
            }
        }
    }

    /// After `{`: a lambda `{a, b -> expr}` if the text says so.
    fn lambda(&mut self) -> Option<Value> {
        let r = self.rest();
        let arrow = r.find("->")?;
        let head = &r[..arrow];
        let params: Vec<String> = head.split(',').map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect();
        let valid = params.iter().all(|p| p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
            && (head.split(',').count() == params.len() || (params.is_empty() && head.trim().is_empty()));
        if !valid {
            return None;
        }
        let body_start = arrow + 2;
        let body_len = closing_brace(&r[body_start..])?;
        let body = r[body_start..body_start + body_len].trim().to_string();
        self.pos += body_start + body_len + 1;
        let id = NEXT_LAMBDA.fetch_add(1, Ordering::Relaxed);
        Some(Value::Func(Func::Lambda { id, params, body }))
    }

    /// After `{` or `#{`: a dictionary literal up to and including `}`.
    fn dict(&mut self, literal_keys: bool) -> Result<Value, ExprError> {
        let mut map = BTreeMap::new();
        if self.eat("}") {
            return Ok(Value::Dict(map));
        }
        loop {
            self.skip_ws();
            let key = if literal_keys {
                let r = self.rest();
                let end = r.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-')).unwrap_or(r.len());
                self.pos += end;
                r[..end].to_string()
            } else {
                match self.ternary()? {
                    Value::Number(n) => n.to_string(),
                    other => other.to_string_value()?,
                }
            };
            if !self.eat(":") {
                return Err(ExprError::Msg(format!("E720: Missing colon in Dictionary: {}", self.rest())));
            }
            let v = self.ternary()?;
            if map.insert(key.clone(), v).is_some() {
                return Err(ExprError::Msg(format!("E721: Duplicate key in Dictionary: \"{key}\"")));
            }
            if self.eat("}") {
                return Ok(Value::Dict(map));
            }
            if !self.eat(",") {
                return Err(ExprError::Msg(format!("E722: Missing comma in Dictionary: {}", self.rest())));
            }
            if self.eat("}") {
                return Ok(Value::Dict(map));
            }
        }
    }

    fn primary(&mut self) -> Result<Value, ExprError> {
        self.skip_ws();
        let r = self.rest();
        let Some(c) = r.chars().next() else { return Err(self.invalid()) };
        match c {
            '"' => self.double_quoted(),
            '\'' => self.single_quoted(),
            '0'..='9' => self.number(),
            '{' => {
                self.pos += 1;
                if let Some(l) = self.lambda() {
                    return Ok(l);
                }
                self.dict(false)
            }
            '#' if r.starts_with("#{") => {
                self.pos += 2;
                self.dict(true)
            }
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
                    let args = self.call_args()?;
                    // A variable holding a funcref is called through it (`F(1)`, a lambda parameter).
                    if let Some(Value::Func(f)) = self.ctx.variable(&name) {
                        return self.ctx.call_func(&f, args);
                    }
                    return self.ctx.call(&name, args);
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
                    Some((_, 'b')) => out.push('\x08'),
                    Some((_, 'f')) => out.push('\x0c'),
                    Some((j, k @ ('x' | 'X' | 'u' | 'U' | '0'..='7'))) => {
                        // "\x41", "\u00e9", "\U0001F600", "\101": a character by number.
                        let (radix, max, skip) = match k {
                            'x' | 'X' => (16, 2, 1),
                            'u' => (16, 4, 1),
                            'U' => (16, 8, 1),
                            _ => (8, 3, 0),
                        };
                        let digits: String =
                            r[j + skip..].chars().take(max).take_while(|c| c.is_digit(radix)).collect();
                        if digits.is_empty() {
                            out.push(k);
                        } else {
                            let n = u32::from_str_radix(&digits, radix).unwrap_or(0);
                            out.push(char::from_u32(n).unwrap_or('\u{fffd}'));
                            for _ in 0..digits.len() + skip - 1 {
                                chars.next();
                            }
                        }
                    }
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

/// `==` on any two values (`ic`: strings ignoring case), recursively for containers; numbers and
/// strings compare as Vim does (`1 == '1'`).
pub fn values_equal(a: &Value, b: &Value, ic: bool) -> bool {
    match (a, b) {
        (Value::String(x), Value::String(y)) => {
            if ic {
                x.to_lowercase() == y.to_lowercase()
            } else {
                x == y
            }
        }
        (Value::List(x), Value::List(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| values_equal(p, q, ic)),
        (Value::Dict(x), Value::Dict(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| values_equal(v, w, ic)))
        }
        (Value::Float(_), _) | (_, Value::Float(_)) => matches!((as_f64(a), as_f64(b)), (Ok(x), Ok(y)) if x == y),
        (Value::List(_) | Value::Dict(_) | Value::Func(_), _)
        | (_, Value::List(_) | Value::Dict(_) | Value::Func(_)) => a == b,
        _ => matches!((a.to_number(), b.to_number()), (Ok(x), Ok(y)) if x == y),
    }
}

/// `v[key]`: a list item, a dictionary entry, or a byte of a string.
pub fn index_value(v: Value, key: &Value) -> Result<Value, ExprError> {
    match v {
        Value::List(mut items) => {
            let idx = key.to_number()?;
            let i = if idx < 0 { items.len() as i64 + idx } else { idx };
            match usize::try_from(i) {
                Ok(i) if i < items.len() => Ok(items.swap_remove(i)),
                _ => Err(ExprError::Msg(format!("E684: List index out of range: {idx}"))),
            }
        }
        Value::Dict(_) => {
            let k = match key {
                Value::Number(n) => n.to_string(),
                other => other.to_string_value()?,
            };
            dict_get(v, &k)
        }
        Value::Float(_) => Err(ExprError::Msg("E806: Using a Float as a String".into())),
        Value::Func(_) => Err(ExprError::Msg("E695: Cannot index a Funcref".into())),
        other => {
            let idx = key.to_number()?;
            let s = other.to_string_value()?;
            let b = usize::try_from(idx).ok().and_then(|i| s.as_bytes().get(i).copied());
            Ok(Value::String(b.map(|b| String::from_utf8_lossy(&[b]).into_owned()).unwrap_or_default()))
        }
    }
}

/// `d.key` / `d['key']`.
fn dict_get(v: Value, key: &str) -> Result<Value, ExprError> {
    match v {
        Value::Dict(mut m) => {
            m.remove(key).ok_or_else(|| ExprError::Msg(format!("E716: Key not present in Dictionary: \"{key}\"")))
        }
        _ => Err(ExprError::Msg("E689: Can only index a List, Dictionary or Blob".into())),
    }
}

/// `v[start:end]` (end inclusive, `None` to the end, negatives from the end; strings by bytes).
pub fn slice_value(v: Value, start: i64, end: Option<i64>) -> Result<Value, ExprError> {
    let bounds = |len: usize| -> Option<(usize, usize)> {
        let len_i = len as i64;
        let s = if start < 0 { (len_i + start).max(0) } else { start };
        let e = match end {
            None => len_i - 1,
            Some(e) if e < 0 => len_i + e,
            Some(e) => e.min(len_i - 1),
        };
        (s <= e && s < len_i).then(|| (s as usize, e as usize + 1))
    };
    match v {
        Value::List(items) => Ok(Value::List(match bounds(items.len()) {
            Some((s, e)) => items.get(s..e).map(<[Value]>::to_vec).unwrap_or_default(),
            None => Vec::new(),
        })),
        Value::Dict(_) => Err(ExprError::Msg("E719: Cannot slice a Dictionary".into())),
        other => {
            let s = other.to_string_value()?;
            Ok(Value::String(match bounds(s.len()) {
                Some((a, b)) => String::from_utf8_lossy(s.as_bytes().get(a..b).unwrap_or_default()).into_owned(),
                None => String::new(),
            }))
        }
    }
}

/// The length of a lambda body: up to the `}` that closes it, skipping nested brackets and quotes.
fn closing_brace(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if q == '"' && c == '\\' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '\'' | '"' => quote = Some(c),
            '(' | '[' | '{' => depth += 1,
            ')' | ']' => depth = depth.checked_sub(1)?,
            '}' if depth == 0 => return Some(i),
            '}' => depth -= 1,
            _ => {}
        }
    }
    None
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
            (name == "g:x").then_some(Value::Number(7))
        }
        fn option(&self, name: &str) -> Option<Value> {
            (name == "ts").then_some(Value::Number(8))
        }
        fn register(&self, _: char) -> Value {
            Value::String("reg".into())
        }
        fn env(&self, _: &str) -> Value {
            Value::String(String::new())
        }
        fn call(&mut self, name: &str, args: Vec<Value>) -> Result<Value, ExprError> {
            match (name, args.first()) {
                ("len", Some(a)) => Ok(Value::Number(a.to_string().len() as i64)),
                _ => Err(ExprError::UnknownFunction(name.to_string())),
            }
        }
    }

    fn ev(s: &str) -> String {
        eval(s, &mut Ctx).map(|v| v.to_string()).unwrap_or_else(|e| e.to_string())
    }

    #[test]
    fn literals_and_operators() {
        assert_eq!(ev("'it''s'"), "it's");
        assert_eq!(ev("\"a\\tb\""), "a\tb");
        assert_eq!(ev("\"\\x41\\u00e9\\101\\U0001F600z\""), "Aé\u{41}\u{1F600}z");
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
        assert_eq!(ev("{'a': 1, 'b': [2]}.b[0]"), "2");
        assert_eq!(ev("#{a: 1}['a']"), "1");
        assert_eq!(ev("[1, 2, 3, 4][1:2]"), "[2, 3]");
        assert_eq!(ev("'abcd'[-2:]"), "cd");
        assert_eq!(ev("'abc'->len()"), "3");
        assert_eq!(ev("1 is 1"), "1");
        assert_eq!(ev("1 isnot '1'"), "1");
        assert_eq!(ev("{'a': [1]} == {'a': [1]}"), "1");
        assert!(ev("{x -> x}").starts_with("<lambda>"));
    }

    #[test]
    fn errors() {
        assert_eq!(ev("nosuch"), "E121: Undefined variable: nosuch");
        assert_eq!(ev("nosuch()"), "E117: Unknown function: nosuch");
        assert_eq!(ev("'abc"), "E115: Missing single quote: 'abc");
        assert_eq!(ev("(1"), "E15: Invalid expression: \"(1\"");
        for s in [
            "",
            "(",
            "[",
            "[1,",
            "1 +",
            "\"",
            "&",
            "@",
            "9999999999999999999999",
            "1 ? 2",
            "{",
            "{1:",
            "#{",
            "{x ->",
            "[1][",
            "'a'[1:",
            "{'a':1}.",
            "1->",
            "!!!-",
        ] {
            let _ = eval(s, &mut Ctx);
        }
        let deep = "[".repeat(100_000);
        assert!(eval(&deep, &mut Ctx).unwrap_err().to_string().starts_with("E1169"));
        let unary = "-".repeat(100_000) + "1";
        assert!(eval(&unary, &mut Ctx).is_err());
    }

    #[test]
    fn echo_lists() {
        let v = eval_list("'a' 1+1 \"b\"", &mut Ctx).unwrap();
        assert_eq!(v.iter().map(|v| v.to_string()).collect::<Vec<_>>().join(" "), "a 2 b");
    }
}
