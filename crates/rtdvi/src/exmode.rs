//! Ex mode: ex commands read line by line from standard input (`rtdvi -e`, and what `rtdvi FILE`
//! runs until the terminal UI exists).

use std::io::{BufRead, Write};

use rtdvi_editor::Editor;

/// Reads and runs ex commands until `:q` or the end of input.
pub fn run(ed: &mut Editor, prompt: bool) {
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    if prompt {
        eprintln!("rtdvi: ex mode (the full-screen interface is not built yet). Type :q to quit.");
    }
    loop {
        if prompt {
            let _ = write!(std::io::stderr(), ":");
            let _ = std::io::stderr().flush();
        }
        let Some(Ok(line)) = lines.next() else { break };
        ed.run_command_line(&line);
        // A line typed in ex mode is typed input: it closes the undo step.
        ed.sync_undo();
        crate::startup::flush(ed);
        ed.sync_swap_files();
        if ed.exit_code.is_some() {
            return;
        }
    }
    // End of input quits like Vim's `-es` does; unsaved changes stay in the journal.
    ed.fire(rtdvi_editor::events::Event::VimLeavePre, Default::default());
    crate::startup::flush(ed);
}
