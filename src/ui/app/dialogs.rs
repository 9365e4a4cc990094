//! Modal questions: unsaved changes, a typed path when no file dialog can be shown, a
//! file changed on disk, work recovered after a crash, the blog settings, and the list of
//! shortcuts.

use super::NewsdeskApp;
use super::jobs::PathPurpose;
use super::settings_dialog::{SettingsDraft, SettingsOutcome};
use crate::sync::net::{ServerAddress, ShareLink};
use crate::ui::action::ExportChoice;
use crate::ui::command::UiCommand;
use egui::{Id, Modal, TextEdit};
use std::path::PathBuf;

#[derive(Default)]
pub enum Dialog {
    #[default]
    None,
    /// Save / Discard / Cancel before what waits (`FileFlow::Asking`).
    UnsavedChanges,
    /// A path typed in the app, used where no native file dialog can be shown.
    TypedPath {
        purpose: PathPurpose,
        text: String,
        error: Option<String>,
        /// The native dialog could not be shown (rather than: the user asked for this).
        no_native: bool,
        focus: bool,
    },
    /// The file changed on disk since it was loaded or saved.
    SaveConflict {
        path: PathBuf,
    },
    Settings(Box<SettingsDraft>),
    Shortcuts,
    /// The checks found errors: export anyway? `choose_path` for Export As.
    ExportWithErrors {
        choose_path: bool,
    },
    /// Work a crash left behind: restore, discard or decide later. `confirm_discard` is
    /// the copy (its folder) whose Discard is being confirmed.
    Recover {
        confirm_discard: Option<PathBuf>,
    },
    /// Reload the file changed on disk, losing the unsaved changes here?
    ConfirmReload(PathBuf),
    /// File > Share live blog…: the sync server, and the name the others will see.
    Share {
        server: String,
        name: String,
        error: Option<String>,
    },
    /// File > Join live blog…: the link a colleague sent.
    Join {
        link: String,
        name: String,
        error: Option<String>,
    },
    /// The room's link, to send to colleagues.
    ShareLink {
        link: String,
        created: bool,
    },
    /// Publish on a post timed in the future (`at`): schedule it instead?
    SchedulePublish {
        id: crate::model::EntryId,
        at: chrono::DateTime<chrono::Utc>,
    },
}

impl Dialog {
    pub fn is_open(&self) -> bool {
        !matches!(self, Dialog::None)
    }
}

/// What the user chose in a dialog this frame.
enum Choice {
    None,
    Close,
    Save,
    Discard,
    TypedPath(PathPurpose, PathBuf),
    Overwrite(PathBuf),
    SaveAsInstead,
    ApplySettings(Box<crate::edit::BlogSettings>),
    ExportAnyway { choose_path: bool },
    ShowProblems,
    Recover(super::recovery_dialog::RecoverChoice),
    Reload(PathBuf),
    Share(ServerAddress, String),
    Join(ShareLink, String),
    Schedule(super::schedule_dialog::ScheduleAnswer),
}

impl NewsdeskApp {
    pub(super) fn dialogs_ui(&mut self, ctx: &egui::Context) {
        let mut choice = Choice::None;
        let name = self.doc.display_name();
        match &mut self.view.dialog {
            Dialog::None => return,
            Dialog::UnsavedChanges => {
                let modal = Modal::new(Id::unique("unsaved-changes")).show(ctx, |ui| {
                    ui.set_max_width(420.0);
                    ui.heading("Save your changes?");
                    ui.label(format!(
                        "“{name}” has changes that are not saved. If you don't save them, they are lost."
                    ));
                    ui.add_space(8.0);
                    ui.horizontal(|ui| {
                        if ui.button("Save").clicked() {
                            choice = Choice::Save;
                        }
                        if ui.button("Discard changes").clicked() {
                            choice = Choice::Discard;
                        }
                        if ui.button("Cancel").clicked() {
                            choice = Choice::Close;
                        }
                    });
                });
                if modal.should_close() && matches!(choice, Choice::None) {
                    choice = Choice::Close;
                }
            }
            Dialog::TypedPath {
                purpose,
                text,
                error,
                no_native,
                focus,
            } => {
                let purpose = *purpose;
                let modal = Modal::new(Id::unique("typed-path")).show(ctx, |ui| {
                    ui.set_max_width(520.0);
                    ui.heading(purpose.title());
                    if *no_native {
                        ui.label(
                            "No file dialog is available on this system: type the file's path.",
                        );
                    }
                    let label = ui.label("File path");
                    let response = ui
                        .add(
                            TextEdit::singleline(text)
                                .id(Id::unique("typed-path-text"))
                                .hint_text(match purpose {
                                    PathPurpose::Open => "/home/me/blogs/ukraine.ron",
                                    PathPurpose::SaveAs => "/home/me/blogs/new-blog.ron",
                                    PathPurpose::Export => "/home/me/blogs/page.html",
                                    PathPurpose::Picture => "/home/me/Pictures/riyadh.jpg",
                                })
                                .desired_width(480.0),
                        )
                        .labelled_by(label.id);
                    if std::mem::take(focus) {
                        response.request_focus();
                    }
                    let entered =
                        response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                    if let Some(error) = error.as_ref() {
                        ui.colored_label(ui.visuals().error_fg_color, error);
                    }
                    ui.add_space(8.0);
                    ui.horizontal(|ui| {
                        let confirm = match purpose {
                            PathPurpose::Open => "Open",
                            PathPurpose::SaveAs => "Save",
                            PathPurpose::Export => "Export",
                            PathPurpose::Picture => "Add",
                        };
                        if ui.button(confirm).clicked() || entered {
                            match check_typed_path(purpose, text) {
                                Ok(path) => choice = Choice::TypedPath(purpose, path),
                                Err(message) => *error = Some(message),
                            }
                        }
                        if ui.button("Cancel").clicked() {
                            choice = Choice::Close;
                        }
                    });
                });
                if modal.should_close() && matches!(choice, Choice::None) {
                    choice = Choice::Close;
                }
            }
            Dialog::SaveConflict { path } => {
                let path = path.clone();
                let modal = Modal::new(Id::unique("save-conflict")).show(ctx, |ui| {
                    ui.set_max_width(460.0);
                    ui.heading("The file changed on disk");
                    ui.label(format!(
                        "{} was changed by someone or something else since you opened or saved it. \
                         Overwrite it with your version, or save yours as a new file?",
                        path.display()
                    ));
                    ui.add_space(8.0);
                    ui.horizontal(|ui| {
                        if ui.button("Overwrite").clicked() {
                            choice = Choice::Overwrite(path.clone());
                        }
                        if ui.button("Save As…").clicked() {
                            choice = Choice::SaveAsInstead;
                        }
                        if ui.button("Cancel").clicked() {
                            choice = Choice::Close;
                        }
                    });
                });
                if modal.should_close() && matches!(choice, Choice::None) {
                    choice = Choice::Close;
                }
            }
            Dialog::SchedulePublish { at, .. } => {
                let zone = &self.doc.blog().settings.time_zone;
                if let Some(answer) =
                    super::schedule_dialog::schedule_question_ui(ctx, zone, *at, self.clock.now())
                {
                    choice = Choice::Schedule(answer);
                }
            }
            Dialog::Settings(draft) => {
                let modal = Modal::new(Id::unique("blog-settings")).show(ctx, |ui| {
                    ui.set_max_width(600.0);
                    draft.ui(ui)
                });
                let should_close = modal.should_close();
                match modal.inner {
                    SettingsOutcome::Apply(settings) => choice = Choice::ApplySettings(settings),
                    SettingsOutcome::Cancel => choice = Choice::Close,
                    SettingsOutcome::Open if should_close => choice = Choice::Close,
                    SettingsOutcome::Open => {}
                }
            }
            Dialog::ExportWithErrors { choose_path } => {
                let choose_path = *choose_path;
                let report = self.checks.checker.report();
                let modal = Modal::new(Id::unique("export-with-errors")).show(ctx, |ui| {
                    ui.set_max_width(460.0);
                    crate::ui::panels::checks::export_with_errors_ui(ui, report)
                });
                choice = match modal.inner {
                    Some(ExportChoice::ExportAnyway) => Choice::ExportAnyway { choose_path },
                    Some(ExportChoice::ShowProblems) => Choice::ShowProblems,
                    Some(ExportChoice::Cancel) => Choice::Close,
                    None if modal.should_close() => Choice::Close,
                    None => Choice::None,
                };
            }
            Dialog::Recover { confirm_discard } => {
                let busy = self.files.busy_reason();
                if let Some(picked) = super::recovery_dialog::recover_dialog_ui(
                    ctx,
                    &self.recovery.offered,
                    confirm_discard.as_deref(),
                    busy,
                ) {
                    choice = Choice::Recover(picked);
                }
            }
            Dialog::ConfirmReload(path) => {
                let path = path.clone();
                let modal = Modal::new(Id::unique("confirm-reload")).show(ctx, |ui| {
                    ui.set_max_width(460.0);
                    ui.heading("Reload from disk?");
                    ui.label(format!(
                        "“{name}” has changes that are not saved. Reloading shows the file as it \
                         is on disk now, and your changes here are lost."
                    ));
                    ui.add_space(8.0);
                    ui.horizontal(|ui| {
                        if ui.button("Reload and lose my changes").clicked() {
                            choice = Choice::Reload(path.clone());
                        }
                        if ui.button("Cancel").clicked() {
                            choice = Choice::Close;
                        }
                    });
                });
                if modal.should_close() && matches!(choice, Choice::None) {
                    choice = Choice::Close;
                }
            }
            Dialog::Share {
                server,
                name,
                error,
            } => match room_form_ui(ctx, &SHARE_FORM, server, name, error) {
                RoomAnswer::Confirm => match ServerAddress::parse(server.trim()) {
                    Ok(address) if !name.trim().is_empty() => {
                        choice = Choice::Share(address, name.trim().to_owned());
                    }
                    Ok(_) => *error = Some("Type your name.".into()),
                    Err(problem) => *error = Some(problem.to_string()),
                },
                RoomAnswer::Cancel => choice = Choice::Close,
                RoomAnswer::Open => {}
            },
            Dialog::Join { link, name, error } => {
                match room_form_ui(ctx, &JOIN_FORM, link, name, error) {
                    RoomAnswer::Confirm => match ShareLink::parse(link.trim()) {
                        Ok(parsed) if !name.trim().is_empty() => {
                            choice = Choice::Join(parsed, name.trim().to_owned());
                        }
                        Ok(_) => *error = Some("Type your name.".into()),
                        Err(problem) => *error = Some(problem.to_string()),
                    },
                    RoomAnswer::Cancel => choice = Choice::Close,
                    RoomAnswer::Open => {}
                }
            }
            Dialog::ShareLink { link, created } => {
                let modal = Modal::new(Id::unique("share-link")).show(ctx, |ui| {
                    ui.set_max_width(560.0);
                    ui.heading(if *created {
                        "Your live blog is shared"
                    } else {
                        "You joined the live blog"
                    });
                    ui.label(
                        "Send this link to the colleagues who should edit with you. It is the \
                         key to the blog: share it only with them.",
                    );
                    let link_label = ui.label("Share link");
                    let mut shown = link.clone();
                    ui.add(
                        TextEdit::singleline(&mut shown)
                            .id(Id::unique("share-link-text"))
                            .desired_width(540.0),
                    )
                    .labelled_by(link_label.id);
                    ui.horizontal(|ui| {
                        if ui.button("Copy link").clicked() {
                            ui.ctx().copy_text(link.clone());
                        }
                        if ui.button("Close").clicked() {
                            choice = Choice::Close;
                        }
                    });
                });
                if modal.should_close() && matches!(choice, Choice::None) {
                    choice = Choice::Close;
                }
            }
            Dialog::Shortcuts => {
                let modal = Modal::new(Id::unique("shortcuts")).show(ctx, |ui| {
                    ui.heading("Keyboard shortcuts");
                    egui::ScrollArea::vertical()
                        .max_height(480.0)
                        .show(ui, |ui| {
                            egui::Grid::new("shortcut-list")
                                .striped(true)
                                .show(ui, |ui| {
                                    for command in UiCommand::ALL {
                                        let keys: Vec<String> = command
                                            .shortcuts()
                                            .iter()
                                            .map(|s| ui.ctx().format_shortcut(s))
                                            .collect();
                                        ui.label(command.label());
                                        ui.monospace(if keys.is_empty() {
                                            "menu".to_owned()
                                        } else {
                                            keys.join(" or ")
                                        });
                                        ui.weak(command.help());
                                        ui.end_row();
                                    }
                                });
                        });
                    if ui.button("Close").clicked() {
                        choice = Choice::Close;
                    }
                });
                if modal.should_close() && matches!(choice, Choice::None) {
                    choice = Choice::Close;
                }
            }
        }
        self.apply_choice(ctx, choice);
    }

    fn apply_choice(&mut self, ctx: &egui::Context, choice: Choice) {
        match choice {
            Choice::None => {}
            Choice::Close => {
                self.view.dialog = Dialog::None;
                self.files.cancel_waiting();
            }
            Choice::Save => {
                self.view.dialog = Dialog::None;
                let then = self.files.take_waiting();
                self.save(ctx, then);
            }
            Choice::Discard => {
                self.view.dialog = Dialog::None;
                let then = self.files.take_waiting();
                self.proceed(ctx, then);
            }
            Choice::TypedPath(purpose, path) => {
                self.view.dialog = Dialog::None;
                self.path_chosen(ctx, purpose, path);
            }
            Choice::Overwrite(path) => {
                self.view.dialog = Dialog::None;
                let then = self.files.take_waiting();
                self.start_save(ctx, path, true, then);
            }
            Choice::SaveAsInstead => {
                self.view.dialog = Dialog::None;
                let then = self.files.take_waiting();
                self.save_as(ctx, then);
            }
            Choice::ExportAnyway { choose_path } => {
                self.view.dialog = Dialog::None;
                self.export_checked(ctx, choose_path);
            }
            Choice::Recover(picked) => self.run_recover_choice(ctx, picked),
            Choice::Reload(path) => {
                self.view.dialog = Dialog::None;
                self.reload(ctx, path);
            }
            Choice::Share(server, name) => {
                self.view.dialog = Dialog::None;
                self.state.last_server = server.to_string();
                self.state.editor_name = name;
                self.start_share(ctx, server);
            }
            Choice::Join(link, name) => {
                self.view.dialog = Dialog::None;
                self.state.editor_name = name;
                self.join_link(ctx, link);
            }
            Choice::Schedule(answer) => {
                if let Dialog::SchedulePublish { id, at } = std::mem::take(&mut self.view.dialog) {
                    self.answer_schedule_question(ctx, &id, at, answer);
                }
            }
            Choice::ShowProblems => {
                self.view.dialog = Dialog::None;
                self.state.show_checks = true;
            }
            Choice::ApplySettings(settings) => {
                self.view.dialog = Dialog::None;
                let at = Self::now_seconds(ctx);
                self.apply_edit(
                    "Change blog settings",
                    crate::edit::Edit::SetSettings(settings),
                    at,
                );
            }
        }
    }
}

/// What the Share and Join dialogs ask: a server or a link, and the editor's name.
struct RoomForm {
    title: &'static str,
    intro: &'static str,
    field: &'static str,
    hint: &'static str,
    salt: &'static str,
    confirm: &'static str,
}

const SHARE_FORM: RoomForm = RoomForm {
    title: "Share live blog",
    intro: "Colleagues with the link can edit this blog with you at the same time. \
            Start a server with `newsdesk serve`, or ask for your newsroom's.",
    field: "Sync server",
    hint: "newsdesk://desk.example:7878",
    salt: "share",
    confirm: "Share",
};

const JOIN_FORM: RoomForm = RoomForm {
    title: "Join live blog",
    intro: "Paste the link a colleague sent: the blog opens here, and you edit it together.",
    field: "Share link",
    hint: "newsdesk://desk.example:7878/ROOM#TOKEN",
    salt: "join",
    confirm: "Join",
};

enum RoomAnswer {
    Confirm,
    Cancel,
    Open,
}

fn room_form_ui(
    ctx: &egui::Context,
    form: &RoomForm,
    text: &mut String,
    name: &mut String,
    error: &Option<String>,
) -> RoomAnswer {
    let mut answer = RoomAnswer::Open;
    let modal = Modal::new(Id::unique((form.salt, "room-dialog"))).show(ctx, |ui| {
        ui.set_max_width(520.0);
        ui.heading(form.title);
        ui.label(form.intro);
        let field_label = ui.label(form.field);
        ui.add(
            TextEdit::singleline(text)
                .id(Id::unique((form.salt, "room-text")))
                .hint_text(form.hint)
                .desired_width(480.0),
        )
        .labelled_by(field_label.id);
        let name_label = ui.label("Your name, as the others see it");
        ui.add(
            TextEdit::singleline(name)
                .id(Id::unique((form.salt, "room-name")))
                .desired_width(480.0),
        )
        .labelled_by(name_label.id);
        if let Some(error) = error.as_ref() {
            ui.colored_label(ui.visuals().error_fg_color, error);
        }
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui.button(form.confirm).clicked() {
                answer = RoomAnswer::Confirm;
            }
            if ui.button("Cancel").clicked() {
                answer = RoomAnswer::Cancel;
            }
        });
    });
    if modal.should_close() && matches!(answer, RoomAnswer::Open) {
        answer = RoomAnswer::Cancel;
    }
    answer
}

/// The typed path, checked before anything is attempted.
fn check_typed_path(purpose: PathPurpose, text: &str) -> Result<PathBuf, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("Type the path of a file.".into());
    }
    let path = expand_home(text);
    match purpose {
        PathPurpose::Picture if !path.is_file() => {
            Err(format!("There is no picture file at {}.", path.display()))
        }
        PathPurpose::Picture => Ok(path),
        PathPurpose::Open => {
            if path.is_dir() {
                Err(format!(
                    "{} is a folder: type the path of a .ron file in it.",
                    path.display()
                ))
            } else if !path.exists() {
                Err(format!("There is no file at {}.", path.display()))
            } else {
                Ok(path)
            }
        }
        PathPurpose::SaveAs | PathPurpose::Export => {
            if path.is_dir() {
                return Err(format!("{} is a folder: add a file name.", path.display()));
            }
            let folder = path.parent().filter(|p| !p.as_os_str().is_empty());
            if let Some(folder) = folder
                && !folder.is_dir()
            {
                return Err(format!("The folder {} does not exist.", folder.display()));
            }
            let extension = if purpose == PathPurpose::Export {
                "html"
            } else {
                "ron"
            };
            Ok(if path.extension().is_none() {
                path.with_extension(extension)
            } else {
                path
            })
        }
    }
}

fn expand_home(text: &str) -> PathBuf {
    if let Some(rest) = text.strip_prefix("~/")
        && let Some(home) = dirs::home_dir()
    {
        return home.join(rest);
    }
    PathBuf::from(text)
}
