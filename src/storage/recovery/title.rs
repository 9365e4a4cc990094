//! The title a recovered document will have once restored: the last title its journal
//! records (a settings change, or a whole copy), read without rebuilding the document.

use super::journal::Frame;
use super::record_options;
use serde::Deserialize;
use serde::de::IgnoredAny;

/// The records of a frame, with everything but titles skipped over.
#[derive(Deserialize)]
enum TitleRecord {
    Document(Titled),
    Settings(Titled),
    Entry {
        #[allow(dead_code)]
        entry: IgnoredAny,
        #[allow(dead_code)]
        at: IgnoredAny,
    },
    Removed(#[allow(dead_code)] IgnoredAny),
    Order(#[allow(dead_code)] IgnoredAny),
    Pinned(#[allow(dead_code)] IgnoredAny),
}

/// A whole document or the settings: both carry the title at their top level.
#[derive(Deserialize)]
struct Titled {
    title: String,
}

/// The title the last frame that sets one gives the document, if any does.
pub(crate) fn latest_title(frames: &[Frame<'_>]) -> Option<String> {
    frames.iter().rev().find_map(|frame| {
        // Most frames are typing: only those that can hold a title are read.
        if !frame.payload.contains("Settings(") && !frame.payload.contains("Document(") {
            return None;
        }
        let records: Vec<TitleRecord> = record_options().from_str(frame.payload).ok()?;
        records.into_iter().rev().find_map(|record| match record {
            TitleRecord::Document(titled) | TitleRecord::Settings(titled) => Some(titled.title),
            _ => None,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::Touched;
    use crate::model::{Entry, EntryId, LiveBlog};
    use crate::storage::recovery::record::records_for;
    use chrono::{TimeZone, Utc};

    fn frame_of(blog: &LiveBlog, touched: &Touched) -> String {
        ron::to_string(&records_for(blog, touched)).unwrap()
    }

    #[test]
    fn the_last_recorded_title_wins_and_typing_frames_are_skipped() {
        let time = Utc.with_ymd_and_hms(2025, 2, 18, 9, 0, 0).unwrap();
        let mut blog = LiveBlog::new("Ukraine talks", time);
        blog.push_entry(Entry::new_post(EntryId::new("p1").unwrap(), time));
        let whole = frame_of(
            &blog,
            &Touched {
                everything: true,
                ..Touched::default()
            },
        );
        blog.settings.title = "Talks in Riyadh: live".into();
        let settings = frame_of(
            &blog,
            &Touched {
                settings: true,
                ..Touched::default()
            },
        );
        let mut typing = Touched::default();
        typing.entries.insert(EntryId::new("p1").unwrap());
        let typed = frame_of(&blog, &typing);
        let frame = |payload| Frame {
            payload,
            unix_millis: 0,
            records: 1,
        };
        assert_eq!(
            latest_title(&[frame(&whole)]).as_deref(),
            Some("Ukraine talks")
        );
        assert_eq!(
            latest_title(&[frame(&whole), frame(&settings), frame(&typed)]).as_deref(),
            Some("Talks in Riyadh: live")
        );
        assert_eq!(latest_title(&[frame(&typed)]), None);
    }
}
