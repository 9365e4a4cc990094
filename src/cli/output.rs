//! Printing for the headless commands. Like any Unix tool, a command whose reader went
//! away (`newsdesk check FILE | head -1`) stops printing quietly instead of panicking,
//! and still ends with the exit code its work deserves.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);
static STDERR_CLOSED: AtomicBool = AtomicBool::new(false);

/// A line on standard output; nothing once the reader has gone.
pub fn line(text: std::fmt::Arguments<'_>) {
    write_line(&mut std::io::stdout().lock(), &STDOUT_CLOSED, text);
}

/// A line on standard error; nothing once it has been closed.
pub fn error_line(text: std::fmt::Arguments<'_>) {
    write_line(&mut std::io::stderr().lock(), &STDERR_CLOSED, text);
}

fn write_line(out: &mut dyn Write, closed: &AtomicBool, text: std::fmt::Arguments<'_>) {
    if closed.load(Ordering::Relaxed) {
        return;
    }
    if out
        .write_fmt(text)
        .and_then(|()| out.write_all(b"\n"))
        .is_err()
    {
        // A closed pipe (or a full disk behind a redirect): stop trying.
        closed.store(true, Ordering::Relaxed);
    }
}

/// `println!` that never panics on a closed pipe.
macro_rules! say {
    ($($arg:tt)*) => { $crate::cli::output::line(format_args!($($arg)*)) };
}

/// `eprintln!` that never panics on a closed pipe.
macro_rules! complain {
    ($($arg:tt)*) => { $crate::cli::output::error_line(format_args!($($arg)*)) };
}

pub(crate) use {complain, say};
