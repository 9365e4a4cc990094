//! What a user can ask for while a frame is drawn. Panels and dialogs return these; the
//! app shell carries them out after drawing. Kept apart from both so that neither imports
//! the other.

use super::command::UiCommand;
use super::widgets::formatting::Format;
use super::widgets::writing_aids::WritingChoice;
use crate::checks::{Field, Fix};
use crate::edit::{Edit, EntryField};
use crate::model::EntryId;
use std::ops::Range;
use std::path::PathBuf;

/// Something the user asked for while the frame was drawn; applied after drawing, so
/// nothing changes the document from inside a widget.
#[derive(Clone, Debug)]
pub enum Action {
    Command(UiCommand),
    Select(EntryId),
    /// A change to one field of an entry (typing merges into one undo step per pause).
    SetField(EntryId, EntryField),
    /// A structural edit (reorder, pin) as its own undo step.
    Edit(&'static str, Edit),
    Format(Format),
    OpenRecent(PathBuf),
    UndoDelete,
    /// A jump or a fix asked for in the Checks panel.
    Checks(ChecksAction),
    /// An answer in the "changed on disk" banner.
    Disk(DiskChoice),
    /// "Scheduled" picked for an entry: for its own time if still ahead, else soon.
    Schedule(EntryId),
    /// A spelling menu choice or a writing-aids preference.
    Writing(WritingChoice),
    /// A picture or an embed to bring in (work off the UI thread, then an `Edit`).
    Media(MediaAction),
}

/// Pictures and embeds the entry editor asks for.
#[derive(Clone, Debug)]
pub enum MediaAction {
    /// Choose a picture file for the entry (the native dialog, or a typed path).
    ChooseImage(EntryId),
    /// Copy this picture file into the media folder and show it in the entry.
    ImportFile(EntryId, PathBuf),
    /// A picture pasted from the clipboard.
    ImportPixels(EntryId, std::sync::Arc<egui::ColorImage>),
    /// Fetch the card for the post at this address (oEmbed) into the entry's embed.
    FetchEmbed(EntryId, String),
}

/// What the user asked for in the panel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChecksAction {
    /// Show the entry (or the blog's settings when `entry` is `None`) and put the cursor in
    /// `field`, on `span` (a byte range of the field's text) when there is one.
    JumpTo {
        entry: Option<EntryId>,
        field: Option<Field>,
        span: Option<Range<usize>>,
    },
    /// Apply the fix: only if `fix.applies_to(blog)` (otherwise recheck first), as
    /// `fix.edit_at(now)` through the session, under the label `fix.label`.
    ApplyFix(Fix),
}

/// The answer to "export with errors?".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportChoice {
    ExportAnyway,
    ShowProblems,
    Cancel,
}

/// What the user answered in the banner.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DiskChoice {
    /// Load the file as it is on disk now (asks first when there are unsaved changes).
    Reload,
    /// Keep the document as it is in the editor; the next save asks before overwriting.
    KeepMine,
    /// The file was deleted: write it again.
    SaveAgain,
}
