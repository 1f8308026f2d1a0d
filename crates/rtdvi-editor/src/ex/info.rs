//! Commands about state rather than text: `:set` and friends, `:echo`, `:let`, `:messages`,
//! `:registers`, `:marks`, `:noh`, `:autocmd`, `:augroup`, `:doautocmd`, `:silent`, `:execute`.

use std::collections::BTreeMap;

use super::{Cmd, ExError};
use crate::editor::Editor;
use crate::events::{Action, Autocmd, Event};
use crate::expr::{self, Value};
use crate::function::{global_key, EditorContext};
use crate::options::{self, BoolAction, OptionValue, SetItem, SetScope, OPTIONS};
use crate::registers::RegisterKind;

impl Editor {
    pub(super) fn info_command(&mut self, c: &Cmd<'_>) -> Result<(), ExError> {
        let args = c.args.trim();
        match c.name {
            "set" => self.set_command(args, SetScope::Both),
            "setlocal" => self.set_command(args, SetScope::Local),
            "setglobal" => self.set_command(args, SetScope::Global),
            "echo" | "echomsg" | "echoerr" => {
                let values = expr::eval_list(args, &mut EditorContext::new(self))?;
                let text = values.iter().map(|v| v.to_string()).collect::<Vec<_>>().join(" ");
                match c.name {
                    "echo" => self.messages.echo(text),
                    "echomsg" => self.messages.info(text),
                    _ => return Err(ExError::Msg(text)),
                }
                Ok(())
            }
            "execute" => {
                let values = expr::eval_list(args, &mut EditorContext::new(self))?;
                let line = values.iter().map(|v| v.to_string()).collect::<Vec<_>>().join(" ");
                self.execute_ex(&line)
            }
            "call" => {
                expr::eval(args, &mut EditorContext::new(self))?;
                Ok(())
            }
            "let" => self.let_command(args),
            "unlet" => {
                for name in args.split_whitespace() {
                    if !self.remove_var(name) && !c.bang {
                        return Err(ExError::Msg(format!("E108: No such variable: \"{name}\"")));
                    }
                }
                Ok(())
            }
            "messages" => {
                if args == "clear" {
                    self.messages.clear_history();
                    return Ok(());
                }
                let text = self.messages.history().iter().map(|m| m.text.clone()).collect::<Vec<_>>().join("\n");
                if !text.is_empty() {
                    self.messages.echo(text);
                }
                Ok(())
            }
            "registers" | "display" => {
                self.show_registers(args);
                Ok(())
            }
            "marks" => self.show_marks(args),
            "nohlsearch" => {
                self.search.highlight = false;
                Ok(())
            }
            "autocmd" => self.autocmd_command(args, c.bang),
            "augroup" => {
                if c.bang {
                    let id = self
                        .autocmds
                        .group_id(args)
                        .ok_or_else(|| ExError::Msg(format!("E367: No such group: \"{args}\"")))?;
                    self.autocmds.delete_group(id);
                } else if args.eq_ignore_ascii_case("END") || args.is_empty() {
                    self.autocmds.current_group = None;
                } else {
                    self.autocmds.current_group = Some(self.autocmds.group(args, false));
                }
                Ok(())
            }
            "doautocmd" => self.doautocmd_command(args),
            "silent" => self.silent_command(args, c.bang),
            "keeppatterns" => self.keeppatterns(args),
            "filetype" | "syntax" | "redraw" => Ok(()),
            "version" => {
                self.messages.echo(format!("rtdvi {}", env!("CARGO_PKG_VERSION")));
                Ok(())
            }
            other => Err(ExError::NotEditorCommand(other.to_string())),
        }
    }

    /// `:set`, `:setlocal`, `:setglobal`.
    pub fn set_command(&mut self, args: &str, scope: SetScope) -> Result<(), ExError> {
        let items = options::parse_set(args)?;
        let words: Vec<&str> = args.split_whitespace().collect();
        let mut shown = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let word = words.get(i).copied().unwrap_or("");
            match item {
                SetItem::ShowChanged | SetItem::ShowAll => {
                    let all = matches!(item, SetItem::ShowAll);
                    for idx in 0..OPTIONS.len() {
                        let id = options::OptionId(idx as u16);
                        let v = self.option(id);
                        let default = options::OptionStore::global_defaults().get(id).cloned();
                        if all || Some(&v) != default.as_ref() {
                            shown.push(options::format_option(id, &v));
                        }
                    }
                }
                SetItem::ResetAll => {
                    let defaults = options::OptionStore::global_defaults();
                    for idx in 0..OPTIONS.len() {
                        let id = options::OptionId(idx as u16);
                        if id.def().read_only
                            || matches!(
                                id.def().name,
                                "modified"
                                    | "filetype"
                                    | "fileformat"
                                    | "endofline"
                                    | "bomb"
                                    | "readonly"
                                    | "fileencoding"
                            )
                        {
                            continue;
                        }
                        if let Some(v) = defaults.get(id).cloned() {
                            self.set_option(id, v, scope);
                        }
                    }
                }
                SetItem::Show(id) => {
                    let v = self.option_at_scope(*id, scope);
                    shown.push(options::format_option(*id, &v));
                }
                SetItem::SetBool(id, action) => {
                    let old = self.option_at_scope(*id, scope).as_bool();
                    let new = match action {
                        BoolAction::On => true,
                        BoolAction::Off => false,
                        BoolAction::Toggle => !old,
                    };
                    if id.def().read_only {
                        return Err(options::OptionError::ReadOnly(word.to_string()).into());
                    }
                    self.set_option(*id, OptionValue::Bool(new), scope);
                }
                SetItem::Reset(id) => {
                    let default =
                        options::OptionStore::global_defaults().get(*id).cloned().unwrap_or(OptionValue::Bool(false));
                    self.set_option(*id, default, scope);
                }
                SetItem::Assign(id, op, value) => {
                    let old = self.option_at_scope(*id, scope);
                    let new = options::assign(*id, &old, *op, value, word)?;
                    self.set_option(*id, new, scope);
                }
            }
        }
        if !shown.is_empty() {
            self.messages.echo(shown.join("\n"));
        }
        Ok(())
    }

    /// The value `:setlocal opt?` / `:setglobal opt?` / `:set opt?` shows.
    fn option_at_scope(&self, id: options::OptionId, scope: SetScope) -> OptionValue {
        match scope {
            SetScope::Global => self.options.get(id).cloned().unwrap_or(OptionValue::Bool(false)),
            _ => self.option(id),
        }
    }

    /// `:let name = expr` (also `+=`, `-=`, `.=`, `..=`, `&opt`, `@r`), or list variables.
    fn let_command(&mut self, args: &str) -> Result<(), ExError> {
        if args.is_empty() {
            let list: Vec<String> = self.globals.iter().map(|(k, v)| format!("{k:<20} {v}")).collect();
            self.messages.echo(list.join("\n"));
            return Ok(());
        }
        let ops = ["..=", ".=", "+=", "-=", "*=", "/=", "="];
        let (idx, op) = ops
            .iter()
            .filter_map(|op| args.find(op).map(|i| (i, *op)))
            .min_by_key(|(i, op)| (*i, std::cmp::Reverse(op.len())))
            .ok_or_else(|| ExError::Msg(format!("E15: Invalid expression: \"{args}\"")))?;
        let target = args[..idx].trim();
        let rhs = expr::eval(args[idx + op.len()..].trim(), &mut EditorContext::new(self))?;
        let combine = |old: Option<Value>| combine_values(op, old, rhs.clone(), target);
        if let Some(opt) = target.strip_prefix('&') {
            let (scope, name) = if let Some(n) = opt.strip_prefix("l:") {
                (SetScope::Local, n)
            } else if let Some(n) = opt.strip_prefix("g:") {
                (SetScope::Global, n)
            } else {
                (SetScope::Both, opt)
            };
            let id = options::lookup(name).ok_or_else(|| ExError::Msg(format!("E355: Unknown option: {name}")))?;
            let old = self.option(id);
            let old_value = match &old {
                OptionValue::String(s) => Value::String(s.clone()),
                other => Value::Number(other.as_number()),
            };
            let new = combine(Some(old_value))?;
            let value = match id.def().kind {
                options::Kind::Bool => OptionValue::Bool(new.to_number()? != 0),
                options::Kind::Number => OptionValue::Number(new.to_number()?),
                _ => OptionValue::String(new.to_string_value()?),
            };
            options::validate(id, &value, target)?;
            self.set_option(id, value, scope);
            return Ok(());
        }
        if let Some(reg) = target.strip_prefix('@') {
            let name = reg.chars().next().unwrap_or('"');
            let old = self.registers.get(name).map(|r| Value::String(r.to_text()));
            let text = combine(old.or(Some(Value::String(String::new()))))?.to_string_value()?;
            let kind = if text.ends_with('\n') { RegisterKind::Linewise } else { RegisterKind::Charwise };
            let body = text.strip_suffix('\n').unwrap_or(&text);
            let reg_value = crate::registers::Register { lines: body.split('\n').map(str::to_string).collect(), kind };
            self.registers.set_keeping_unnamed(name, reg_value).map_err(|e| ExError::Msg(e.to_string()))?;
            return Ok(());
        }
        if target.starts_with('$') {
            return Err(ExError::Msg("E5502: setting environment variables is not supported".into()));
        }
        if let Some(list) = target.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
            // `:let [a, b] = [1, 2]`.
            let names: Vec<&str> = list.split(',').map(str::trim).filter(|n| !n.is_empty()).collect();
            let Value::List(items) = rhs.clone() else { return Err(ExError::Msg("E714: List required".into())) };
            if names.len() < items.len() {
                return Err(ExError::Msg("E687: Less targets than List items".into()));
            }
            if names.len() > items.len() {
                return Err(ExError::Msg("E688: More targets than List items".into()));
            }
            for (name, item) in names.iter().zip(items) {
                if !valid_name(name) {
                    return Err(ExError::Msg(format!("E461: Illegal variable name: {name}")));
                }
                let new = if op == "=" { item } else { combine_values(op, self.get_var(name), item, name)? };
                self.set_var(name, new);
            }
            return Ok(());
        }
        let base_len = target.find(['[', '.']).unwrap_or(target.len());
        let (base, accessors) = target.split_at(base_len);
        if !valid_name(base) {
            return Err(ExError::Msg(format!("E461: Illegal variable name: {target}")));
        }
        if !accessors.is_empty() {
            // `:let g:d.key = v`, `:let g:l[0] = v`, `:let g:d['k'][1] += 2`.
            let path = self.let_path(accessors)?;
            let mut value =
                self.get_var(base).ok_or_else(|| ExError::Msg(format!("E121: Undefined variable: {base}")))?;
            assign_path(&mut value, &path, &mut |old| combine(old))?;
            self.set_var(base, value);
            return Ok(());
        }
        let new = combine(self.get_var(target))?;
        self.set_var(target, new);
        Ok(())
    }

    /// The `b:`/`w:`/`t:` variables of the current buffer, window or tab page a name is in, with
    /// the name inside them; `None` for global variables.
    fn scoped_vars(&mut self, name: &str) -> Option<(&mut BTreeMap<String, rmpv::Value>, String)> {
        let (scope, key) = name.split_at_checked(2)?;
        match scope {
            "b:" => Some((&mut self.buf_mut().vars, key.to_string())),
            "w:" => Some((&mut self.win_mut().vars, key.to_string())),
            "t:" => {
                let i = self.tab_index.min(self.tabs.len().saturating_sub(1));
                self.tabs.get_mut(i).map(|t| (&mut t.vars, key.to_string()))
            }
            _ => None,
        }
    }

    /// A variable's value (`g:x`, `x`, `b:x`, `w:x`, `t:x`).
    fn get_var(&mut self, name: &str) -> Option<Value> {
        match self.scoped_vars(name) {
            Some((vars, key)) => vars.get(&key).and_then(|v| crate::api::from_msgpack(v, 0).ok()),
            None => self.globals.get(&global_key(name)).cloned(),
        }
    }

    /// Sets a variable (`b:`/`w:`/`t:` ones are kept with their buffer, window or tab page).
    fn set_var(&mut self, name: &str, value: Value) {
        match self.scoped_vars(name) {
            Some((vars, key)) => {
                vars.insert(key, crate::api::to_msgpack(&value));
            }
            None => {
                self.globals.insert(global_key(name), value);
            }
        }
    }

    /// Removes a variable; whether it existed.
    fn remove_var(&mut self, name: &str) -> bool {
        match self.scoped_vars(name) {
            Some((vars, key)) => vars.remove(&key).is_some(),
            None => self.globals.remove(&global_key(name)).is_some(),
        }
    }

    /// The keys of `.key` and `[expr]` accessors after a `:let` target's name.
    fn let_path(&mut self, mut rest: &str) -> Result<Vec<Value>, ExError> {
        let mut path = Vec::new();
        while !rest.is_empty() {
            if let Some(r) = rest.strip_prefix('.') {
                let end = r.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(r.len());
                if end == 0 {
                    return Err(ExError::Msg(format!("E15: Invalid expression: \"{rest}\"")));
                }
                path.push(Value::String(r[..end].to_string()));
                rest = &r[end..];
            } else if let Some(r) = rest.strip_prefix('[') {
                let close = matching_bracket(r).ok_or_else(|| ExError::Msg(format!("E111: Missing ']': {rest}")))?;
                path.push(expr::eval(&r[..close], &mut EditorContext::new(self))?);
                rest = r[close + 1..].trim_start();
            } else {
                return Err(ExError::Msg(format!("E488: Trailing characters: {rest}")));
            }
        }
        Ok(path)
    }

    fn show_registers(&mut self, which: &str) {
        let mut out = vec!["Type Name Content".to_string()];
        for (name, reg) in self.registers.list() {
            if !which.is_empty() && !which.contains(name) {
                continue;
            }
            let kind = match reg.kind {
                RegisterKind::Charwise => 'c',
                RegisterKind::Linewise => 'l',
                RegisterKind::Blockwise(_) => 'b',
            };
            let content: String = reg.to_text().replace('\n', "^J").replace('\t', "^I").chars().take(200).collect();
            out.push(format!("  {kind}  \"{name}   {content}"));
        }
        self.messages.echo(out.join("\n"));
    }

    fn show_marks(&mut self, which: &str) -> Result<(), ExError> {
        let mut out = vec!["mark line  col file/text".to_string()];
        let b = self.buf();
        let mut any = false;
        for (m, _) in b.marks.iter() {
            if !which.is_empty() && !which.contains(*m) {
                continue;
            }
            let Some(pos) = b.mark(*m) else { continue };
            let (row, col) = b.char_to_pos(pos);
            let text: String = b.line(row).trim().chars().take(60).collect();
            out.push(format!(" {m} {:>6} {:>4} {text}", row + 1, col));
            any = true;
        }
        if !any && !which.is_empty() {
            return Err(ExError::Msg(format!("E283: No marks matching \"{which}\"")));
        }
        self.messages.echo(out.join("\n"));
        Ok(())
    }

    fn autocmd_command(&mut self, args: &str, bang: bool) -> Result<(), ExError> {
        let mut words = args.split_whitespace().peekable();
        // An optional group name first (a word that is a known group and not an event).
        let mut group = self.autocmds.current_group;
        let mut explicit_group = None;
        if let Some(w) = words.peek() {
            if let Some(g) = self.autocmds.group_id(w) {
                if w.parse::<Event>().is_err() {
                    group = Some(g);
                    explicit_group = Some(g);
                    words.next();
                }
            }
        }
        let events: Option<Vec<Event>> = match words.next() {
            None | Some("*") => None,
            Some(list) => Some(
                list.split(',')
                    .map(|e| e.parse::<Event>())
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|e| ExError::Msg(e.to_string()))?,
            ),
        };
        let pattern = words.next().map(str::to_string);
        let mut once = false;
        let mut nested = false;
        let mut rest_words: Vec<&str> = Vec::new();
        for w in words {
            match w {
                "++once" if rest_words.is_empty() => once = true,
                "++nested" | "nested" if rest_words.is_empty() => nested = true,
                _ => rest_words.push(w),
            }
        }
        // Keep the command text exactly as typed after the pattern and flags.
        let cmd = if rest_words.is_empty() {
            String::new()
        } else {
            let first = rest_words[0];
            let start = args.rfind(first).map(|i| {
                let mut idx = i;
                // `rfind` may hit a later repeat; find the occurrence after the pattern instead.
                if let Some(p) = &pattern {
                    if let Some(pi) = args.find(p.as_str()) {
                        if let Some(j) = args[pi + p.len()..].find(first) {
                            idx = pi + p.len() + j;
                        }
                    }
                }
                idx
            });
            start.map(|s| args[s..].to_string()).unwrap_or_default()
        };
        if bang {
            let g = if explicit_group.is_some() { Some(explicit_group) } else { Some(group) };
            match &events {
                None => {
                    self.autocmds.remove(g, None, pattern.as_deref(), None);
                }
                Some(evs) => {
                    for e in evs {
                        self.autocmds.remove(g, Some(*e), pattern.as_deref(), None);
                    }
                }
            }
        }
        if cmd.is_empty() {
            if !bang {
                self.list_autocmds(events.as_deref(), pattern.as_deref());
            }
            return Ok(());
        }
        let events = events.ok_or_else(|| ExError::Msg("E1155: Cannot define autocommands for ALL events".into()))?;
        let pattern = pattern.ok_or(ExError::ArgumentRequired)?;
        let (buffer, pattern) =
            if pattern.starts_with("<buffer") { (Some(self.buf_id()), String::new()) } else { (None, pattern) };
        for e in events {
            self.autocmds.add(Autocmd {
                id: 0,
                group,
                event: e,
                pattern: pattern.clone(),
                buffer,
                once,
                nested,
                action: Action::Command(cmd.clone()),
                desc: None,
            });
        }
        Ok(())
    }

    fn list_autocmds(&mut self, events: Option<&[Event]>, pattern: Option<&str>) {
        let mut out = vec!["--- Autocommands ---".to_string()];
        for a in self.autocmds.all() {
            if events.is_some_and(|e| !e.contains(&a.event)) || pattern.is_some_and(|p| p != a.pattern) {
                continue;
            }
            let group = a.group.and_then(|g| self.autocmds.group_name(g)).map(|g| format!("{g}  ")).unwrap_or_default();
            let what = match &a.action {
                Action::Command(c) => c.clone(),
                Action::Callback(id) => format!("<callback {}>", id.0),
            };
            out.push(format!("{group}{}\n    {}  {what}", a.event, a.pattern));
        }
        self.messages.echo(out.join("\n"));
    }

    fn doautocmd_command(&mut self, args: &str) -> Result<(), ExError> {
        let mut words = args.split_whitespace();
        let first = words.next().ok_or(ExError::ArgumentRequired)?;
        let event_word = if self.autocmds.group_id(first).is_some() && first.parse::<Event>().is_err() {
            words.next().ok_or(ExError::ArgumentRequired)?
        } else {
            first
        };
        let events: Vec<Event> = event_word
            .split(',')
            .map(|e| e.parse::<Event>())
            .collect::<Result<_, _>>()
            .map_err(|e| ExError::Msg(e.to_string()))?;
        let name = words.collect::<Vec<_>>().join(" ");
        for e in events {
            let mut a = self.buf_event_args(self.buf_id());
            if !name.is_empty() || e == Event::User {
                a.matched = name.clone();
                a.file = name.clone();
            }
            let matched_any = !self.autocmds.matching(e, &a).is_empty();
            self.fire_explicitly(e, a, None);
            if !matched_any && e != Event::User {
                self.messages.info("No matching autocommands");
            }
        }
        Ok(())
    }

    fn silent_command(&mut self, cmd: &str, bang: bool) -> Result<(), ExError> {
        self.messages.silent += 1;
        if bang {
            self.messages.silent_errors += 1;
        }
        let result = self.execute_ex(cmd);
        self.messages.silent -= 1;
        if bang {
            self.messages.silent_errors -= 1;
            return Ok(());
        }
        result
    }

    /// Fires `User {name}` (`:doautocmd User name`, `nvim_exec_autocmds("User", ...)`).
    pub fn fire_user(&mut self, name: &str, data: Option<String>) {
        let mut a = self.buf_event_args(self.buf_id());
        a.matched = name.to_string();
        a.file = name.to_string();
        a.data = data;
        self.fire(Event::User, a);
    }
}

/// Whether `name` can name a variable (`x`, `g:x`, `my_var2`).
fn valid_name(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
}

/// The index of the `]` that closes a `[` whose inside starts `s` (quotes and nesting skipped).
fn matching_bracket(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '[') => depth += 1,
            (None, ']') if depth == 0 => return Some(i),
            (None, ']') => depth -= 1,
            _ => {}
        }
    }
    None
}

/// `:let` with an operator on an existing value (`+=`, `-=`, `.=`...).
fn combine_values(op: &str, old: Option<Value>, rhs: Value, name: &str) -> Result<Value, ExError> {
    let Some(old) = old else {
        return if op == "=" { Ok(rhs) } else { Err(ExError::Msg(format!("E121: Undefined variable: {name}"))) };
    };
    Ok(match op {
        "=" => rhs,
        ".=" | "..=" => Value::String(format!("{}{}", old.to_string_value()?, rhs.to_string_value()?)),
        "+=" => match (&old, &rhs) {
            (Value::List(a), Value::List(b)) => Value::List(a.iter().chain(b).cloned().collect()),
            _ => Value::Number(old.to_number()?.wrapping_add(rhs.to_number()?)),
        },
        "-=" => Value::Number(old.to_number()?.wrapping_sub(rhs.to_number()?)),
        "*=" => Value::Number(old.to_number()?.wrapping_mul(rhs.to_number()?)),
        _ => {
            let d = rhs.to_number()?;
            Value::Number(if d == 0 { 0 } else { old.to_number()?.wrapping_div(d) })
        }
    })
}

/// Sets the item at `path` inside `v` to what `make` gives for its old value (missing dictionary
/// keys are created; list indexes must exist, as in Vim).
fn assign_path(
    v: &mut Value,
    path: &[Value],
    make: &mut dyn FnMut(Option<Value>) -> Result<Value, ExError>,
) -> Result<(), ExError> {
    let Some((key, rest)) = path.split_first() else {
        *v = make(Some(v.clone()))?;
        return Ok(());
    };
    match v {
        Value::Dict(d) => {
            let k = match key {
                Value::Number(n) => n.to_string(),
                other => other.to_string_value()?,
            };
            match d.get_mut(&k) {
                Some(item) => assign_path(item, rest, make),
                None if rest.is_empty() => {
                    let new = make(None)?;
                    d.insert(k, new);
                    Ok(())
                }
                None => Err(ExError::Msg(format!("E716: Key not present in Dictionary: \"{k}\""))),
            }
        }
        Value::List(l) => {
            let idx = key.to_number()?;
            let len = l.len() as i64;
            let i = if idx < 0 { len + idx } else { idx };
            let item = usize::try_from(i)
                .ok()
                .and_then(|i| l.get_mut(i))
                .ok_or_else(|| ExError::Msg(format!("E684: List index out of range: {idx}")))?;
            assign_path(item, rest, make)
        }
        _ => Err(ExError::Msg("E689: Can only index a List, Dictionary or Blob".into())),
    }
}
