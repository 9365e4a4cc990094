//! Pictures and embeds in the shell: the entry editor's `MediaAction`s become background
//! jobs (copying a picture into the media folder, fetching a post's card), and their
//! results become ordinary edits of the entry's media, each its own undo step.
//!
//! An untitled document has no folder beside it yet, so adding a picture asks the editor to
//! save first (a toast says so) rather than keeping pictures somewhere they could be lost.

use super::NewsdeskApp;
use super::jobs::{JobResult, PathPurpose};
use crate::checks::Field;
use crate::edit::{Edit, EntryField};
use crate::media::{self, ImportedImage};
use crate::model::{EmbedCard, EntryId, Media};
use crate::ui::action::MediaAction;
use crate::ui::panels::entry_editor;
use std::path::{Path, PathBuf};

/// A picture to bring in, as the editor gave it.
pub enum PictureInput {
    File(PathBuf),
    Pixels(std::sync::Arc<egui::ColorImage>),
}

pub fn import_job(
    entry: EntryId,
    input: PictureInput,
    document: PathBuf,
) -> impl FnOnce() -> JobResult + Send + 'static {
    move || {
        let result = match input {
            PictureInput::File(path) => media::import_image_file(&path, &document),
            PictureInput::Pixels(image) => {
                let [width, height] = image.size;
                let rgba = image
                    .pixels
                    .iter()
                    .flat_map(|pixel| pixel.to_srgba_unmultiplied())
                    .collect();
                media::import_pixels(
                    u32::try_from(width).unwrap_or(u32::MAX),
                    u32::try_from(height).unwrap_or(u32::MAX),
                    rgba,
                    &document,
                )
            }
        };
        JobResult::PictureImported {
            entry,
            result: result.map_err(|error| error.to_string()),
        }
    }
}

pub fn fetch_embed_job(entry: EntryId, url: String) -> impl FnOnce() -> JobResult + Send + 'static {
    move || {
        let result = media::fetch_card(&url);
        JobResult::EmbedFetched { entry, url, result }
    }
}

impl NewsdeskApp {
    pub(super) fn run_media_action(&mut self, ctx: &egui::Context, action: MediaAction) {
        match action {
            MediaAction::ChooseImage(entry) => {
                if self.media_document().is_some() {
                    self.picture_for = Some(entry);
                    self.pick_path(ctx, PathPurpose::Picture);
                }
            }
            MediaAction::ImportFile(entry, path) => {
                self.import_picture(ctx, entry, PictureInput::File(path));
            }
            MediaAction::ImportPixels(entry, image) => {
                self.import_picture(ctx, entry, PictureInput::Pixels(image));
            }
            MediaAction::FetchEmbed(entry, url) => {
                self.jobs.spawn(
                    ctx,
                    "Fetching the post…".into(),
                    fetch_embed_job(entry, url),
                );
            }
        }
    }

    /// The picture file chosen in the dialog (or typed) for the entry that asked.
    pub(super) fn picture_chosen(&mut self, ctx: &egui::Context, path: PathBuf) {
        if let Some(entry) = self.picture_for.take() {
            self.import_picture(ctx, entry, PictureInput::File(path));
        }
    }

    /// A picture file dropped on the window goes to the selected entry.
    pub(super) fn picture_dropped(&mut self, ctx: &egui::Context, path: PathBuf) {
        match self.view.selected.clone() {
            Some(entry) => self.import_picture(ctx, entry, PictureInput::File(path)),
            None => {
                self.toasts
                    .info("Select a post first, then drop the picture on it.");
            }
        }
    }

    /// Where the open document is saved; untitled, says to save first.
    fn media_document(&mut self) -> Option<PathBuf> {
        let path = self.doc.path().map(Path::to_path_buf);
        if path.is_none() {
            self.toasts.warning(
                "Save the blog first (Ctrl+S): its pictures are kept in a folder beside it.",
            );
        }
        path
    }

    fn import_picture(&mut self, ctx: &egui::Context, entry: EntryId, input: PictureInput) {
        let Some(document) = self.media_document() else {
            return;
        };
        self.jobs.spawn(
            ctx,
            "Adding the picture…".into(),
            import_job(entry, input, document),
        );
    }

    pub(super) fn picture_imported(
        &mut self,
        ctx: &egui::Context,
        entry: EntryId,
        result: Result<ImportedImage, String>,
    ) {
        let picture = match result {
            Ok(picture) => picture,
            Err(reason) => {
                self.toasts.error(reason);
                return;
            }
        };
        let Some(current) = self.doc.blog().entry(&entry) else {
            self.toasts
                .info("The post was deleted meanwhile: the picture was not added.");
            return;
        };
        // A picture replacing a picture keeps what the editor wrote about it.
        let (alt, caption) = match &current.media {
            Some(Media::Image { alt, caption, .. }) => (alt.clone(), caption.clone()),
            _ => (String::new(), String::new()),
        };
        let needs_alt = alt.trim().is_empty();
        let edit = Edit::SetField {
            id: entry.clone(),
            field: EntryField::Media(Some(Media::Image {
                url: picture.relative_path.clone(),
                alt,
                caption,
            })),
            modified: chrono::Utc::now(),
        };
        self.apply_edit("Add picture", edit, Self::now_seconds(ctx));
        self.view.selected = Some(entry.clone());
        if needs_alt {
            self.view.pending_focus = entry_editor::field_id(&entry, Field::MediaAlt);
        }
        let scaled = if picture.scaled {
            format!(", scaled down to {} × {} px", picture.width, picture.height)
        } else {
            String::new()
        };
        self.toasts.success(format!(
            "Picture added as {}{scaled}. Describe it in the alt text.",
            picture.relative_path
        ));
    }

    pub(super) fn embed_fetched(
        &mut self,
        ctx: &egui::Context,
        entry: EntryId,
        url: String,
        result: Result<EmbedCard, String>,
    ) {
        let fetched = match result {
            Ok(card) => card,
            Err(reason) => {
                self.toasts.info(reason);
                // The card by hand starts with the service's name at least.
                let service = match media::plan_embed(&url) {
                    media::EmbedPlan::Fetch { service, .. } | media::EmbedPlan::ByHand(service) => {
                        service.name().to_owned()
                    }
                    _ => String::new(),
                };
                EmbedCard {
                    provider: service,
                    ..EmbedCard::default()
                }
            }
        };
        // Only into the card it was fetched for, and never over what the editor typed.
        let Some(Media::Embed(card)) = self
            .doc
            .blog()
            .entry(&entry)
            .and_then(|current| current.media.clone())
        else {
            return;
        };
        if card.url.trim() != url.trim() {
            return;
        }
        let keep = |typed: String, fetched: String| {
            if typed.trim().is_empty() {
                fetched
            } else {
                typed
            }
        };
        let filled = EmbedCard {
            url: card.url.clone(),
            provider: keep(card.provider.clone(), fetched.provider),
            author: keep(card.author.clone(), fetched.author),
            text: keep(card.text.clone(), fetched.text),
            date: keep(card.date.clone(), fetched.date),
        };
        if filled == card {
            return;
        }
        let edit = Edit::SetField {
            id: entry,
            field: EntryField::Media(Some(Media::Embed(filled))),
            modified: chrono::Utc::now(),
        };
        self.apply_edit("Fetch the post's card", edit, Self::now_seconds(ctx));
    }
}
