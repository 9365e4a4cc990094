//! Publishing from the editor: the publish settings in the blog settings dialog
//! (`PublishDraft`), and the publish loop's place in the app (`Publishing`): File >
//! Publish now, auto-publish after changes, and the status bar's line about it.

use crate::edit::Session;
use crate::model::PublishSettings;
use crate::publish::{AutoPublisher, PublishStatus, Target};
use egui::{Id, TextEdit, Ui};

/// The publish settings as typed in the settings dialog.
#[derive(Clone, Debug)]
pub struct PublishDraft {
    pub target: String,
    pub endpoint: String,
    pub page_size: String,
    pub auto_publish: bool,
    pub auto_publish_seconds: String,
    pub reader_script: bool,
}

impl PublishDraft {
    pub fn of(settings: &PublishSettings) -> Self {
        Self {
            target: settings.target.clone(),
            endpoint: settings.endpoint.clone(),
            page_size: settings.page_size.to_string(),
            auto_publish: settings.auto_publish,
            auto_publish_seconds: settings.auto_publish_seconds.to_string(),
            reader_script: settings.reader_script,
        }
    }

    /// The settings this draft describes, or what is wrong in plain words.
    pub fn to_settings(&self) -> Result<PublishSettings, String> {
        let target = self.target.trim().to_owned();
        let endpoint = self.endpoint.trim().to_owned();
        if !target.is_empty() {
            Target::parse(&target, (!endpoint.is_empty()).then_some(endpoint.as_str()))
                .map_err(|error| format!("publish target: {error}"))?;
        }
        let page_size = match self.page_size.trim().parse::<u32>() {
            Ok(size) if (1..=10_000).contains(&size) => size,
            _ => return Err("posts per page must be a whole number from 1 to 10000".into()),
        };
        let auto_publish_seconds = match self.auto_publish_seconds.trim().parse::<u32>() {
            Ok(seconds) if (1..=86_400).contains(&seconds) => seconds,
            _ => {
                return Err("auto-publish seconds must be a whole number from 1 to 86400".into());
            }
        };
        Ok(PublishSettings {
            target,
            endpoint,
            page_size,
            auto_publish: self.auto_publish,
            auto_publish_seconds,
            reader_script: self.reader_script,
        })
    }

    /// The dialog's "Publishing" rows.
    pub fn ui(&mut self, ui: &mut Ui) {
        ui.add_space(6.0);
        ui.strong("Publishing");
        egui::Grid::new("publish-settings")
            .num_columns(2)
            .spacing([10.0, 6.0])
            .show(ui, |ui| {
                let label = ui.label("Publish to");
                ui.add(
                    TextEdit::singleline(&mut self.target)
                        .id(Id::unique("publish-target"))
                        .hint_text("a folder, or s3://bucket/prefix")
                        .desired_width(420.0),
                )
                .labelled_by(label.id);
                ui.end_row();
                let label = ui.label("S3 endpoint");
                ui.add(
                    TextEdit::singleline(&mut self.endpoint)
                        .id(Id::unique("publish-endpoint"))
                        .hint_text("empty for AWS; http://localhost:9000 for a local server")
                        .desired_width(420.0),
                )
                .labelled_by(label.id);
                ui.end_row();
                let label = ui.label("Posts per page");
                ui.add(
                    TextEdit::singleline(&mut self.page_size)
                        .id(Id::unique("publish-page-size"))
                        .desired_width(60.0),
                )
                .labelled_by(label.id);
                ui.end_row();
                ui.label("Automatically");
                ui.horizontal(|ui| {
                    ui.checkbox(
                        &mut self.auto_publish,
                        "Republish after changes, at most every",
                    );
                    let label = ui.label("seconds:");
                    ui.add(
                        TextEdit::singleline(&mut self.auto_publish_seconds)
                            .id(Id::unique("publish-seconds"))
                            .desired_width(40.0),
                    )
                    .labelled_by(label.id);
                });
                ui.end_row();
                ui.label("Readers");
                ui.checkbox(
                    &mut self.reader_script,
                    "Tell readers of the page about new posts (a small script)",
                );
                ui.end_row();
            });
    }
}

/// The publish loop as the editor keeps it: started on first use, fed the document when
/// it changes (auto-publish) or when asked (File > Publish now).
#[derive(Default)]
pub struct Publishing {
    publisher: Option<AutoPublisher>,
    /// The document revision last handed to the loop.
    sent_revision: Option<u64>,
    status: Option<PublishStatus>,
    /// Where the document is saved, for its pictures; told to the loop when it changes.
    document: Option<std::path::PathBuf>,
}

impl Publishing {
    fn publisher(&mut self, ctx: &egui::Context) -> &AutoPublisher {
        let document = &self.document;
        self.publisher.get_or_insert_with(|| {
            let ctx = ctx.clone();
            let publisher = AutoPublisher::start(move || ctx.request_repaint());
            publisher.set_document(document.clone());
            publisher
        })
    }

    /// The document is saved at `path` now: its pictures are published from beside it.
    pub fn set_document(&mut self, path: Option<&std::path::Path>) {
        if self.document.as_deref() == path {
            return;
        }
        self.document = path.map(std::path::Path::to_path_buf);
        if let Some(publisher) = &self.publisher {
            publisher.set_document(self.document.clone());
        }
    }

    /// File > Publish now. Without a target, says so in the status bar.
    pub fn publish_now(&mut self, ctx: &egui::Context, session: &Session) {
        let snapshot = session.snapshot();
        self.sent_revision = Some(session.revision());
        self.publisher(ctx).publish_now(snapshot);
    }

    /// Once per frame: reads the loop's reports and, with auto-publish on, hands it the
    /// document after a change (the loop itself keeps to the interval).
    pub fn frame(&mut self, ctx: &egui::Context, session: &Session) {
        if let Some(status) = self
            .publisher
            .as_ref()
            .and_then(AutoPublisher::latest_status)
        {
            self.status = Some(status);
        }
        let publish = &session.blog().settings.publish;
        if !publish.auto_publish || publish.target.trim().is_empty() {
            return;
        }
        let revision = session.revision();
        if self.sent_revision != Some(revision) {
            self.sent_revision = Some(revision);
            let snapshot = session.snapshot();
            self.publisher(ctx).changed(snapshot);
        }
    }

    /// The status bar's words about publishing: when it last worked, or what went wrong.
    pub fn status_ui(&self, ui: &mut Ui) {
        let Some(status) = &self.status else {
            return;
        };
        ui.separator();
        match status {
            PublishStatus::Publishing => {
                ui.spinner();
                ui.label("Publishing…");
            }
            PublishStatus::Published { at, target, .. } => {
                let local = at.with_timezone(&chrono::Local).format("%H:%M:%S");
                ui.label(format!("Published {local}"))
                    .on_hover_text(format!("To {target}"));
            }
            PublishStatus::Failed {
                message, retry_in, ..
            } if retry_in.is_zero() => {
                ui.colored_label(
                    ui.visuals().error_fg_color,
                    format!("Not published: {message}"),
                );
            }
            PublishStatus::Failed {
                message, retry_in, ..
            } => {
                ui.colored_label(
                    ui.visuals().error_fg_color,
                    format!(
                        "Publish failed: {message}; trying again in {} s",
                        retry_in.as_secs()
                    ),
                );
            }
        }
    }
}
