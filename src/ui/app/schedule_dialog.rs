//! The question asked when a post timed in the future is published: schedule it for its
//! time, publish it now keeping that time, or neither.

use crate::model::ZoneLabel;
use chrono::{DateTime, Utc};
use egui::{Id, Modal};

/// What the editor answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScheduleAnswer {
    /// Scheduled for the post's time: it publishes itself then.
    Schedule,
    /// In print at once, showing the future time.
    PublishNow,
    Cancel,
}

/// Draws the question for a post timed `at`; `None` while it is unanswered.
pub fn schedule_question_ui(
    ctx: &egui::Context,
    zone: &ZoneLabel,
    at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Option<ScheduleAnswer> {
    let mut answer = None;
    let clock = clock_text(zone, at, now);
    let modal = Modal::new(Id::unique("schedule-question")).show(ctx, |ui| {
        ui.set_max_width(440.0);
        ui.heading("This post is timed in the future");
        ui.label(format!(
            "It is timed {clock}. Schedule it to publish itself then, or publish it now \
             with that time?"
        ));
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui.button(format!("Schedule it for {clock}")).clicked() {
                answer = Some(ScheduleAnswer::Schedule);
            }
            if ui.button("Publish now with that time").clicked() {
                answer = Some(ScheduleAnswer::PublishNow);
            }
            if ui.button("Cancel").clicked() {
                answer = Some(ScheduleAnswer::Cancel);
            }
        });
    });
    if answer.is_none() && modal.should_close() {
        answer = Some(ScheduleAnswer::Cancel);
    }
    answer
}

/// "14:30", with the date when it is not today in the blog's zone ("14:30 on 19 Feb").
pub fn clock_text(zone: &ZoneLabel, at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let local = zone.zone.local(at);
    let time = local.format("%H:%M").to_string();
    if local.date_naive() == zone.zone.local(now).date_naive() {
        time
    } else {
        format!("{time} on {}", local.format("%-d %b %Y"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_time_names_its_day_only_when_it_is_not_today() {
        let uk = ZoneLabel::new(chrono_tz::Europe::London, "UK");
        let now = Utc.with_ymd_and_hms(2025, 2, 18, 14, 0, 0).unwrap();
        let later = Utc.with_ymd_and_hms(2025, 2, 18, 14, 30, 0).unwrap();
        assert_eq!(clock_text(&uk, later, now), "14:30");
        let tomorrow = Utc.with_ymd_and_hms(2025, 2, 19, 9, 5, 0).unwrap();
        assert_eq!(clock_text(&uk, tomorrow, now), "09:05 on 19 Feb 2025");
    }
}
