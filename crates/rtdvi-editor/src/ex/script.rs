//! `:lua`, `:luafile`, `:runtime`, `:packadd` and `:source file.lua`: handed to the editor's
//! [`crate::editor::ScriptHost`] (the Lua plugin host), which is taken out while it runs.

use super::ExError;
use crate::editor::Editor;

impl Editor {
    /// Runs a script command through the script host.
    pub(crate) fn script_command(&mut self, name: &str, bang: bool, args: &str) -> Result<(), ExError> {
        let Some(mut host) = self.script_host.take() else {
            return Err(ExError::Msg(format!("E319: Sorry, the command is not available in this version: {name}")));
        };
        let result = host.ex_command(self, name, bang, args);
        // The running host stays in charge, even if it installed another one meanwhile.
        self.script_host = Some(host);
        result.map_err(ExError::Msg)
    }
}

impl Editor {
    /// Lets the script host run what is due (the front end calls this each turn of its loop,
    /// headless start-up after each command); returns how soon to call again.
    pub fn run_idle(&mut self) -> Option<std::time::Duration> {
        let mut host = self.script_host.take()?;
        let next = host.idle(self);
        self.script_host = Some(host);
        next
    }
}

#[cfg(test)]
mod tests {
    use crate::editor::{Editor, ScriptHost};

    /// Records what it was asked to run.
    struct Recorder(std::rc::Rc<std::cell::RefCell<Vec<String>>>);

    impl ScriptHost for Recorder {
        fn ex_command(&mut self, _editor: &mut Editor, name: &str, bang: bool, args: &str) -> Result<(), String> {
            self.0.borrow_mut().push(format!("{name}{} {args}", if bang { "!" } else { "" }));
            if args == "fail" {
                return Err("E5108: Error executing lua: boom".into());
            }
            Ok(())
        }
    }

    #[test]
    fn script_commands_reach_the_host() {
        let mut ed = Editor::new();
        assert!(ed.execute_ex("lua print(1)").is_err(), "no host: E319");
        let log = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
        ed.script_host = Some(Box::new(Recorder(log.clone())));
        ed.execute_ex("lua print(1)").unwrap();
        ed.execute_ex("luafile x.lua").unwrap();
        ed.execute_ex("runtime! plugin/*.lua").unwrap();
        ed.execute_ex("packadd foo").unwrap();
        ed.execute_ex("source /tmp/init.lua").unwrap();
        let err = ed.execute_ex("lua fail").unwrap_err();
        assert_eq!(err.to_string(), "E5108: Error executing lua: boom");
        assert_eq!(
            *log.borrow(),
            [
                "lua print(1)",
                "luafile x.lua",
                "runtime! plugin/*.lua",
                "packadd foo",
                "source /tmp/init.lua",
                "lua fail"
            ]
        );
        assert!(ed.script_host.is_some());
    }
}
