//! The one check that reads the disk: a picture in the media folder whose file is not
//! there (deleted, or the document was copied without its `NAME.media/` folder). Kept
//! apart from the incremental checker, which never touches files; `newsdesk check` runs it,
//! the editor's Checks panel runs it with each recheck, and the editor also says so under
//! the picture.

use super::{CheckId, Field, Problem, Severity};
use std::path::Path;

/// A problem for each local picture of `blog` (saved at `document`) whose file is missing:
/// an error in a published entry, a warning in a draft.
pub fn missing_media_files(blog: &crate::model::LiveBlog, document: &Path) -> Vec<Problem> {
    crate::media::missing_media(blog, document)
        .into_iter()
        .filter_map(|(id, path)| {
            let entry = blog.entries.iter().find(|entry| entry.id == id)?;
            Some(Problem {
                check: CheckId::MissingMediaFile,
                severity: if entry.is_published() {
                    Severity::Error
                } else {
                    Severity::Warning
                },
                entry: Some(id),
                time: Some(entry.display_time),
                field: Some(Field::MediaUrl),
                span: None,
                message: format!(
                    "The picture file {path} is not beside the document: put the media folder back next to it, or add the picture again."
                ),
                fix: None,
            })
        })
        .collect()
}
