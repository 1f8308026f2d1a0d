//! The rtdvi binary: parses Neovim-compatible arguments and runs the editor.

mod cli;
mod exmode;
mod lua;
mod startup;

use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = match cli::parse(std::env::args()) {
        Ok(a) => a,
        Err(e) => {
            let _ =
                writeln!(std::io::stderr(), "rtdvi: {}", e.to_string().lines().next().unwrap_or("invalid arguments"));
            let _ = writeln!(std::io::stderr(), "More info with \"rtdvi -h\"");
            return ExitCode::from(1);
        }
    };
    if args.help {
        print!("{}", cli::help_text());
        return ExitCode::SUCCESS;
    }
    if args.version {
        println!("rtdvi {}", env!("CARGO_PKG_VERSION"));
        return ExitCode::SUCCESS;
    }
    // Lua plugins re-enter the WebAssembly engine through nested host calls; give them the
    // native stack they may need (reserved, not committed, until used).
    let editor = std::thread::Builder::new()
        .name("rtdvi".into())
        .stack_size(rtdvi_lua::RECOMMENDED_STACK_BYTES)
        .spawn(move || startup::run(args));
    let code = match editor.map(|h| h.join()) {
        Ok(Ok(code)) => code,
        Ok(Err(panic)) => std::panic::resume_unwind(panic),
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "rtdvi: cannot start: {e}");
            1
        }
    };
    ExitCode::from(u8::try_from(code.clamp(0, 255)).unwrap_or(1))
}
