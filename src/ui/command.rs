//! Everything a user can do, in one list. Menus, the shortcut handler and the help
//! window are all generated from `UiCommand`, so a command cannot exist in one and be
//! missing from another.

use egui::{Key, KeyboardShortcut, Modifiers};

/// The menu a command appears in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Menu {
    File,
    Edit,
    Entry,
    View,
    Help,
}

impl Menu {
    pub const ALL: [Menu; 5] = [Menu::File, Menu::Edit, Menu::Entry, Menu::View, Menu::Help];

    pub fn label(self) -> &'static str {
        match self {
            Menu::File => "File",
            Menu::Edit => "Edit",
            Menu::Entry => "Entry",
            Menu::View => "View",
            Menu::Help => "Help",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UiCommand {
    NewDocument,
    Open,
    Save,
    SaveAs,
    ExportHtml,
    ExportHtmlAs,
    PublishNow,
    BlogSettings,
    RecoverUnsaved,
    ShareLiveBlog,
    JoinLiveBlog,
    StopSharing,
    Quit,

    Undo,
    Redo,
    Find,
    ClearFind,

    NewPost,
    NewSummary,
    Publish,
    TogglePin,
    SetTimeNow,
    Delete,
    MoveUp,
    MoveDown,
    SortByTime,
    SelectPrevious,
    SelectNext,
    SelectPageUp,
    SelectPageDown,
    SelectFirst,
    SelectLast,
    Bold,
    Italic,
    Link,
    Quote,
    ForContext,

    ToggleTimeline,
    TogglePreview,
    TogglePagePreview,
    ToggleChecks,
    ToggleDarkMode,
    ZoomIn,
    ZoomOut,
    ZoomReset,

    ShowShortcuts,
}

/// A constant list of shortcuts (constants, so a `&'static` slice can be returned).
macro_rules! keys {
    ($($modifiers:expr, $key:expr);*) => {{
        const KEYS: &[KeyboardShortcut] = &[$(KeyboardShortcut::new($modifiers, $key)),*];
        KEYS
    }};
}

const CMD: Modifiers = Modifiers::COMMAND;
const CMD_SHIFT: Modifiers = Modifiers {
    shift: true,
    ..Modifiers::COMMAND
};
const CMD_ALT: Modifiers = Modifiers {
    alt: true,
    ..Modifiers::COMMAND
};

impl UiCommand {
    pub const ALL: &'static [UiCommand] = &[
        UiCommand::NewDocument,
        UiCommand::Open,
        UiCommand::Save,
        UiCommand::SaveAs,
        UiCommand::ExportHtml,
        UiCommand::ExportHtmlAs,
        UiCommand::PublishNow,
        UiCommand::BlogSettings,
        UiCommand::RecoverUnsaved,
        UiCommand::ShareLiveBlog,
        UiCommand::JoinLiveBlog,
        UiCommand::StopSharing,
        UiCommand::Quit,
        UiCommand::Undo,
        UiCommand::Redo,
        UiCommand::Find,
        UiCommand::ClearFind,
        UiCommand::NewPost,
        UiCommand::NewSummary,
        UiCommand::Publish,
        UiCommand::TogglePin,
        UiCommand::SetTimeNow,
        UiCommand::Delete,
        UiCommand::MoveUp,
        UiCommand::MoveDown,
        UiCommand::SortByTime,
        UiCommand::SelectPrevious,
        UiCommand::SelectNext,
        UiCommand::SelectPageUp,
        UiCommand::SelectPageDown,
        UiCommand::SelectFirst,
        UiCommand::SelectLast,
        UiCommand::Bold,
        UiCommand::Italic,
        UiCommand::Link,
        UiCommand::Quote,
        UiCommand::ForContext,
        UiCommand::ToggleTimeline,
        UiCommand::TogglePreview,
        UiCommand::TogglePagePreview,
        UiCommand::ToggleChecks,
        UiCommand::ToggleDarkMode,
        UiCommand::ZoomIn,
        UiCommand::ZoomOut,
        UiCommand::ZoomReset,
        UiCommand::ShowShortcuts,
    ];

    pub fn label(self) -> &'static str {
        match self {
            UiCommand::NewDocument => "New blog",
            UiCommand::Open => "Open…",
            UiCommand::Save => "Save",
            UiCommand::SaveAs => "Save As…",
            UiCommand::ExportHtml => "Export HTML",
            UiCommand::ExportHtmlAs => "Export HTML as…",
            UiCommand::PublishNow => "Publish now",
            UiCommand::BlogSettings => "Blog settings…",
            UiCommand::RecoverUnsaved => "Recover unsaved work…",
            UiCommand::ShareLiveBlog => "Share live blog…",
            UiCommand::JoinLiveBlog => "Join live blog…",
            UiCommand::StopSharing => "Stop sharing",
            UiCommand::Quit => "Quit",
            UiCommand::Undo => "Undo",
            UiCommand::Redo => "Redo",
            UiCommand::Find => "Find and filter",
            UiCommand::ClearFind => "Clear filter",
            UiCommand::NewPost => "New post",
            UiCommand::NewSummary => "New summary",
            UiCommand::Publish => "Publish / return to draft",
            UiCommand::TogglePin => "Pin / unpin",
            UiCommand::SetTimeNow => "Set time to now",
            UiCommand::Delete => "Delete entry",
            UiCommand::MoveUp => "Move up",
            UiCommand::MoveDown => "Move down",
            UiCommand::SortByTime => "Sort by time",
            UiCommand::SelectPrevious => "Previous entry",
            UiCommand::SelectNext => "Next entry",
            UiCommand::SelectPageUp => "A page up",
            UiCommand::SelectPageDown => "A page down",
            UiCommand::SelectFirst => "First entry",
            UiCommand::SelectLast => "Last entry",
            UiCommand::Bold => "Bold",
            UiCommand::Italic => "Italic",
            UiCommand::Link => "Link",
            UiCommand::Quote => "Quote",
            UiCommand::ForContext => "For context note",
            UiCommand::ToggleTimeline => "Show timeline",
            UiCommand::TogglePreview => "Show preview",
            UiCommand::TogglePagePreview => "Preview whole page",
            UiCommand::ToggleChecks => "Checks panel",
            UiCommand::ToggleDarkMode => "Dark mode",
            UiCommand::ZoomIn => "Larger text",
            UiCommand::ZoomOut => "Smaller text",
            UiCommand::ZoomReset => "Text at normal size",
            UiCommand::ShowShortcuts => "Keyboard shortcuts",
        }
    }

    /// The keys that run the command; the first is the one shown in menus.
    pub fn shortcuts(self) -> &'static [KeyboardShortcut] {
        const NONE: Modifiers = Modifiers::NONE;
        const ALT: Modifiers = Modifiers::ALT;
        match self {
            UiCommand::NewDocument => keys!(CMD_SHIFT, Key::N),
            UiCommand::Open => keys!(CMD, Key::O),
            UiCommand::Save => keys!(CMD, Key::S),
            UiCommand::SaveAs => keys!(CMD_SHIFT, Key::S),
            UiCommand::ExportHtml => keys!(CMD, Key::E),
            UiCommand::ExportHtmlAs => keys!(CMD_SHIFT, Key::E),
            UiCommand::PublishNow => keys!(CMD_ALT, Key::P),
            UiCommand::BlogSettings => keys!(CMD, Key::Comma),
            UiCommand::RecoverUnsaved
            | UiCommand::ShareLiveBlog
            | UiCommand::JoinLiveBlog
            | UiCommand::StopSharing => &[],
            UiCommand::Quit => keys!(CMD, Key::Q),
            UiCommand::Undo => keys!(CMD, Key::Z),
            UiCommand::Redo => keys!(CMD_SHIFT, Key::Z; CMD, Key::Y),
            UiCommand::Find => keys!(CMD, Key::F),
            UiCommand::ClearFind => keys!(NONE, Key::Escape),
            UiCommand::NewPost => keys!(CMD, Key::N),
            UiCommand::NewSummary => keys!(CMD_SHIFT, Key::M),
            UiCommand::Publish => keys!(CMD, Key::Enter),
            UiCommand::TogglePin => keys!(CMD, Key::P),
            UiCommand::SetTimeNow => keys!(CMD_SHIFT, Key::T),
            UiCommand::Delete => keys!(NONE, Key::Delete),
            UiCommand::MoveUp => keys!(ALT, Key::ArrowUp),
            UiCommand::MoveDown => keys!(ALT, Key::ArrowDown),
            UiCommand::SortByTime => &[],
            UiCommand::SelectPrevious => keys!(CMD, Key::ArrowUp),
            UiCommand::SelectNext => keys!(CMD, Key::ArrowDown),
            UiCommand::SelectPageUp => keys!(NONE, Key::PageUp),
            UiCommand::SelectPageDown => keys!(NONE, Key::PageDown),
            UiCommand::SelectFirst => keys!(NONE, Key::Home),
            UiCommand::SelectLast => keys!(NONE, Key::End),
            UiCommand::Bold => keys!(CMD, Key::B),
            UiCommand::Italic => keys!(CMD, Key::I),
            UiCommand::Link => keys!(CMD, Key::K),
            UiCommand::Quote => keys!(CMD_SHIFT, Key::Period),
            UiCommand::ForContext => keys!(CMD_SHIFT, Key::K),
            UiCommand::ToggleTimeline => keys!(CMD_SHIFT, Key::L),
            UiCommand::TogglePreview => keys!(CMD_SHIFT, Key::P),
            UiCommand::TogglePagePreview => keys!(CMD_SHIFT, Key::W),
            UiCommand::ToggleChecks => keys!(CMD_SHIFT, Key::C),
            UiCommand::ToggleDarkMode => &[],
            // Ctrl+= as well as Ctrl++, as browsers do: "+" needs Shift on most keyboards.
            UiCommand::ZoomIn => keys!(CMD, Key::Plus; CMD, Key::Equals),
            UiCommand::ZoomOut => keys!(CMD, Key::Minus),
            UiCommand::ZoomReset => keys!(CMD, Key::Num0),
            UiCommand::ShowShortcuts => keys!(NONE, Key::F1),
        }
    }

    pub fn help(self) -> &'static str {
        match self {
            UiCommand::NewDocument => "Start an empty live blog",
            UiCommand::Open => "Open a live-blog document (.ron)",
            UiCommand::Save => "Save the document to its file",
            UiCommand::SaveAs => "Save the document to a new file",
            UiCommand::ExportHtml => "Write the published page as NAME.html next to the document",
            UiCommand::ExportHtmlAs => "Write the published page as an HTML file you choose",
            UiCommand::PublishNow => {
                "Publish the page, archive pages and feeds to the blog's publish target"
            }
            UiCommand::BlogSettings => "Title, standfirst, time zone, coverage and status",
            UiCommand::RecoverUnsaved => {
                "Restore or discard changes kept from a Newsdesk that stopped before saving"
            }
            UiCommand::ShareLiveBlog => {
                "Put the open blog on a sync server so colleagues can edit it with you"
            }
            UiCommand::JoinLiveBlog => "Open a live blog a colleague shared, from its link",
            UiCommand::StopSharing => "Keep the open blog as your own copy, no longer shared",
            UiCommand::Quit => "Close Newsdesk (asks about unsaved changes)",
            UiCommand::Undo => "Undo the last change to the document",
            UiCommand::Redo => "Redo the last undone change",
            UiCommand::Find => "Filter the timeline by text, byline, status and flags",
            UiCommand::ClearFind => "Clear the filter",
            UiCommand::NewPost => "A new draft post at the top, timed now",
            UiCommand::NewSummary => "A new draft summary at the top, timed now",
            UiCommand::Publish => "Publish the selected entry, or return it to draft",
            UiCommand::TogglePin => "Pin the selected entry above the timeline, or unpin it",
            UiCommand::SetTimeNow => "Set the selected entry's time to now",
            UiCommand::Delete => "Delete the selected entry (undo brings it back)",
            UiCommand::MoveUp => "Move the selected entry up the timeline",
            UiCommand::MoveDown => "Move the selected entry down the timeline",
            UiCommand::SortByTime => "Order the timeline newest first by time",
            UiCommand::SelectPrevious => "Select the entry above",
            UiCommand::SelectNext => "Select the entry below",
            UiCommand::SelectPageUp => "Select the entry a timeline's height above",
            UiCommand::SelectPageDown => "Select the entry a timeline's height below",
            UiCommand::SelectFirst => "Select the first entry of the timeline",
            UiCommand::SelectLast => "Select the last entry of the timeline",
            UiCommand::Bold => "Bold the selected text of the body",
            UiCommand::Italic => "Italicise the selected text of the body",
            UiCommand::Link => "Make the selected text of the body a link",
            UiCommand::Quote => "Make the selected lines of the body a quote",
            UiCommand::ForContext => "Make the selected lines a \"For context\" note",
            UiCommand::ToggleTimeline => "Show or hide the timeline",
            UiCommand::TogglePreview => "Show or hide the live preview",
            UiCommand::TogglePagePreview => "Preview the whole page instead of one entry",
            UiCommand::ToggleChecks => "Show what to put right before publishing",
            UiCommand::ToggleDarkMode => "Switch between light and dark",
            UiCommand::ZoomIn => "Make text and controls larger (remembered)",
            UiCommand::ZoomOut => "Make text and controls smaller (remembered)",
            UiCommand::ZoomReset => "Text and controls at their normal size",
            UiCommand::ShowShortcuts => "List every command and its keys",
        }
    }

    pub fn menu(self) -> Menu {
        match self {
            UiCommand::NewDocument
            | UiCommand::Open
            | UiCommand::Save
            | UiCommand::SaveAs
            | UiCommand::ExportHtml
            | UiCommand::ExportHtmlAs
            | UiCommand::PublishNow
            | UiCommand::BlogSettings
            | UiCommand::RecoverUnsaved
            | UiCommand::ShareLiveBlog
            | UiCommand::JoinLiveBlog
            | UiCommand::StopSharing
            | UiCommand::Quit => Menu::File,
            UiCommand::Undo
            | UiCommand::Redo
            | UiCommand::Find
            | UiCommand::ClearFind
            | UiCommand::Bold
            | UiCommand::Italic
            | UiCommand::Link
            | UiCommand::Quote
            | UiCommand::ForContext => Menu::Edit,
            UiCommand::NewPost
            | UiCommand::NewSummary
            | UiCommand::Publish
            | UiCommand::TogglePin
            | UiCommand::SetTimeNow
            | UiCommand::Delete
            | UiCommand::MoveUp
            | UiCommand::MoveDown
            | UiCommand::SortByTime
            | UiCommand::SelectPrevious
            | UiCommand::SelectNext
            | UiCommand::SelectPageUp
            | UiCommand::SelectPageDown
            | UiCommand::SelectFirst
            | UiCommand::SelectLast => Menu::Entry,
            UiCommand::ToggleTimeline
            | UiCommand::TogglePreview
            | UiCommand::TogglePagePreview
            | UiCommand::ToggleChecks
            | UiCommand::ToggleDarkMode
            | UiCommand::ZoomIn
            | UiCommand::ZoomOut
            | UiCommand::ZoomReset => Menu::View,
            UiCommand::ShowShortcuts => Menu::Help,
        }
    }

    /// Whether the shortcut still fires while a text field has focus. Keys that mean
    /// something to a text field (Delete, Escape, Page Up/Down, Home, End) are left to it.
    pub fn fires_in_text_field(self) -> bool {
        !matches!(
            self,
            UiCommand::Delete
                | UiCommand::SelectPageUp
                | UiCommand::SelectPageDown
                | UiCommand::SelectFirst
                | UiCommand::SelectLast
        )
    }

    /// A separator goes above these in their menu.
    pub fn starts_group(self) -> bool {
        matches!(
            self,
            UiCommand::ExportHtml
                | UiCommand::Quit
                | UiCommand::Find
                | UiCommand::Bold
                | UiCommand::TogglePin
                | UiCommand::Delete
                | UiCommand::SelectPrevious
                | UiCommand::ZoomIn
        )
    }

    /// Commands in the order their shortcuts are tried: more modifiers first, so that
    /// Ctrl+Shift+S is not taken for Ctrl+S (egui ignores extra Shift when matching).
    pub fn by_shortcut_specificity() -> Vec<(UiCommand, KeyboardShortcut)> {
        let mut all: Vec<(UiCommand, KeyboardShortcut)> = UiCommand::ALL
            .iter()
            .flat_map(|command| {
                command
                    .shortcuts()
                    .iter()
                    .map(move |shortcut| (*command, *shortcut))
            })
            .collect();
        let weight = |m: &Modifiers| {
            usize::from(m.shift) + usize::from(m.alt) + usize::from(m.command || m.ctrl)
        };
        all.sort_by_key(|(_, shortcut)| std::cmp::Reverse(weight(&shortcut.modifiers)));
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn no_two_commands_share_a_shortcut() {
        let mut seen = HashSet::new();
        for (command, shortcut) in UiCommand::by_shortcut_specificity() {
            assert!(
                seen.insert((shortcut.modifiers, shortcut.logical_key)),
                "{command:?} reuses {shortcut:?}"
            );
        }
    }

    #[test]
    fn more_specific_shortcuts_are_tried_first() {
        let order = UiCommand::by_shortcut_specificity();
        let save_as = order.iter().position(|(c, _)| *c == UiCommand::SaveAs);
        let save = order.iter().position(|(c, _)| *c == UiCommand::Save);
        assert!(save_as < save);
    }
}
