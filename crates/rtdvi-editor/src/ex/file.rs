//! File, buffer and quit commands: `:w :wa :wq :x :q :qa :cq :e :enew :r :f :b :bn :bp :ls :bd :pwd :cd`.

use std::path::{Path, PathBuf};

use ropey::Rope;
use rtdvi_core::codec::{EncodeOptions, FileFormat};

use super::{Cmd, ExError};
use crate::buffer::BufferId;
use crate::editor::Editor;
use crate::events::Event;
use crate::fileio::{self, FileError, WriteMode};
use crate::options::{self, OptionValue, SetScope};

impl From<FileError> for ExError {
    fn from(e: FileError) -> Self {
        ExError::Msg(e.to_string())
    }
}

/// What a write command should do.
struct WriteRequest<'a> {
    buf: BufferId,
    /// Target file given on the command line (`None`: the buffer's own file).
    target: Option<&'a str>,
    force: bool,
    append: bool,
    /// Only part of the buffer (`:5,10w file`).
    lines: Option<(usize, usize)>,
}

impl Editor {
    pub(super) fn file_command(&mut self, c: &Cmd<'_>) -> Result<(), ExError> {
        let args = c.args.trim();
        match c.name {
            "write" | "update" => {
                if c.name == "update" && !self.buf().is_modified() {
                    return Ok(());
                }
                let (append, target) = match args.strip_prefix(">>") {
                    Some(t) => (true, t.trim()),
                    None => (false, args),
                };
                // A line number 0 means line 1 here, as in Vim (`:w` takes no zero range).
                let lines = (c.range.given > 0).then_some((c.range.start.max(1), c.range.end.max(1)));
                let target = (!target.is_empty()).then_some(target);
                self.write_buffer(WriteRequest { buf: self.buf_id(), target, force: c.bang, append, lines })
            }
            "wall" => self.write_all(c.bang),
            "wq" | "xit" | "exit" => {
                let target = (!args.is_empty()).then_some(args);
                if c.name == "wq" || self.buf().is_modified() || target.is_some() {
                    self.write_buffer(WriteRequest {
                        buf: self.buf_id(),
                        target,
                        force: c.bang,
                        append: false,
                        lines: None,
                    })?;
                }
                self.quit_window(c.bang)
            }
            "wqall" | "xall" => {
                self.write_all(c.bang)?;
                self.quit_all(c.bang)
            }
            "quit" => self.quit_window(c.bang),
            "quitall" | "qall" => self.quit_all(c.bang),
            "cquit" => {
                let code =
                    if args.is_empty() { 1 } else { args.parse::<i32>().map_err(|_| ExError::InvalidArgument)? };
                self.leave(code);
                Ok(())
            }
            "edit" => self.edit_command(args, c.bang),
            "enew" => {
                if !c.bang && !self.opt("hidden").as_bool() && self.buf().is_modified() {
                    return Err(ExError::NoWrite);
                }
                let id = self.create_buffer(None);
                self.switch_to_buffer(id);
                Ok(())
            }
            "read" => self.read_command(args, c.range),
            "file" => self.file_info_command(args),
            "buffer" => self.buffer_command(args, c.bang),
            "bnext" | "bNext" | "bprevious" => {
                let count =
                    if args.is_empty() { 1 } else { args.parse::<usize>().map_err(|_| ExError::InvalidArgument)? };
                self.cycle_buffer(if c.name == "bnext" { count as i64 } else { -(count as i64) })
            }
            "bfirst" | "blast" => {
                let ids = self.listed_buffers();
                let id = if c.name == "bfirst" { ids.first() } else { ids.last() };
                let id = *id.ok_or(ExError::Msg("E85: There is no listed buffer".into()))?;
                self.switch_to_buffer(id);
                Ok(())
            }
            "buffers" | "files" | "ls" => {
                self.list_buffers(c.bang);
                Ok(())
            }
            "bdelete" | "bwipeout" => self.delete_buffer_command(args, c.bang, c.name == "bwipeout"),
            "pwd" => {
                let text = self.cwd.display().to_string();
                self.messages.echo(text);
                Ok(())
            }
            "cd" => self.cd_command(args),
            "source" => {
                if args.is_empty() {
                    return Err(ExError::ArgumentRequired);
                }
                let path = self.absolute(Path::new(args));
                if path.extension().is_some_and(|e| e == "lua") {
                    return self.script_command("source", c.bang, &path.to_string_lossy());
                }
                self.source_file(&path)
            }
            _ => Err(ExError::NotEditorCommand(c.name.to_string())),
        }
    }

    /// Encoding settings for writing a buffer, following Vim's 'fileformat', 'eol', 'fixeol', 'bomb'.
    fn encode_options(&self, buf: BufferId) -> EncodeOptions {
        let Some(b) = self.buffers.get(&buf) else {
            return EncodeOptions { fileformat: FileFormat::Unix, final_newline: true, bom: false };
        };
        let fileformat = FileFormat::from_name(&b.opt_string("fileformat")).unwrap_or_default();
        // A buffer that is one empty line and came from an empty (or no) file writes 0 bytes, as Vim does.
        let empty = b.text.len_chars() == 0 && (b.file_was_empty || b.is_modified());
        let final_newline = !empty && (b.opt_bool("endofline") || b.opt_bool("fixendofline"));
        EncodeOptions { fileformat, final_newline, bom: b.opt_bool("bomb") }
    }

    fn write_buffer(&mut self, req: WriteRequest<'_>) -> Result<(), ExError> {
        let own_path = self.buffers.get(&req.buf).and_then(|b| b.path.clone());
        let target: PathBuf = match (req.target, &own_path) {
            (Some(t), _) => PathBuf::from(t),
            (None, Some(p)) => p.clone(),
            (None, None) => return Err(ExError::Msg("E32: No file name".into())),
        };
        let abs = self.absolute(&target);
        let is_own = own_path.as_ref().is_some_and(|p| self.absolute(p) == abs);
        // Writing a nameless buffer to a file gives the buffer that name (Vim's 'cpoptions' F).
        let names_buffer = own_path.is_none() && req.lines.is_none() && !req.append;
        let whole = req.lines.is_none() && !req.append;
        let b = self.buffers.get(&req.buf).ok_or(ExError::InvalidArgument)?;
        if !req.force && !req.append {
            if b.opt_bool("readonly") && (is_own || names_buffer) {
                return Err(ExError::Msg("E45: 'readonly' option is set (add ! to override)".into()));
            }
            if !is_own && !names_buffer && abs.exists() {
                return Err(ExError::Msg("E13: File exists (add ! to override)".into()));
            }
            if is_own {
                if let Some(stamp) = &b.stamp {
                    fileio::check_unchanged(&abs, stamp)?;
                }
            }
        }
        let existed = abs.exists();
        let mut args = self.buf_event_args(req.buf);
        args.file = target.display().to_string();
        args.matched = abs.display().to_string();
        // BufWritePre may still change the text (formatters do): build what to write after it.
        self.fire(Event::BufWritePre, args.clone());
        let opts = self.encode_options(req.buf);
        let b = self.buffers.get(&req.buf).ok_or(ExError::InvalidArgument)?;
        let rope: Rope = match req.lines {
            Some((s, e)) if !(s <= 1 && e >= b.line_count()) => {
                let start = b.line_start(s.saturating_sub(1));
                let end = if e >= b.line_count() { b.text.len_chars() } else { b.line_start(e) - 1 };
                Rope::from(b.text.slice(start..end))
            }
            // A rope clone shares its chunks: no copy of the text.
            _ => b.text.clone(),
        };
        let report = fileio::write_file(&abs, &rope, &opts, WriteMode { force: req.force, append: req.append })?;
        let shown = target.display().to_string();
        let new = if existed || req.append { "" } else { " [New]" };
        let appended = if req.append { " appended" } else { " written" };
        self.messages.info(format!("\"{shown}\"{new} {}L, {}B{appended}", report.lines, report.bytes));
        if names_buffer {
            if let Some(b) = self.buffers.get_mut(&req.buf) {
                b.path = Some(target.clone());
            }
            self.detect_filetype(req.buf);
        }
        if whole && (is_own || names_buffer) {
            if let Some(b) = self.buffers.get_mut(&req.buf) {
                b.stamp = Some(report.stamp);
                b.set_modified(false);
                b.file_was_empty = report.bytes == 0;
                b.options
                    .set(options::id("endofline"), OptionValue::Bool(opts.final_newline || b.opt_bool("endofline")));
                if let Some(swap) = b.swap.take() {
                    // The file now holds the text: the journal has nothing left to recover.
                    let _ = swap.remove();
                }
            }
        } else if !is_own {
            self.alternate_file = Some(target.clone());
        }
        self.fire(Event::BufWritePost, args);
        Ok(())
    }

    fn write_all(&mut self, force: bool) -> Result<(), ExError> {
        let ids: Vec<BufferId> = self.buffers.values().filter(|b| b.is_modified()).map(|b| b.id).collect();
        let mut first_err = None;
        for id in ids {
            if self.buffers.get(&id).is_some_and(|b| b.path.is_none()) {
                first_err
                    .get_or_insert(ExError::Msg("E141: No file name for buffer".to_string() + &format!(" {}", id.0)));
                continue;
            }
            if let Err(e) = self.write_buffer(WriteRequest { buf: id, target: None, force, append: false, lines: None })
            {
                first_err.get_or_insert(e);
            }
        }
        first_err.map_or(Ok(()), Err)
    }

    /// `:q`: closes the window, or leaves the editor in the last one.
    fn quit_window(&mut self, force: bool) -> Result<(), ExError> {
        let buf = self.buf_id();
        let shown_elsewhere = self.windows.iter().any(|w| w.id != self.current && w.buffer == buf);
        if self.windows.len() > 1 {
            if !force && !shown_elsewhere && !self.opt("hidden").as_bool() && self.buf().is_modified() {
                return Err(ExError::NoWrite);
            }
            self.close_window(self.current);
            return Ok(());
        }
        if !force {
            if self.buf().is_modified() {
                return Err(ExError::NoWrite);
            }
            if let Some(other) = self.buffers.values().find(|b| b.is_modified() && b.id != buf) {
                let name = self.buffer_display_name(other.id);
                return Err(ExError::NoWriteBuffer(name));
            }
        }
        self.leave(0);
        Ok(())
    }

    fn quit_all(&mut self, force: bool) -> Result<(), ExError> {
        if !force {
            if self.buf().is_modified() {
                return Err(ExError::NoWrite);
            }
            if let Some(other) = self.buffers.values().find(|b| b.is_modified()) {
                let name = self.buffer_display_name(other.id);
                return Err(ExError::NoWriteBuffer(name));
            }
        }
        self.leave(0);
        Ok(())
    }

    /// Leaves the editor: fires VimLeavePre, removes swap files of unmodified buffers.
    pub fn leave(&mut self, code: i32) {
        let shown: Vec<BufferId> = self.windows.iter().map(|w| w.buffer).collect();
        for id in shown {
            let args = self.buf_event_args(id);
            self.fire(Event::BufWinLeave, args.clone());
            self.fire(Event::BufUnload, args);
        }
        self.fire(Event::VimLeavePre, Default::default());
        for b in self.buffers.values_mut() {
            // Quitting with `:q!` discards the changes on purpose: the journal goes too, as in Vim.
            if let Some(swap) = b.swap.take() {
                let _ = swap.remove();
            }
        }
        self.exit_code = Some(code);
    }

    /// Closes a window (not the last one).
    pub fn close_window(&mut self, id: crate::window::WindowId) {
        if self.windows.len() <= 1 {
            return;
        }
        if !self.windows.iter().any(|w| w.id == id) {
            return;
        }
        if id == self.current {
            self.fire(Event::WinLeave, Default::default());
        }
        self.remove_window(id);
    }

    fn edit_command(&mut self, args: &str, force: bool) -> Result<(), ExError> {
        if args.is_empty() {
            // `:e` re-reads the current file; `:e!` discards changes.
            let Some(path) = self.buf().path.clone() else {
                if force {
                    return Ok(());
                }
                return Err(ExError::Msg("E32: No file name".into()));
            };
            if self.buf().is_modified() && !force {
                return Err(ExError::NoWrite);
            }
            let id = self.buf_id();
            return self.load_into(id, &path, true);
        }
        let path = PathBuf::from(args);
        if let Some(existing) = self.find_buffer_by_path(&path) {
            self.switch_to_buffer(existing);
            return Ok(());
        }
        if !force && !self.opt("hidden").as_bool() && self.buf().is_modified() {
            return Err(ExError::NoWrite);
        }
        self.open_file(&path).map(|_| ())
    }

    /// Opens a file in a new buffer shown in the current window (Neovim's event order), or reports
    /// why it can't be read. An unreadable file never becomes an empty buffer that could overwrite it.
    pub fn open_file(&mut self, path: &Path) -> Result<BufferId, ExError> {
        self.open_file_as(path, false, true)
    }

    /// Opens the first file named on the command line: it takes over the initial buffer without
    /// buffer-creation events, and BufWinEnter comes before BufEnter, as in Neovim's start-up.
    /// `warn_swap` is off for `-r`, which is about to use the swap file it would warn about.
    pub fn open_startup_file(&mut self, path: &Path, warn_swap: bool) -> Result<BufferId, ExError> {
        self.open_file_as(path, true, warn_swap)
    }

    fn open_file_as(&mut self, path: &Path, startup: bool, warn_swap: bool) -> Result<BufferId, ExError> {
        let abs = self.absolute(path);
        if abs.is_dir() {
            return Err(ExError::Msg(format!("E502: \"{}\" is a directory", path.display())));
        }
        // Read first so a failure leaves everything as it was.
        let loaded = match fileio::read_file(&abs) {
            Ok(l) => Some(l),
            Err(FileError::NotFound(_)) => None,
            Err(e) => return Err(e.into()),
        };
        // The initial empty, unnamed, unmodified buffer is reused, as in Vim (same number).
        let reuse = {
            let b = self.buf();
            b.path.is_none() && !b.is_modified() && b.text.len_chars() == 0 && b.undo.seq_last() == 0
        };
        let id = if reuse {
            let id = self.buf_id();
            if !startup {
                let old = self.buf_event_args(id);
                self.fire(Event::BufUnload, old.clone());
                self.fire(Event::BufDelete, old);
            }
            if let Some(b) = self.buffers.get_mut(&id) {
                b.path = Some(path.to_path_buf());
            }
            if !startup {
                let args = self.buf_event_args(id);
                self.fire(Event::BufNew, args.clone());
                self.fire(Event::BufAdd, args);
            }
            id
        } else {
            let id = self.create_buffer(Some(path.to_path_buf()));
            self.show_in_current_window(id);
            id
        };
        let args = self.buf_event_args(id);
        match loaded {
            Some(l) => {
                self.fire(Event::BufReadPre, args.clone());
                self.install_loaded(id, l);
                self.fire(Event::BufReadPost, args.clone());
            }
            None => self.fire(Event::BufNewFile, args.clone()),
        }
        self.detect_filetype(id);
        if startup {
            self.fire(Event::BufWinEnter, args.clone());
            self.fire(Event::BufEnter, args);
        } else {
            self.fire(Event::BufEnter, args.clone());
            self.fire(Event::BufWinEnter, args);
        }
        if warn_swap {
            self.check_swap_exists(id);
        }
        Ok(id)
    }

    /// Adds a file as a listed buffer without showing it (the files after the first on the command line).
    pub fn add_file_buffer(&mut self, path: &Path) -> Result<BufferId, ExError> {
        if let Some(existing) = self.find_buffer_by_path(path) {
            return Ok(existing);
        }
        let id = self.create_buffer(Some(path.to_path_buf()));
        // Neovim loads argument-list files lazily; we read them now so errors show at start-up.
        let abs = self.absolute(path);
        match fileio::read_file(&abs) {
            Ok(l) => self.install_loaded(id, l),
            Err(FileError::NotFound(_)) => {}
            Err(e) => {
                self.buffers.remove(&id);
                return Err(e.into());
            }
        }
        self.detect_filetype(id);
        Ok(id)
    }

    /// Runs the ex commands of a file (`:source`, `-u file.vim`): `"` comments, `\` continuation lines.
    pub fn source_file(&mut self, path: &Path) -> Result<(), ExError> {
        let bytes =
            std::fs::read(path).map_err(|e| ExError::Msg(format!("E484: Can't open file {}: {e}", path.display())))?;
        let text = String::from_utf8_lossy(&bytes);
        let mut lines: Vec<String> = Vec::new();
        for raw in text.lines() {
            let trimmed = raw.trim_start();
            if let Some(cont) = trimmed.strip_prefix('\\') {
                if let Some(last) = lines.last_mut() {
                    last.push_str(cont);
                    continue;
                }
            }
            lines.push(raw.to_string());
        }
        for (i, line) in lines.iter().enumerate() {
            let t = line.trim();
            if t.is_empty() || t.starts_with('"') {
                continue;
            }
            if let Err(e) = self.execute_ex(t) {
                self.messages.error(format!(
                    "Error detected while processing {}:\nline {:>4}:\n{e}",
                    path.display(),
                    i + 1
                ));
            }
            if self.exit_code.is_some() {
                break;
            }
        }
        Ok(())
    }

    /// Replaces the current buffer's text by what its swap file recorded (`rtdvi -r FILE`). The
    /// change is undoable (`u` shows the file as on disk) and leaves the buffer modified.
    pub fn recover_current(&mut self) -> Result<(), ExError> {
        let dir = self
            .swap_dir
            .clone()
            .ok_or_else(|| ExError::Msg("E305: No swap file found (swap files are disabled)".into()))?;
        let path = self.buf().path.clone().ok_or_else(|| ExError::Msg("E32: No file name".into()))?;
        let abs = self.absolute(&path);
        let info = crate::swap::probe(&dir, &abs)
            .ok_or_else(|| ExError::Msg(format!("E305: No swap file found for {}", path.display())))?;
        let rec = crate::swap::recover(&info.path)
            .map_err(|e| ExError::Msg(format!("E306: Cannot open {}: {e}", info.path.display())))?;
        let id = self.buf_id();
        let len = self.buf().text.len_chars();
        let new_text = rec.rope.to_string();
        let change = rtdvi_core::changeset::ChangeSet::from_edits(
            len,
            [rtdvi_core::changeset::Edit { start: 0, end: len, text: new_text }],
        )
        .map_err(|e| ExError::Msg(e.to_string()))?;
        self.apply_change(id, change)?;
        self.finish_command();
        // The new journal now holds the recovered text; the old one can go.
        if self.buf().swap.as_ref().is_some_and(|s| s.path() != info.path) {
            let _ = std::fs::remove_file(&info.path);
        }
        self.messages.info("Recovery completed. You should check if everything is OK.\n(You might want to write out this file under another name\nand run diff with the original file to check for changes)".to_string());
        Ok(())
    }

    /// Re-reads a buffer's file (`:e`, `:e!`).
    fn load_into(&mut self, id: BufferId, path: &Path, _reload: bool) -> Result<(), ExError> {
        let abs = self.absolute(path);
        let args = self.buf_event_args(id);
        match fileio::read_file(&abs) {
            Ok(l) => {
                self.fire(Event::BufReadPre, args.clone());
                self.install_loaded(id, l);
                self.fire(Event::BufReadPost, args);
            }
            Err(FileError::NotFound(_)) => {
                if let Some(b) = self.buffers.get_mut(&id) {
                    b.replace_all_text(Rope::new());
                }
            }
            Err(e) => return Err(e.into()),
        }
        self.detect_filetype(id);
        self.clamp_cursors(id);
        Ok(())
    }

    /// Puts a file's text and metadata into a buffer.
    fn install_loaded(&mut self, id: BufferId, l: fileio::LoadedFile) {
        let Some(b) = self.buffers.get_mut(&id) else { return };
        if let Some(swap) = b.swap.take() {
            let _ = swap.remove();
        }
        b.replace_all_text(l.rope);
        b.options.set(options::id("fileformat"), OptionValue::String(l.meta.fileformat.name().into()));
        b.options.set(options::id("endofline"), OptionValue::Bool(l.meta.eol));
        b.options.set(options::id("bomb"), OptionValue::Bool(l.meta.bom));
        b.options.set(options::id("fileencoding"), OptionValue::String("utf-8".into()));
        b.file_was_empty = l.meta.empty;
        b.stamp = Some(l.stamp);
        if l.meta.raw_bytes {
            let name = b.path.as_ref().map(|p| p.display().to_string()).unwrap_or_default();
            self.messages.warning(format!("\"{name}\" [invalid UTF-8 bytes kept as they are]"));
        }
        let Some(b) = self.buffers.get_mut(&id) else { return };
        b.file_meta = Some(l.meta);
    }

    /// Sets 'filetype' from the name and first line (firing FileType) when it is not set yet.
    pub fn detect_filetype(&mut self, id: BufferId) {
        let Some(b) = self.buffers.get(&id) else { return };
        let ft = crate::filetype::detect(b.path.as_deref(), &b.line(0));
        if ft.is_empty() || b.opt_string("filetype") == ft {
            return;
        }
        let cur = self.buf_id();
        if id == cur {
            self.set_option(options::id("filetype"), OptionValue::String(ft), SetScope::Local);
        } else if let Some(b) = self.buffers.get_mut(&id) {
            b.options.set(options::id("filetype"), OptionValue::String(ft));
        }
    }

    /// Warns like Vim's E325 when another swap file for this file exists.
    fn check_swap_exists(&mut self, id: BufferId) {
        let Some(dir) = self.swap_dir.clone() else { return };
        let Some(path) = self.buffers.get(&id).and_then(|b| b.path.clone()) else { return };
        let abs = self.absolute(&path);
        if let Some(info) = crate::swap::probe(&dir, &abs) {
            let running = if info.pid_running { " (STILL RUNNING)" } else { "" };
            self.messages.warning(format!(
                "E325: ATTENTION\nFound a swap file \"{}\"\n          owned by process ID: {}{running}\nWhile opening file \"{}\"\nRecover with: rtdvi -r {}",
                info.path.display(),
                info.pid,
                path.display(),
                path.display()
            ));
            self.fire(Event::SwapExists, self.buf_event_args(id));
        }
    }

    fn read_command(&mut self, args: &str, range: super::LineRange) -> Result<(), ExError> {
        if args.is_empty() {
            return Err(ExError::ArgumentRequired);
        }
        if args.starts_with('!') {
            return Err(ExError::Msg("E5500: :read !cmd is not available yet".into()));
        }
        let abs = self.absolute(Path::new(args));
        let loaded = fileio::read_file(&abs).map_err(|e| match e {
            FileError::NotFound(_) => ExError::Msg(format!("E484: Can't open file {args}")),
            other => other.into(),
        })?;
        let lines: Vec<String> = (0..loaded.rope.len_lines())
            .map(|i| {
                let l = loaded.rope.line(i).to_string();
                l.strip_suffix('\n').map(str::to_string).unwrap_or(l)
            })
            .collect();
        // An empty file adds nothing.
        let lines = if loaded.meta.empty { Vec::new() } else { lines };
        let after = if range.given == 0 { self.cursor().row + 1 } else { range.end };
        let change = self.buf().lines_change(after, after, &lines)?;
        let id = self.buf_id();
        self.apply_change(id, change)?;
        if !lines.is_empty() {
            self.cursor_to_first_nonblank(after);
        }
        Ok(())
    }

    fn file_info_command(&mut self, args: &str) -> Result<(), ExError> {
        if !args.is_empty() {
            let id = self.buf_id();
            let old = self.buf().path.clone();
            self.fire(Event::BufFilePre, self.buf_event_args(id));
            if let Some(b) = self.buffers.get_mut(&id) {
                b.path = Some(PathBuf::from(args));
                b.stamp = None;
            }
            if old.is_some() {
                self.alternate_file = old;
            }
            self.fire(Event::BufFilePost, self.buf_event_args(id));
            self.detect_filetype(id);
        }
        let b = self.buf();
        let name = self.buffer_display_name(b.id);
        let modified = if b.is_modified() { " [Modified]" } else { "" };
        let ro = if b.opt_bool("readonly") { " [readonly]" } else { "" };
        let lines = b.line_count();
        let lines = if b.text.len_chars() == 0 && b.file_was_empty { 0 } else { lines };
        let row = self.cursor().row + 1;
        let pct = (row * 100).checked_div(lines).unwrap_or(0);
        let text = if lines == 0 {
            format!("\"{name}\"{modified}{ro} --No lines in buffer--")
        } else {
            format!("\"{name}\"{modified}{ro} {lines} line{} --{pct}%--", if lines == 1 { "" } else { "s" })
        };
        self.messages.echo(text);
        Ok(())
    }

    /// Buffers shown by `:ls` and cycled by `:bn`.
    fn listed_buffers(&self) -> Vec<BufferId> {
        self.buffers.values().filter(|b| b.listed).map(|b| b.id).collect()
    }

    fn buffer_command(&mut self, args: &str, force: bool) -> Result<(), ExError> {
        if args.is_empty() {
            return Ok(());
        }
        let id = if let Ok(n) = args.parse::<u32>() {
            let id = BufferId(n);
            if !self.buffers.contains_key(&id) {
                return Err(ExError::Msg(format!("E86: Buffer {n} does not exist")));
            }
            id
        } else {
            let matches: Vec<BufferId> = self
                .buffers
                .values()
                .filter(|b| b.path.as_ref().is_some_and(|p| p.display().to_string().contains(args)))
                .map(|b| b.id)
                .collect();
            match matches.as_slice() {
                [one] => *one,
                [] => return Err(ExError::Msg(format!("E94: No matching buffer for {args}"))),
                _ => return Err(ExError::Msg(format!("E93: More than one match for {args}"))),
            }
        };
        if !force && !self.opt("hidden").as_bool() && self.buf().is_modified() && id != self.buf_id() {
            return Err(ExError::NoWrite);
        }
        self.switch_to_buffer(id);
        Ok(())
    }

    fn cycle_buffer(&mut self, delta: i64) -> Result<(), ExError> {
        let ids = self.listed_buffers();
        if ids.is_empty() {
            return Err(ExError::Msg("E85: There is no listed buffer".into()));
        }
        let cur = ids.iter().position(|i| *i == self.buf_id()).unwrap_or(0) as i64;
        let n = ids.len() as i64;
        let next = (cur + delta).rem_euclid(n) as usize;
        self.switch_to_buffer(ids[next]);
        Ok(())
    }

    fn list_buffers(&mut self, all: bool) {
        let cur = self.buf_id();
        let mut out = Vec::new();
        for b in self.buffers.values() {
            if !b.listed && !all {
                continue;
            }
            let shown = self.windows.iter().any(|w| w.buffer == b.id);
            let flag_cur = if b.id == cur {
                '%'
            } else if Some(b.id) == self.alternate {
                '#'
            } else {
                ' '
            };
            let active = if shown { 'a' } else { 'h' };
            let modified = if b.is_modified() { '+' } else { ' ' };
            let listed = if b.listed { ' ' } else { 'u' };
            let row = self.windows.iter().find(|w| w.buffer == b.id).map_or(1, |w| w.cursor.row + 1);
            let name = format!("\"{}\"", self.buffer_display_name(b.id));
            out.push(format!("{:>3}{listed}{flag_cur}{active} {modified} {name:<30} line {row}", b.id.0));
        }
        self.messages.echo(out.join("\n"));
    }

    fn delete_buffer_command(&mut self, args: &str, force: bool, wipe: bool) -> Result<(), ExError> {
        let id = if args.is_empty() {
            self.buf_id()
        } else {
            let n = args.parse::<u32>().map_err(|_| ExError::Msg(format!("E94: No matching buffer for {args}")))?;
            let id = BufferId(n);
            if !self.buffers.contains_key(&id) {
                return Err(ExError::Msg(format!("E516: No buffers were deleted: bd {n}")));
            }
            id
        };
        if !force && self.buffers.get(&id).is_some_and(|b| b.is_modified()) {
            return Err(ExError::Msg(format!(
                "E89: No write since last change for buffer {} (add ! to override)",
                id.0
            )));
        }
        let args_ev = self.buf_event_args(id);
        self.detach_all(id);
        if self.buf_id() == id {
            self.fire(Event::BufLeave, args_ev.clone());
        }
        if self.windows.iter().any(|w| w.buffer == id) {
            self.fire(Event::BufWinLeave, args_ev.clone());
        }
        self.fire(Event::BufUnload, args_ev.clone());
        self.fire(Event::BufDelete, args_ev.clone());
        if wipe {
            self.fire(Event::BufWipeout, args_ev.clone());
        }
        // Windows showing it move to another buffer (a new empty one if it was the last).
        let other = self.buffers.keys().copied().find(|b| *b != id && self.buffers.get(b).is_some_and(|x| x.listed));
        let replacement = match other {
            Some(o) => o,
            None => self.create_buffer(None),
        };
        let was_current = self.buf_id() == id;
        for w in self.windows.iter_mut().filter(|w| w.buffer == id) {
            w.buffer = replacement;
            w.cursor = Default::default();
        }
        if was_current {
            self.alternate = None;
            let args = self.buf_event_args(replacement);
            self.fire(Event::BufEnter, args.clone());
            self.fire(Event::BufWinEnter, args);
        }
        if let Some(mut b) = self.buffers.remove(&id) {
            if let Some(swap) = b.swap.take() {
                let _ = swap.remove();
            }
        }
        self.autocmds.remove_buffer(id);
        // Buffer-local commands and mappings go with the buffer; their callbacks are released.
        for cmd in self.user_commands.remove_buffer(id) {
            if let crate::user_command::UserAction::Callback(cb) = cmd.action {
                self.release_callback(cb);
            }
        }
        self.vi.mappings.remove_buffer(id);
        if self.alternate == Some(id) {
            self.alternate = None;
        }
        Ok(())
    }

    fn cd_command(&mut self, args: &str) -> Result<(), ExError> {
        let target = if args.is_empty() {
            std::env::var_os("HOME").map(PathBuf::from).ok_or(ExError::InvalidArgument)?
        } else if args == "-" {
            self.previous_cwd.clone().ok_or(ExError::Msg("E186: No previous directory".into()))?
        } else {
            self.absolute(Path::new(args))
        };
        if !target.is_dir() {
            return Err(ExError::Msg("E344: Can't find directory \"".to_string() + args + "\" in cdpath"));
        }
        let canonical = target.canonicalize().unwrap_or(target);
        self.previous_cwd = Some(std::mem::replace(&mut self.cwd, canonical));
        self.fire(Event::DirChanged, Default::default());
        Ok(())
    }
}
