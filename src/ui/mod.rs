//! The eframe app: draws state and emits edits and commands.

use std::path::PathBuf;
use std::process::ExitCode;

/// Opens the editor window on `file`, or on the bundled sample when there is none.
pub fn run(file: Option<PathBuf>) -> ExitCode {
    let _ = file;
    ExitCode::SUCCESS
}
