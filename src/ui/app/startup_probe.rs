//! Cold-start measurement for BENCHMARKS.md: with `NEWSDESK_STARTUP_PROBE=1` in the
//! environment, the editor prints how long the first frame and the opened document took
//! from the start of the process, then closes itself.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

static PROCESS_START: OnceLock<Instant> = OnceLock::new();

/// Called first thing in `ui::run`, as close to the process start as the app gets.
pub fn mark_process_start() {
    PROCESS_START.get_or_init(Instant::now);
}

#[derive(Debug, Default)]
pub struct StartupProbe {
    first_frame: Option<Duration>,
}

impl StartupProbe {
    pub fn from_environment() -> Option<Self> {
        std::env::var_os("NEWSDESK_STARTUP_PROBE").map(|_| Self::default())
    }

    /// Records the frame; once the document is ready, prints the figures and returns
    /// true so the caller closes the window.
    pub fn frame(&mut self, document_ready: bool) -> bool {
        let Some(start) = PROCESS_START.get() else {
            return false;
        };
        let first_frame = *self.first_frame.get_or_insert_with(|| start.elapsed());
        if !document_ready {
            return false;
        }
        println!(
            "startup: first frame after {:.1} ms, document ready after {:.1} ms",
            first_frame.as_secs_f64() * 1e3,
            start.elapsed().as_secs_f64() * 1e3
        );
        true
    }
}
