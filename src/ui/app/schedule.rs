//! Scheduled posts in the open editor: the clock the editor reads (injectable, so tests can
//! move time on), publishing a scheduled post when its time comes, and Publish on a post
//! timed in the future, which asks first (`schedule_dialog.rs`).
//!
//! The due check is cheap per frame: the scheduled entries are collected again only when
//! statuses or the timeline's shape may have changed (`Session::counts_key`), never on
//! typing; each frame compares the earliest time with the clock and asks egui to repaint
//! when that time comes.

use super::NewsdeskApp;
use super::dialogs::Dialog;
use super::schedule_dialog::ScheduleAnswer;
use crate::edit::{Edit, EntryField};
use crate::model::{EntryId, EntryStatus};
use chrono::{DateTime, Duration, DurationRound, Utc};
use std::collections::HashSet;

/// A post timed less than this ahead of the clock publishes without the question: the
/// editor's clock and the time typed a moment ago often differ by seconds.
const FUTURE_GRACE: Duration = Duration::minutes(1);

/// Repaint at least this often while a post is scheduled, so that a clock change (a
/// laptop waking up) is noticed in good time.
const LONGEST_WAIT: std::time::Duration = std::time::Duration::from_secs(30);

/// What the editor takes to be now.
#[derive(Clone, Copy, Debug, Default)]
pub enum AppClock {
    #[default]
    System,
    /// A fixed time, moved on by hand (tests).
    Fixed(DateTime<Utc>),
}

impl AppClock {
    pub fn now(self) -> DateTime<Utc> {
        match self {
            AppClock::System => Utc::now(),
            AppClock::Fixed(time) => time,
        }
    }
}

/// The scheduled entries still to publish, earliest first.
#[derive(Default)]
pub struct ScheduleWatch {
    /// The `counts_key` the list was collected at.
    collected_at: Option<(u64, u64)>,
    pending: Vec<(DateTime<Utc>, EntryId)>,
    /// Entries this editor published when their time came, with that time: an undo puts
    /// such an entry back to "scheduled" and it must then stay so, not publish again.
    published: HashSet<(EntryId, DateTime<Utc>)>,
}

impl NewsdeskApp {
    /// The editor's clock.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Sets the time the editor takes to be now (tests move time on with this).
    pub fn set_clock(&mut self, now: DateTime<Utc>) {
        self.clock = AppClock::Fixed(now);
    }

    /// Once per frame: publishes the scheduled entries whose time has come, as one undo
    /// step, and asks for a repaint when the next one is due.
    pub(super) fn publish_due_entries(&mut self, ctx: &egui::Context) {
        if self.files.is_opening() {
            return;
        }
        let key = self.doc.session.counts_key();
        let watch = &mut self.schedule;
        if watch.collected_at != Some(key) {
            watch.collected_at = Some(key);
            watch.pending = self
                .doc
                .blog()
                .scheduled_entries()
                .filter(|(at, id)| !watch.published.contains(&((*id).clone(), *at)))
                .map(|(at, id)| (at, id.clone()))
                .collect();
            watch.pending.sort();
        }
        let Some(&(next, _)) = watch.pending.first() else {
            return;
        };
        let now = self.clock.now();
        if next > now {
            let wait = (next - now).to_std().unwrap_or_default().min(LONGEST_WAIT);
            ctx.request_repaint_after(wait);
            return;
        }
        let due_count = watch.pending.partition_point(|(at, _)| *at <= now);
        let due: Vec<(DateTime<Utc>, EntryId)> = watch.pending.drain(..due_count).collect();
        let mut edits = Vec::new();
        let mut publishing = Vec::new();
        for (at, id) in due {
            // Only if it is still scheduled for that time (the list may be a frame old).
            let still = self
                .doc
                .position(&id)
                .and_then(|position| self.doc.blog().entries.get(position))
                .is_some_and(|entry| entry.status == EntryStatus::Scheduled { at });
            if still {
                publishing.push((id.clone(), at));
                edits.push(Edit::SetField {
                    id,
                    field: EntryField::Status(EntryStatus::Published),
                    modified: now,
                });
            }
        }
        if edits.is_empty() {
            return;
        }
        let label = if edits.len() == 1 {
            "Publish scheduled post"
        } else {
            "Publish scheduled posts"
        };
        let at = Self::now_seconds(ctx);
        self.doc.session.seal_history();
        match self.doc.apply(label, Edit::Batch(edits), at) {
            Ok(()) => self.schedule.published.extend(publishing),
            Err(error) => {
                self.toasts
                    .error(format!("A scheduled post could not be published: {error}"));
            }
        }
        self.doc.session.seal_history();
    }

    /// Publish (Ctrl+Enter, the Publish button) on the selected entry: returns a published
    /// entry to draft; publishes any other at once, unless its time is in the future,
    /// when it asks whether to schedule it instead.
    pub(super) fn publish_selected(&mut self, at: f64) {
        let Some(entry) = self
            .view
            .selected
            .as_ref()
            .and_then(|id| self.doc.blog().entry(id))
        else {
            return;
        };
        let id = entry.id.clone();
        let time = entry.display_time;
        let status = if entry.is_published() {
            EntryStatus::Draft
        } else if time > self.clock.now() + FUTURE_GRACE {
            self.view.dialog = Dialog::SchedulePublish { id, at: time };
            return;
        } else {
            EntryStatus::Published
        };
        self.set_status(&id, status, at);
    }

    /// The answer to "this post is timed in the future".
    pub(super) fn answer_schedule_question(
        &mut self,
        ctx: &egui::Context,
        id: &EntryId,
        when: DateTime<Utc>,
        answer: ScheduleAnswer,
    ) {
        let at = Self::now_seconds(ctx);
        match answer {
            ScheduleAnswer::Schedule => {
                self.set_status(id, EntryStatus::Scheduled { at: when }, at)
            }
            ScheduleAnswer::PublishNow => self.set_status(id, EntryStatus::Published, at),
            ScheduleAnswer::Cancel => {}
        }
    }

    /// Sets an entry's status as its own undo step.
    pub(super) fn set_status(&mut self, id: &EntryId, status: EntryStatus, at: f64) {
        self.doc.session.seal_history();
        if let Err(error) = self.doc.set_field(id, EntryField::Status(status), at) {
            self.toasts
                .error(format!("Could not change the status: {error}"));
        }
    }

    /// "Scheduled" picked for `id`: for its own time when that is still ahead, else for
    /// the next whole quarter hour (the editor then types the time wanted).
    pub(super) fn schedule_entry(&mut self, id: &EntryId, at: f64) {
        let Some(display_time) = self.doc.blog().entry(id).map(|entry| entry.display_time) else {
            return;
        };
        let now = self.clock.now();
        let when = if display_time > now {
            display_time
        } else {
            let quarter = Duration::minutes(15);
            (now + quarter)
                .duration_trunc(quarter)
                .unwrap_or(now + quarter)
        };
        self.set_status(id, EntryStatus::Scheduled { at: when }, at);
    }
}
