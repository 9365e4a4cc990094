//! The blog's settings dialog: title, standfirst, zone and label, extra zones, coverage,
//! live or ended, canonical URL. Edited as a draft and applied as one undoable edit. Zones
//! are picked from the real ones by searching (`widgets::zone_picker`), never typed free.

use crate::edit::BlogSettings;
use crate::model::{BlogStatus, LiveBlog, ZoneLabel};
use crate::ui::widgets::time_input;
use crate::ui::widgets::zone_picker::{ZoneChoice, zone_picker_ui};
use chrono::{DateTime, Utc};
use egui::{Id, TextEdit, Ui};

#[derive(Clone, Debug)]
pub struct SettingsDraft {
    pub title: String,
    pub standfirst: String,
    pub slug: String,
    pub canonical_url: String,
    pub language: String,
    pub zone: ZoneChoice,
    pub zone_label: String,
    /// Zone and label of each extra zone.
    pub extra_zones: Vec<(ZoneChoice, String)>,
    pub start_date: String,
    pub start_time: String,
    /// Both empty while coverage goes on.
    pub end_date: String,
    pub end_time: String,
    pub status: BlogStatus,
    pub publish: super::publishing::PublishDraft,
    pub error: Option<String>,
    /// When the dialog opened: the zones' offsets are shown as they are then.
    pub now: DateTime<Utc>,
}

pub enum SettingsOutcome {
    Open,
    Apply(Box<BlogSettings>),
    Cancel,
}

impl SettingsDraft {
    pub fn of(blog: &LiveBlog) -> Self {
        let zone = &blog.settings.time_zone;
        Self {
            title: blog.settings.title.clone(),
            standfirst: blog.settings.standfirst.clone(),
            slug: blog.settings.slug.clone(),
            canonical_url: blog.settings.canonical_url.clone().unwrap_or_default(),
            language: blog.settings.language.clone(),
            zone: ZoneChoice::new(zone.zone),
            zone_label: zone.label.clone(),
            extra_zones: blog
                .settings
                .extra_zones
                .iter()
                .map(|z| (ZoneChoice::new(z.zone), z.label.clone()))
                .collect(),
            start_date: time_input::date_text(blog.settings.coverage_start, zone),
            start_time: time_input::time_text(blog.settings.coverage_start, zone),
            end_date: blog
                .settings
                .coverage_end
                .map(|t| time_input::date_text(t, zone))
                .unwrap_or_default(),
            end_time: blog
                .settings
                .coverage_end
                .map(|t| time_input::time_text(t, zone))
                .unwrap_or_default(),
            status: blog.settings.status,
            publish: super::publishing::PublishDraft::of(&blog.settings.publish),
            error: None,
            now: Utc::now(),
        }
    }

    /// The settings this draft describes, or what is wrong with it in plain words.
    pub fn to_settings(&self) -> Result<BlogSettings, String> {
        let zone = self
            .zone
            .chosen()
            .map_err(|error| format!("time zone: {error}"))?;
        let time_zone = ZoneLabel {
            zone,
            label: self.zone_label.trim().to_owned(),
        };
        let mut extra_zones = Vec::new();
        for (index, (choice, label)) in self.extra_zones.iter().enumerate() {
            // A row added and left empty is no zone.
            if choice.query.trim().is_empty() {
                continue;
            }
            let zone = choice
                .chosen()
                .map_err(|error| format!("extra zone {}: {error}", index + 1))?;
            extra_zones.push(ZoneLabel {
                zone,
                label: label.trim().to_owned(),
            });
        }
        let coverage_start =
            time_input::parse_local(&self.start_date, &self.start_time, &time_zone)
                .map_err(|error| format!("coverage start: {error}"))?;
        let coverage_end = if self.end_date.trim().is_empty() && self.end_time.trim().is_empty() {
            None
        } else {
            Some(
                time_input::parse_local(&self.end_date, &self.end_time, &time_zone)
                    .map_err(|error| format!("coverage end: {error}"))?,
            )
        };
        if let Some(end) = coverage_end
            && end < coverage_start
        {
            return Err("the coverage ends before it starts".into());
        }
        let canonical_url = self.canonical_url.trim();
        let web_address =
            canonical_url.starts_with("https://") || canonical_url.starts_with("http://");
        if !canonical_url.is_empty() && !web_address {
            return Err("the canonical URL must start with https://".into());
        }
        if self.title.trim().is_empty() {
            return Err("the blog needs a title".into());
        }
        Ok(BlogSettings {
            title: self.title.trim().to_owned(),
            standfirst: self.standfirst.trim().to_owned(),
            slug: self.slug.trim().to_owned(),
            canonical_url: (!canonical_url.is_empty()).then(|| canonical_url.to_owned()),
            language: self.language.trim().to_owned(),
            time_zone,
            extra_zones,
            coverage_start,
            coverage_end,
            status: self.status,
            publish: self.publish.to_settings()?,
        })
    }

    pub fn ui(&mut self, ui: &mut Ui) -> SettingsOutcome {
        ui.heading("Blog settings");
        ui.add_space(4.0);
        egui::Grid::new("blog-settings")
            .num_columns(2)
            .spacing([10.0, 6.0])
            .show(ui, |ui| {
                field(ui, "Title", "settings-title", &mut self.title, 420.0);
                let label = ui.label("Standfirst");
                ui.add(
                    TextEdit::multiline(&mut self.standfirst)
                        .id(Id::unique("settings-standfirst"))
                        .desired_rows(3)
                        .desired_width(420.0),
                )
                .labelled_by(label.id);
                ui.end_row();
                field(
                    ui,
                    "Page name (slug)",
                    "settings-slug",
                    &mut self.slug,
                    420.0,
                );
                field(
                    ui,
                    "Canonical URL",
                    "settings-url",
                    &mut self.canonical_url,
                    420.0,
                );
                field(
                    ui,
                    "Language",
                    "settings-language",
                    &mut self.language,
                    80.0,
                );
                let label = ui.label("Time zone");
                zone_picker_ui(
                    ui,
                    &mut self.zone,
                    Id::unique("settings-zone"),
                    label.id,
                    200.0,
                    self.now,
                );
                ui.end_row();
                field(
                    ui,
                    "Zone label",
                    "settings-zone-label",
                    &mut self.zone_label,
                    200.0,
                );

                ui.label("Extra zones");
                ui.vertical(|ui| {
                    let mut remove = None;
                    let now = self.now;
                    for (index, (choice, label)) in self.extra_zones.iter_mut().enumerate() {
                        ui.horizontal_top(|ui| {
                            let zone_label = ui.label(format!("Zone {}", index + 1));
                            zone_picker_ui(
                                ui,
                                choice,
                                Id::unique(("settings-extra-zone", index)),
                                zone_label.id,
                                160.0,
                                now,
                            );
                            let label_label = ui.label("Label");
                            ui.add(
                                TextEdit::singleline(label)
                                    .id(Id::unique(("settings-extra-label", index)))
                                    .desired_width(140.0),
                            )
                            .labelled_by(label_label.id);
                            if ui
                                .button("✖")
                                .on_hover_text(format!("Remove zone {}", index + 1))
                                .clicked()
                            {
                                remove = Some(index);
                            }
                        });
                    }
                    if let Some(index) = remove {
                        self.extra_zones.remove(index);
                    }
                    if ui.button("Add zone").clicked() {
                        // Searched and picked in its field; UTC until then.
                        let mut choice = ZoneChoice::new(crate::model::Zone(chrono_tz::UTC));
                        choice.query.clear();
                        self.extra_zones.push((choice, String::new()));
                    }
                });
                ui.end_row();

                date_time(
                    ui,
                    "Coverage from",
                    "start",
                    &mut self.start_date,
                    &mut self.start_time,
                );
                date_time(
                    ui,
                    "Coverage until",
                    "end",
                    &mut self.end_date,
                    &mut self.end_time,
                );

                ui.label("Status");
                ui.horizontal(|ui| {
                    ui.radio_value(&mut self.status, BlogStatus::Live, "Live");
                    ui.radio_value(&mut self.status, BlogStatus::Ended, "Ended");
                });
                ui.end_row();
            });
        self.publish.ui(ui);
        if let Some(error) = &self.error {
            ui.colored_label(ui.visuals().error_fg_color, error);
        }
        ui.add_space(6.0);
        let mut outcome = SettingsOutcome::Open;
        ui.horizontal(|ui| {
            if ui.button("Apply").clicked() {
                match self.to_settings() {
                    Ok(settings) => outcome = SettingsOutcome::Apply(Box::new(settings)),
                    Err(error) => self.error = Some(error),
                }
            }
            if ui.button("Cancel").clicked() {
                outcome = SettingsOutcome::Cancel;
            }
        });
        outcome
    }
}

fn field(ui: &mut Ui, label: &str, id: &str, text: &mut String, width: f32) {
    let label = ui.label(label);
    ui.add(
        TextEdit::singleline(text)
            .id(Id::unique(id))
            .desired_width(width),
    )
    .labelled_by(label.id);
    ui.end_row();
}

fn date_time(ui: &mut Ui, label: &str, salt: &str, date: &mut String, time: &mut String) {
    let label = ui.label(label);
    ui.horizontal(|ui| {
        ui.add(
            TextEdit::singleline(date)
                .id(Id::unique(("settings-date", salt)))
                .hint_text("2025-02-18")
                .desired_width(96.0),
        )
        .labelled_by(label.id);
        let at = ui.label("at");
        ui.add(
            TextEdit::singleline(time)
                .id(Id::unique(("settings-time", salt)))
                .hint_text("06:00")
                .desired_width(64.0),
        )
        .labelled_by(at.id);
    });
    ui.end_row();
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    #[test]
    fn a_draft_of_the_blog_gives_back_the_same_settings() {
        let mut blog = LiveBlog::new(
            "Ukraine",
            Utc.with_ymd_and_hms(2025, 2, 18, 6, 0, 0).unwrap(),
        );
        blog.settings
            .extra_zones
            .push(ZoneLabel::new(chrono_tz::Asia::Riyadh, "Saudi Arabia"));
        let draft = SettingsDraft::of(&blog);
        assert_eq!(draft.to_settings(), Ok(blog.settings.clone()));
    }

    #[test]
    fn mistakes_are_explained() {
        let blog = LiveBlog::new(
            "Ukraine",
            Utc.with_ymd_and_hms(2025, 2, 18, 6, 0, 0).unwrap(),
        );
        let mut draft = SettingsDraft::of(&blog);
        draft.zone.query = "Europe/Atlantis".into();
        assert!(
            draft
                .to_settings()
                .unwrap_err()
                .contains("no time zone is called “Europe/Atlantis”")
        );
        let mut draft = SettingsDraft::of(&blog);
        draft.end_date = "2025-02-17".into();
        draft.end_time = "06:00".into();
        assert_eq!(
            draft.to_settings().unwrap_err(),
            "the coverage ends before it starts"
        );
    }
}
