//! The `newsdesk` command: opens the editor, or runs a headless command.

mod cli;

fn main() -> std::process::ExitCode {
    cli::run()
}
