//! The entry editor's media section: no media, a picture, a video or a social post's card.
//!
//! A picture comes from a web address, or from disk: Add image… (a file dialog, or a
//! typed path where there is none), a file dropped on the window (the app routes it here),
//! or a paste (a picture copied in another program, or a copied picture file's path). A
//! link pasted into the embed field is fetched once as a card (oEmbed), or becomes the
//! video player for YouTube and Vimeo. The work happens off the UI thread, asked for with
//! `Action::Media`; this panel only draws and asks.

use super::entry_editor::{
    EMBED_AUTHOR, EMBED_DATE, EMBED_PROVIDER, EMBED_TEXT, MEDIA_ALT, MEDIA_CAPTION, MEDIA_URL,
};
use super::thumbnails;
use crate::edit::EntryField;
use crate::export::url::{MEDIA_EXTENSIONS, local_media_file};
use crate::media::{EmbedPlan, plan_embed};
use crate::model::{EmbedCard, Entry, Media};
use crate::ui::action::{Action, MediaAction};
use crate::ui::widgets::prose_field::{ProseField, Writing};
use egui::{Event, Id, RichText, TextEdit, Ui, vec2};
use std::path::PathBuf;

#[derive(Clone, Copy, PartialEq, Eq)]
enum MediaKind {
    None,
    Image,
    Video,
    Embed,
}

fn kind_of(media: Option<&Media>) -> MediaKind {
    match media {
        None => MediaKind::None,
        Some(Media::Image { .. }) => MediaKind::Image,
        Some(Media::Video { .. }) => MediaKind::Video,
        Some(Media::Embed(_)) => MediaKind::Embed,
    }
}

/// The size of the picture's preview in the editor.
const PREVIEW_SIZE: egui::Vec2 = vec2(240.0, 150.0);

pub fn media_ui(ui: &mut Ui, entry: &Entry, writing: &mut Writing<'_>, actions: &mut Vec<Action>) {
    let key = entry.id.as_str();
    let current = kind_of(entry.media.as_ref());
    let mut media = entry.media.clone();
    ui.horizontal_wrapped(|ui| {
        ui.strong("Media");
        let mut kind = current;
        ui.radio_value(&mut kind, MediaKind::None, "No media");
        ui.radio_value(&mut kind, MediaKind::Image, "Image");
        ui.radio_value(&mut kind, MediaKind::Video, "Video");
        ui.radio_value(&mut kind, MediaKind::Embed, "Post embed");
        if kind != current {
            let url = media
                .as_ref()
                .map(|m| m.url().to_owned())
                .unwrap_or_default();
            let caption = match &media {
                Some(Media::Image { caption, .. } | Media::Video { caption, .. }) => caption.clone(),
                _ => String::new(),
            };
            media = match kind {
                MediaKind::None => None,
                MediaKind::Image => Some(Media::Image {
                    url,
                    alt: String::new(),
                    caption,
                }),
                MediaKind::Video => Some(Media::Video { url, caption }),
                MediaKind::Embed => Some(Media::Embed(EmbedCard {
                    url,
                    ..EmbedCard::default()
                })),
            };
        }
        if ui
            .button("Add image…")
            .on_hover_text("Copy a picture from disk into the blog's media folder (or drop one here, or paste one)")
            .clicked()
        {
            actions.push(Action::Media(MediaAction::ChooseImage(entry.id.clone())));
        }
    });
    if !thumbnails::document_saved(ui.ctx()) {
        ui.label(thumbnails::muted(
            ui,
            "Save the blog first (Ctrl+S) to add pictures from disk: they are kept in a folder beside it.",
        ));
    }
    if ui.input(|i| !i.raw.hovered_files.is_empty()) {
        ui.label(
            RichText::new("Drop the picture to add it to this post")
                .strong()
                .color(ui.visuals().selection.stroke.color),
        );
    }
    pasted_pictures(ui, entry, actions);

    let mut fetch = None;
    if let Some(media) = media.as_mut() {
        match media {
            Media::Image { url, alt, .. } => {
                thumbnails::picture_ui(ui, url, alt, PREVIEW_SIZE);
                if local_media_file(url).is_some()
                    && let Some(crate::media::PictureSource::File(file)) =
                        thumbnails::picture_source(ui.ctx(), url)
                    && !file.is_file()
                {
                    ui.colored_label(
                        ui.visuals().warn_fg_color,
                        format!(
                            "The picture file {} is missing: put the media folder back beside the document, or add the picture again.",
                            url.trim()
                        ),
                    );
                }
            }
            Media::Embed(card) => {
                if let Some(url) = embed_link_pasted(ui, entry, &card.url) {
                    fetch = Some(url);
                }
            }
            Media::Video { .. } => {}
        }
        egui::Grid::new(("media-fields", key))
            .num_columns(2)
            .spacing([10.0, 6.0])
            .show(ui, |ui| {
                let field =
                    |ui: &mut Ui, label: &str, salt: &str, text: &mut String, hint: &str| {
                        let label = ui.label(label);
                        ui.add(
                            TextEdit::singleline(text)
                                .id(Id::unique((salt, key)))
                                .hint_text(hint)
                                .desired_width(f32::INFINITY),
                        )
                        .labelled_by(label.id);
                        ui.end_row();
                    };
                // Alt text and captions are prose: spellchecked, with the house's typography.
                let (original_alt, original_caption) = match &entry.media {
                    Some(Media::Image { alt, caption, .. }) => (alt.as_str(), caption.as_str()),
                    Some(Media::Video { caption, .. }) => ("", caption.as_str()),
                    _ => ("", ""),
                };
                let mut prose = |ui: &mut Ui,
                                 label: &str,
                                 salt: &str,
                                 original: &str,
                                 text: &mut String,
                                 hint: &str| {
                    let label = ui.label(label);
                    ProseField::singleline(Id::unique((salt, key)))
                        .hint(hint)
                        .show(ui, writing, original, text, actions)
                        .labelled_by(label.id);
                    ui.end_row();
                };
                let caption = match media {
                    Media::Image { url, alt, caption } => {
                        field(ui, "Image URL", MEDIA_URL, url, "https://… or Add image…");
                        prose(
                            ui,
                            "Alt text",
                            MEDIA_ALT,
                            original_alt,
                            alt,
                            "What the image shows",
                        );
                        Some(caption)
                    }
                    Media::Video { url, caption } => {
                        field(ui, "Video URL", MEDIA_URL, url, "https://…");
                        Some(caption)
                    }
                    Media::Embed(card) => {
                        field(
                            ui,
                            "Post link",
                            MEDIA_URL,
                            &mut card.url,
                            "Paste a link to a post",
                        );
                        field(
                            ui,
                            "Author",
                            EMBED_AUTHOR,
                            &mut card.author,
                            "Name (@handle)",
                        );
                        field(
                            ui,
                            "Service",
                            EMBED_PROVIDER,
                            &mut card.provider,
                            "X, Bluesky, Instagram…",
                        );
                        field(ui, "Posted", EMBED_DATE, &mut card.date, "18 February 2025");
                        let label = ui.label("Post text");
                        ui.add(
                            TextEdit::multiline(&mut card.text)
                                .id(Id::unique((EMBED_TEXT, key)))
                                .hint_text("The post's words, or its caption")
                                .desired_rows(3)
                                .desired_width(f32::INFINITY),
                        )
                        .labelled_by(label.id);
                        ui.end_row();
                        None
                    }
                };
                if let Some(caption) = caption {
                    prose(
                        ui,
                        "Caption",
                        MEDIA_CAPTION,
                        original_caption,
                        caption,
                        "Caption and credit",
                    );
                }
            });
        if let Media::Embed(card) = media {
            ui.horizontal_wrapped(|ui| {
                let plan = plan_embed(&card.url);
                if matches!(plan, EmbedPlan::Fetch { .. }) && ui.button("Fetch card").clicked() {
                    fetch = Some(card.url.clone());
                }
                ui.label(thumbnails::muted(ui, &embed_hint(&plan)));
            });
        }
    }
    // A YouTube or Vimeo link in the embed field is the page's video player.
    if let Some(Media::Embed(card)) = &media
        && plan_embed(&card.url) == EmbedPlan::Video
    {
        media = Some(Media::Video {
            url: card.url.trim().to_owned(),
            caption: String::new(),
        });
        fetch = None;
    }
    if media != entry.media {
        actions.push(Action::SetField(entry.id.clone(), EntryField::Media(media)));
    }
    if let Some(url) = fetch {
        actions.push(Action::Media(MediaAction::FetchEmbed(
            entry.id.clone(),
            url,
        )));
    }
}

fn embed_hint(plan: &EmbedPlan) -> String {
    match plan {
        EmbedPlan::Fetch { service, .. } => format!(
            "A {} post: its text is fetched once and kept in the document; the page shows a plain card, no script.",
            service.name()
        ),
        EmbedPlan::ByHand(service) => format!(
            "{} shares posts only with a key: fill in the card by hand.",
            service.name()
        ),
        EmbedPlan::Video => "A video: the page shows its privacy-friendly player.".into(),
        EmbedPlan::Unknown => "Paste a link to a post on X, Bluesky, Instagram, TikTok, Threads or Mastodon, or a YouTube or Vimeo video.".into(),
    }
}

/// The link just pasted into the embed's link field, when it is a post whose card can be
/// fetched: the editor fetches it at once, as if Fetch card had been clicked.
fn embed_link_pasted(ui: &Ui, entry: &Entry, before: &str) -> Option<String> {
    let field = Id::unique((MEDIA_URL, entry.id.as_str()));
    if !ui.memory(|memory| memory.has_focus(field)) {
        return None;
    }
    let pasted = ui.input(|i| {
        i.events.iter().find_map(|event| match event {
            Event::Paste(text) => Some(text.trim().to_owned()),
            _ => None,
        })
    })?;
    // The field holds the pasted link once the frame's text is in: an empty field, or a
    // whole link replacing a selected one.
    let after = if before.trim().is_empty() {
        pasted
    } else {
        return None;
    };
    matches!(plan_embed(&after), EmbedPlan::Fetch { .. }).then_some(after)
}

/// A picture pasted while the entry is shown: pixels copied in another program, or the
/// path of a picture file (outside any text field, or in the picture's address field).
fn pasted_pictures(ui: &Ui, entry: &Entry, actions: &mut Vec<Action>) {
    let url_field = Id::unique((MEDIA_URL, entry.id.as_str()));
    // The address field is the picture's only when the media is (or may become) a picture.
    let picture_field = matches!(entry.media, None | Some(Media::Image { .. }));
    let free = ui.memory(|memory| {
        memory
            .focused()
            .is_none_or(|focused| picture_field && focused == url_field)
    });
    let events = ui.input(|i| i.events.clone());
    for event in events {
        match event {
            Event::PasteImage(image) => {
                actions.push(Action::Media(MediaAction::ImportPixels(
                    entry.id.clone(),
                    image,
                )));
            }
            Event::Paste(text) if free => {
                if let Some(path) = picture_file_path(&text) {
                    actions.push(Action::Media(MediaAction::ImportFile(
                        entry.id.clone(),
                        path,
                    )));
                }
            }
            _ => {}
        }
    }
}

/// The picture file a pasted text names: a path or a `file://` address, one line, with an
/// image file's extension, that exists.
pub fn picture_file_path(text: &str) -> Option<PathBuf> {
    let line = text.trim().lines().next()?.trim();
    let path = match line.strip_prefix("file://") {
        Some(address) => PathBuf::from(percent_decode(address)?),
        None => PathBuf::from(line),
    };
    let is_picture = path.extension().is_some_and(|extension| {
        MEDIA_EXTENSIONS
            .iter()
            .any(|known| extension.eq_ignore_ascii_case(known))
    });
    (is_picture && path.is_absolute() && path.is_file()).then_some(path)
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' {
            let hex = text.get(index + 1..index + 3)?;
            decoded.push(u8::from_str_radix(hex, 16).ok()?);
            index += 3;
        } else {
            decoded.push(bytes[index]);
            index += 1;
        }
    }
    String::from_utf8(decoded).ok()
}
