//! Where file work stands, as one value: opening, saving, asking before discarding,
//! waiting for a Save As path, closing. The continuation ("then quit", "then open that
//! file") lives here and nowhere else, so a background save carries only its result and a
//! dialog returns only what the user chose.

use crate::storage::recovery::Recoverable;
use crate::sync::net::ShareLink;
use std::path::{Path, PathBuf};

/// What waits for the open document to be saved (or discarded on purpose).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AfterSave {
    Nothing,
    NewDocument,
    Open,
    OpenPath(PathBuf),
    Quit,
    /// Bring back the work a crash left in this recovery copy.
    Restore(Box<Recoverable>),
    /// Open the live blog shared behind this link.
    Join(Box<ShareLink>),
}

#[derive(Debug, Default)]
pub enum FileFlow {
    #[default]
    Idle,
    /// A question is on screen (unsaved changes, or a save conflict); `then` runs if the
    /// answer lets it.
    Asking { then: AfterSave },
    /// The Save As path is being chosen; `then` runs once the save has succeeded.
    ChoosingSaveAs { then: AfterSave },
    /// A file (or a recovered copy) is being read; editing waits for it.
    Opening { what: PathBuf },
    /// A save runs in the background. `serial` is the document state being written;
    /// `then` runs once it has succeeded; `close_requested` when the window was asked to
    /// close meanwhile.
    Saving {
        serial: u64,
        then: AfterSave,
        close_requested: bool,
    },
    /// The user agreed to close (saved, or discarded on purpose): nothing more is asked.
    Closing,
}

impl FileFlow {
    /// What is being opened, while it is.
    pub fn opening(&self) -> Option<&Path> {
        match self {
            FileFlow::Opening { what } => Some(what),
            _ => None,
        }
    }

    pub fn is_opening(&self) -> bool {
        matches!(self, FileFlow::Opening { .. })
    }

    pub fn is_saving(&self) -> bool {
        matches!(self, FileFlow::Saving { .. })
    }

    pub fn is_closing(&self) -> bool {
        matches!(self, FileFlow::Closing)
    }

    /// Why a new piece of file work cannot start now, if it cannot.
    pub fn busy_reason(&self) -> Option<&'static str> {
        match self {
            FileFlow::Opening { .. } => Some("Wait until the file being opened has arrived."),
            FileFlow::Saving { .. } => Some("Wait until the save has finished."),
            _ => None,
        }
    }

    /// Takes what waited on a question or a Save As path, leaving the flow idle.
    pub fn take_waiting(&mut self) -> AfterSave {
        match std::mem::take(self) {
            FileFlow::Asking { then } | FileFlow::ChoosingSaveAs { then } => then,
            other => {
                *self = other;
                AfterSave::Nothing
            }
        }
    }

    /// A question or a path dialog was cancelled: whatever waited on it waits no more.
    pub fn cancel_waiting(&mut self) {
        self.take_waiting();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cancelled_question_drops_what_waited_but_not_a_running_save() {
        let mut flow = FileFlow::Asking {
            then: AfterSave::Quit,
        };
        flow.cancel_waiting();
        assert!(matches!(flow, FileFlow::Idle));
        let mut flow = FileFlow::Saving {
            serial: 3,
            then: AfterSave::Quit,
            close_requested: false,
        };
        assert_eq!(flow.take_waiting(), AfterSave::Nothing);
        assert!(flow.is_saving(), "a running save keeps its continuation");
    }
}
