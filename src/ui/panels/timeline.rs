//! The timeline on the left: the pinned section, then the stream in the editor's order.
//!
//! Drawn virtualized: only the rows in view are laid out, and the list of rows (after
//! the filter, with a separator wherever the stream passes into another day) and where
//! each begins are computed once per document shape, clock revision and query, never per
//! frame, so it stays instant at 100,000 posts.

use super::find::FindQuery;
use super::presence::{Presence, describe};
use super::timeline_days::{EntryDays, day_heading, short_date};
use crate::edit::Session;
use crate::edit::reorder::{DropTarget, drop_entry};
use crate::model::{Entry, EntryId, EntryKind, LiveBlog};
use crate::ui::action::Action;
use crate::ui::widgets::badge::BadgeKind;
use egui::{
    Align2, Color32, CornerRadius, FontId, Id, Rect, Role, ScrollArea, Sense, Stroke, Ui,
    WidgetInfo, pos2, vec2,
};
use std::collections::HashSet;

/// Height of one row: time and badges, title, byline.
pub const ROW_HEIGHT: f32 = 58.0;
/// Height of a day separator ("Tuesday 18 February").
pub const DAY_HEIGHT: f32 = 26.0;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Row {
    PinnedHeader,
    /// `slot` is the place in the pinned list.
    Pinned {
        entry: usize,
        slot: usize,
    },
    StreamHeader,
    /// The stream rows below fall on this day (in the blog's zone).
    Day(chrono::NaiveDate),
    /// `slot` is the place in the whole (unfiltered) stream.
    Stream {
        entry: usize,
        slot: usize,
    },
}

impl Row {
    pub fn entry(self) -> Option<usize> {
        match self {
            Row::Pinned { entry, .. } | Row::Stream { entry, .. } => Some(entry),
            Row::PinnedHeader | Row::StreamHeader | Row::Day(_) => None,
        }
    }

    pub fn height(self) -> f32 {
        match self {
            Row::Day(_) => DAY_HEIGHT,
            _ => ROW_HEIGHT,
        }
    }
}

/// What the rows were built for: document shape, clock revision, query.
type RowsKey = (u64, u64, FindQuery);

/// The rows to draw, valid for one document shape, clock revision and query.
#[derive(Default)]
pub struct TimelineRows {
    key: Option<RowsKey>,
    pub rows: Vec<Row>,
    /// Where each row begins, from the top of the list; one more for the list's end.
    tops: Vec<f32>,
    /// Each entry's day, and the blog's main day.
    days: EntryDays,
    /// Entry positions of the whole stream, for neighbours and Alt+Up/Down.
    pub stream: Vec<usize>,
    pub matched: usize,
    /// Row of each entry position (`NO_ROW` when filtered out), for O(1) look-ups when
    /// jumping to a selection among 100,000 rows.
    row_of_entry: Vec<u32>,
}

const NO_ROW: u32 = u32::MAX;

impl TimelineRows {
    /// Rebuilds the rows if the document's shape or the query changed.
    pub fn refresh(&mut self, session: &Session, query: &FindQuery) {
        let revision = session.shape_revision();
        let clock = session.clock_revision();
        if let Some((built_revision, built_clock, built_query)) = &self.key
            && *built_revision == revision
            && *built_clock == clock
            && built_query == query
        {
            return;
        }
        let narrowing = match &self.key {
            Some((built_revision, built_clock, built_query)) => {
                *built_revision == revision && *built_clock == clock && query.narrows(built_query)
            }
            None => false,
        };
        let blog = session.blog();
        if narrowing {
            // Typing one more letter only removes rows: filter the ones we have (a day
            // left with no rows loses its separator).
            let entries = &blog.entries;
            self.rows.retain(|row| match row.entry() {
                Some(entry) => entries.get(entry).is_some_and(|e| query.matches(e)),
                None => true,
            });
            self.rows = with_day_separators(std::mem::take(&mut self.rows), &self.days);
        } else {
            self.days = EntryDays::of(blog);
            self.rebuild(blog, query);
        }
        self.tops.clear();
        self.tops.reserve(self.rows.len() + 1);
        let mut top = 0.0;
        for row in &self.rows {
            self.tops.push(top);
            top += row.height();
        }
        self.tops.push(top);
        self.matched = self.rows.iter().filter(|row| row.entry().is_some()).count();
        self.row_of_entry.clear();
        self.row_of_entry.resize(blog.entries.len(), NO_ROW);
        for (index, row) in self.rows.iter().enumerate() {
            if let Some(entry) = row.entry()
                && let Some(slot) = self.row_of_entry.get_mut(entry)
            {
                *slot = u32::try_from(index).unwrap_or(NO_ROW);
            }
        }
        self.key = Some((revision, clock, query.clone()));
    }

    fn rebuild(&mut self, blog: &LiveBlog, query: &FindQuery) {
        let pinned: HashSet<&EntryId> = blog.pinned.iter().collect();
        self.stream = blog
            .entries
            .iter()
            .enumerate()
            .filter(|(_, entry)| !pinned.contains(&entry.id))
            .map(|(index, _)| index)
            .collect();
        let active = query.is_active();
        let mut rows = Vec::with_capacity(self.stream.len() + blog.pinned.len() + 2);
        if !blog.pinned.is_empty() {
            let positions: std::collections::HashMap<&EntryId, usize> = blog
                .entries
                .iter()
                .enumerate()
                .filter(|(_, entry)| pinned.contains(&entry.id))
                .map(|(index, entry)| (&entry.id, index))
                .collect();
            rows.push(Row::PinnedHeader);
            for (slot, id) in blog.pinned.iter().enumerate() {
                if let Some(&entry) = positions.get(id)
                    && (!active || query.matches(&blog.entries[entry]))
                {
                    rows.push(Row::Pinned { entry, slot });
                }
            }
        }
        rows.push(Row::StreamHeader);
        let mut day = None;
        for (slot, &entry) in self.stream.iter().enumerate() {
            if !active || query.matches(&blog.entries[entry]) {
                let entry_day = self.days.day(entry);
                if entry_day != day
                    && let Some(entry_day) = entry_day
                {
                    rows.push(Row::Day(entry_day));
                    day = Some(entry_day);
                }
                rows.push(Row::Stream { entry, slot });
            }
        }
        self.rows = rows;
    }

    /// Where row `index` begins, from the top of the list.
    pub fn top_of(&self, index: usize) -> f32 {
        self.tops.get(index).copied().unwrap_or(0.0)
    }

    /// The height of the whole list.
    pub fn total_height(&self) -> f32 {
        self.tops.last().copied().unwrap_or(0.0)
    }

    /// The row at height `y` from the top of the list (the last one below its end).
    pub fn row_at(&self, y: f32) -> usize {
        let rows = self.rows.len();
        // `tops` is sorted: the last row beginning at or above `y`.
        self.tops[..rows]
            .partition_point(|&top| top <= y)
            .saturating_sub(1)
    }

    /// The day shown before the time of an entry row that is not on the blog's main day.
    pub fn other_day(&self, entry: usize) -> Option<String> {
        let day = self.days.day(entry)?;
        (Some(day) != self.days.main_day).then(|| short_date(day, self.days.main_day))
    }

    /// The entry `rows` rows away from `id`, or the nearest entry to that row (the first
    /// or last one past either end); the first entry when nothing is selected.
    /// Page Up / Page Down.
    pub fn entry_rows_away(
        &self,
        session: &mut Session,
        id: Option<&EntryId>,
        rows: isize,
    ) -> Option<EntryId> {
        let Some(from) = id.and_then(|id| self.row_of(session, id)) else {
            return self.edge_entry(session, false);
        };
        let last = self.rows.len().checked_sub(1)?;
        let target = from.saturating_add_signed(rows).min(last);
        // Toward the move first, then back, so a header at the target does not stop it.
        let forward = rows >= 0;
        let found = self
            .nearest_entry_row(target, forward)
            .or_else(|| self.nearest_entry_row(target, !forward))?;
        self.entry_id(session, found)
    }

    /// The first (or last) entry the timeline shows: Home / End.
    pub fn edge_entry(&self, session: &Session, last: bool) -> Option<EntryId> {
        let entry = if last {
            self.rows.iter().rev().find_map(|row| row.entry())
        } else {
            self.rows.iter().find_map(|row| row.entry())
        }?;
        session
            .blog()
            .entries
            .get(entry)
            .map(|entry| entry.id.clone())
    }

    fn nearest_entry_row(&self, from: usize, forward: bool) -> Option<usize> {
        if forward {
            (from..self.rows.len()).find(|&index| self.rows[index].entry().is_some())
        } else {
            (0..=from.min(self.rows.len().checked_sub(1)?))
                .rev()
                .find(|&index| self.rows[index].entry().is_some())
        }
    }

    fn entry_id(&self, session: &Session, row: usize) -> Option<EntryId> {
        let entry = self.rows.get(row)?.entry()?;
        session
            .blog()
            .entries
            .get(entry)
            .map(|entry| entry.id.clone())
    }

    /// Row index showing `id`, for keyboard navigation and scrolling to the selection.
    pub fn row_of(&self, session: &mut Session, id: &EntryId) -> Option<usize> {
        let position = session.position(id)?;
        let row = *self.row_of_entry.get(position)?;
        (row != NO_ROW).then_some(row as usize)
    }

    /// The entry shown `step` rows away from `id` (skipping headers); the first entry
    /// when nothing is selected.
    pub fn neighbour(
        &self,
        session: &mut Session,
        id: Option<&EntryId>,
        step: isize,
    ) -> Option<EntryId> {
        let entry = match id.and_then(|id| self.row_of(session, id)) {
            Some(row) => {
                let mut index = row as isize;
                loop {
                    index += step;
                    let row = usize::try_from(index).ok().and_then(|i| self.rows.get(i))?;
                    if let Some(entry) = row.entry() {
                        break entry;
                    }
                }
            }
            None => self.rows.iter().find_map(|row| row.entry())?,
        };
        session
            .blog()
            .entries
            .get(entry)
            .map(|entry| entry.id.clone())
    }

    /// The stream entry next to `position` in the given direction, if any.
    pub fn stream_neighbour(&self, position: usize, down: bool) -> Option<usize> {
        let slot = self.stream_slot(position)?;
        let target = if down {
            slot.checked_add(1)?
        } else {
            slot.checked_sub(1)?
        };
        self.stream.get(target).copied()
    }

    /// The stream slot of entry position `entry`.
    pub fn stream_slot(&self, entry: usize) -> Option<usize> {
        self.stream.iter().position(|&e| e == entry)
    }

    /// Whether the stream entry at `slot` is newer than the one above it, or older than
    /// the one below: its place disagrees with its time.
    pub fn out_of_order(&self, blog: &LiveBlog, slot: usize) -> bool {
        let time = |slot: usize| {
            self.stream
                .get(slot)
                .and_then(|&entry| blog.entries.get(entry))
                .map(|entry| entry.display_time)
        };
        let Some(this) = time(slot) else {
            return false;
        };
        let above = slot.checked_sub(1).and_then(time);
        let below = time(slot + 1);
        above.is_some_and(|above| this > above) || below.is_some_and(|below| this < below)
    }
}

/// `rows` with a day separator before the first stream row of each day, and none left
/// over from rows that are gone.
fn with_day_separators(rows: Vec<Row>, days: &EntryDays) -> Vec<Row> {
    let mut separated = Vec::with_capacity(rows.len());
    let mut day = None;
    for row in rows {
        match row {
            Row::Day(_) => continue,
            Row::Stream { entry, .. } => {
                let entry_day = days.day(entry);
                if entry_day != day
                    && let Some(entry_day) = entry_day
                {
                    separated.push(Row::Day(entry_day));
                    day = Some(entry_day);
                }
            }
            _ => {}
        }
        separated.push(row);
    }
    separated
}

/// Key of the timeline's height in view, kept for Page Up / Page Down.
const VIEW_HEIGHT_KEY: &str = "timeline-view-height";

/// How many rows Page Up / Page Down move: the rows that fit in the timeline's view.
pub fn rows_per_page(ctx: &egui::Context) -> usize {
    let height = ctx
        .data(|d| d.get_temp::<f32>(Id::unique(VIEW_HEIGHT_KEY)))
        .unwrap_or(8.0 * ROW_HEIGHT);
    ((height / ROW_HEIGHT).floor() as usize)
        .saturating_sub(1)
        .max(1)
}

/// What is being dragged in the timeline.
#[derive(Clone, Debug)]
struct DraggedEntry {
    id: EntryId,
}

pub struct TimelineView<'a> {
    pub session: &'a Session,
    pub rows: &'a TimelineRows,
    pub selected: Option<&'a EntryId>,
    /// Row to bring into view this frame (after keyboard navigation).
    pub scroll_to_row: Option<usize>,
    /// Where the other editors of a shared blog are.
    pub presence: &'a Presence,
}

impl TimelineView<'_> {
    pub fn ui(self, ui: &mut Ui, actions: &mut Vec<Action>) {
        let blog = self.session.blog();
        let rows = self.rows;
        let row_count = rows.rows.len();
        let mut scroll = ScrollArea::vertical()
            .id_salt("timeline")
            .auto_shrink([false, false]);
        let viewport_height = ui.available_height();
        ui.ctx()
            .data_mut(|d| d.insert_temp(Id::unique(VIEW_HEIGHT_KEY), viewport_height));
        if let Some(row) = self.scroll_to_row {
            let top = rows.top_of(row);
            let bottom = rows.top_of(row + 1).max(top + ROW_HEIGHT);
            let previous = ui
                .ctx()
                .data(|d| d.get_temp::<f32>(Id::unique("timeline-offset")))
                .unwrap_or(0.0);
            let offset = if top < previous {
                // The day separator above the row comes into view with it.
                match row.checked_sub(1).map(|above| rows.rows[above]) {
                    Some(Row::Day(_)) => rows.top_of(row - 1),
                    _ => top,
                }
            } else if bottom > previous + viewport_height {
                bottom - viewport_height
            } else {
                previous
            };
            scroll = scroll.vertical_scroll_offset(offset.max(0.0));
        }
        let output = scroll.show_viewport(ui, |ui, viewport| {
            ui.set_height(rows.total_height());
            let first = rows.row_at(viewport.min.y.max(0.0)).min(row_count);
            let last = (rows.row_at(viewport.max.y) + 2).min(row_count);
            let origin = ui.max_rect().min;
            let width = ui.max_rect().width();
            for index in first..last {
                let row = rows.rows[index];
                let rect = Rect::from_min_size(
                    pos2(origin.x, origin.y + rows.top_of(index)),
                    vec2(width, row.height()),
                );
                match row {
                    Row::PinnedHeader => header_ui(ui, blog, rect, "Pinned", true, actions),
                    Row::StreamHeader => header_ui(ui, blog, rect, "Timeline", false, actions),
                    Row::Day(day) => day_ui(ui, rect, &day_heading(day, rows.days.main_day)),
                    Row::Pinned { entry, slot } => {
                        let day = rows.other_day(entry);
                        if let Some(entry) = blog.entries.get(entry) {
                            let place = RowPlace::Pinned { slot, day };
                            self.entry_row_ui(ui, rect, entry, place, actions);
                        }
                    }
                    Row::Stream { entry, slot } => {
                        if let Some(entry) = blog.entries.get(entry) {
                            self.entry_row_ui(ui, rect, entry, RowPlace::Stream(slot), actions);
                        }
                    }
                }
            }
        });
        ui.ctx().data_mut(|d| {
            d.insert_temp(
                Id::unique("timeline-offset"),
                output.state.clamped_offset().y,
            );
        });
    }

    fn entry_row_ui(
        &self,
        ui: &mut Ui,
        rect: Rect,
        entry: &Entry,
        place: RowPlace,
        actions: &mut Vec<Action>,
    ) {
        let blog = self.session.blog();
        let id = Id::unique(("timeline-row", entry.id.as_str()));
        let response = ui.interact(rect, id, Sense::click_and_drag());
        let selected = self.selected == Some(&entry.id);
        let pinned = matches!(place, RowPlace::Pinned { .. });
        let clock = blog.settings.time_zone.clock(entry.display_time);
        // Stream rows sit under their day's separator; a pinned row names its day when it
        // is not the blog's main day.
        let time = match &place {
            RowPlace::Pinned { day: Some(day), .. } => format!("{day} · {clock}"),
            _ => clock,
        };
        let title = entry.title_line(90);
        let title = if title.is_empty() {
            "(empty post)".to_owned()
        } else {
            title
        };
        let out_of_order = match place {
            RowPlace::Stream(slot) => self.rows.out_of_order(blog, slot),
            RowPlace::Pinned { .. } => false,
        };
        // The badges are part of the name, so a screen reader hears what the eye sees.
        let mut accessible = format!("{time} {title}");
        let scheduled_clock = entry
            .status
            .scheduled_for()
            .map(|at| blog.settings.time_zone.clock(at));
        let scheduled_words = scheduled_clock
            .as_ref()
            .map(|clock| format!("scheduled for {clock}"))
            .unwrap_or_default();
        for (on, badge) in [
            (entry.is_draft() && !entry.is_ready(), "draft"),
            (entry.is_ready(), "ready for the editor"),
            (scheduled_clock.is_some(), scheduled_words.as_str()),
            (entry.kind == EntryKind::Summary, "summary"),
            (entry.flags.key_event, "key event"),
            (entry.flags.breaking, "breaking"),
            (pinned, "pinned"),
            (out_of_order, "out of order"),
        ] {
            if on {
                accessible.push_str(", ");
                accessible.push_str(badge);
            }
        }
        let thumbnail = match &entry.media {
            Some(crate::model::Media::Image { url, .. }) => super::thumbnails::small_state(ui, url),
            _ => None,
        };
        let marks = self
            .presence
            .get(&entry.id)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        if let Some(state) = &thumbnail {
            accessible.push_str(", ");
            accessible.push_str(super::thumbnails::describe(state));
        }
        if !marks.is_empty() {
            accessible.push_str(", ");
            accessible.push_str(&describe(marks));
        }
        response.widget_info(|| {
            WidgetInfo::selected(Role::ListBoxOption, true, selected, accessible.clone())
        });
        if response.clicked() {
            actions.push(Action::Select(entry.id.clone()));
        }
        response.dnd_set_drag_payload(DraggedEntry {
            id: entry.id.clone(),
        });

        let visuals = ui.visuals().clone();
        let painter = ui.painter_at(rect);
        let inner = rect.shrink2(vec2(6.0, 3.0));
        let fill = if selected {
            visuals.selection.bg_fill
        } else if response.hovered() {
            visuals.widgets.hovered.weak_bg_fill
        } else {
            Color32::TRANSPARENT
        };
        painter.rect_filled(rect.shrink(1.0), CornerRadius::same(4), fill);
        if response.has_focus() {
            painter.rect_stroke(
                rect.shrink(1.0),
                CornerRadius::same(4),
                visuals.selection.stroke,
                egui::StrokeKind::Inside,
            );
        }
        let strong = if selected {
            visuals.selection.stroke.color
        } else {
            visuals.strong_text_color()
        };
        let weak = if selected {
            visuals.selection.stroke.color
        } else {
            visuals.weak_text_color()
        };

        // Line 1: time on the left, badges on the right.
        let small = FontId::proportional(12.0);
        painter.text(
            inner.left_top(),
            Align2::LEFT_TOP,
            &time,
            small.clone(),
            weak,
        );
        let scheduled_badge = scheduled_clock.map(|clock| format!("SCHEDULED {clock}"));
        let mut badges: Vec<(&str, BadgeKind)> = Vec::new();
        if out_of_order {
            badges.push(("⚠ out of order", BadgeKind::OutOfOrder));
        }
        if entry.is_ready() {
            badges.push(("READY", BadgeKind::Ready));
        } else if entry.is_draft() {
            badges.push(("DRAFT", BadgeKind::Draft));
        }
        if let Some(badge) = &scheduled_badge {
            badges.push((badge, BadgeKind::Scheduled));
        }
        if entry.kind == EntryKind::Summary {
            badges.push(("SUMMARY", BadgeKind::Summary));
        }
        if entry.flags.key_event {
            badges.push(("KEY", BadgeKind::KeyEvent));
        }
        if entry.flags.breaking {
            badges.push(("BREAKING", BadgeKind::Breaking));
        }
        if pinned || blog.is_pinned(&entry.id) {
            badges.push(("PINNED", BadgeKind::Pinned));
        }
        let mut right = inner.right();
        for (text, kind) in badges.iter().rev() {
            // Filled, so the text reads the same on a selected or hovered row.
            let (text_color, fill) = kind.colors(visuals.dark_mode);
            let galley =
                painter.layout_no_wrap((*text).to_owned(), FontId::proportional(10.0), text_color);
            let size = galley.size() + vec2(8.0, 2.0);
            let badge = Rect::from_min_size(pos2(right - size.x, inner.top()), size);
            painter.rect_filled(badge, CornerRadius::same(3), fill);
            painter.galley(badge.min + vec2(4.0, 1.0), galley, text_color);
            right -= size.x + 4.0;
        }

        // The others on this entry: a dot each in their colour, a ring while they type.
        let mut x = inner.right() - 6.0;
        for mark in marks.iter().rev() {
            let centre = pos2(x, inner.bottom() - 6.0);
            painter.circle_filled(centre, 5.0, mark.colour32());
            if mark.typing {
                painter.circle_stroke(centre, 7.5, Stroke::new(1.5, mark.colour32()));
            }
            x -= 16.0;
        }

        // A small preview of the entry's picture at the right of lines 2 and 3.
        let mut text_width = inner.width();
        if let Some(state) = &thumbnail {
            // Left of the colleagues' dots, when there are any.
            let right = inner.right() - 16.0 * marks.len() as f32;
            let rect = Rect::from_min_size(
                pos2(right - THUMBNAIL_SIDE, inner.bottom() - THUMBNAIL_SIDE),
                vec2(THUMBNAIL_SIDE, THUMBNAIL_SIDE),
            );
            super::thumbnails::paint_small(ui, rect, state);
            text_width = right - THUMBNAIL_SIDE - 6.0 - inner.left();
        }
        // Line 2: headline or first words; line 3: byline.
        let title_font = FontId::proportional(14.0);
        let title_galley = painter.layout_job(truncated(&title, title_font, strong, text_width));
        painter.galley(inner.left_top() + vec2(0.0, 17.0), title_galley, strong);
        let byline = entry.byline_text();
        if !byline.is_empty() {
            let byline_galley = painter.layout_job(truncated(&byline, small, weak, text_width));
            painter.galley(inner.left_top() + vec2(0.0, 36.0), byline_galley, weak);
        }

        // Drag and drop: show where the entry would land, and move it on release.
        if let Some(dragged) = response.dnd_hover_payload::<DraggedEntry>()
            && dragged.id != entry.id
            && let Some(pointer) = ui.ctx().pointer_interact_pos()
        {
            let after = pointer.y > rect.center().y;
            let y = if after { rect.bottom() } else { rect.top() };
            ui.painter().hline(
                rect.x_range(),
                y,
                Stroke::new(2.0, visuals.selection.stroke.color),
            );
        }
        if let Some(dragged) = response.dnd_release_payload::<DraggedEntry>()
            && dragged.id != entry.id
        {
            let after = ui
                .ctx()
                .pointer_interact_pos()
                .is_some_and(|pointer| pointer.y > rect.center().y);
            let target = match place {
                RowPlace::Pinned { slot, .. } => DropTarget::Pinned { slot, after },
                RowPlace::Stream(_) => DropTarget::Stream {
                    target: &entry.id,
                    after,
                },
            };
            if let Some((label, edit)) = drop_entry(blog, &dragged.id, target) {
                actions.push(Action::Edit(label, edit));
            }
        }
    }
}

/// A day separator: the day's name over a rule, also the row's accessible name.
fn day_ui(ui: &mut Ui, rect: Rect, heading: &str) {
    let response = ui.interact(
        rect,
        Id::unique(("timeline-day", rect.top().to_bits())),
        Sense::hover(),
    );
    response.widget_info(|| WidgetInfo::labeled(Role::Label, true, heading));
    let painter = ui.painter_at(rect);
    let visuals = ui.visuals();
    painter.text(
        pos2(rect.left() + 6.0, rect.center().y),
        Align2::LEFT_CENTER,
        heading,
        FontId::proportional(13.0),
        visuals.strong_text_color(),
    );
    painter.hline(
        rect.x_range(),
        rect.bottom() - 1.0,
        visuals.widgets.noninteractive.bg_stroke,
    );
}

/// The side of a timeline row's picture preview.
const THUMBNAIL_SIDE: f32 = 34.0;

#[derive(Clone)]
enum RowPlace {
    /// `day`: the entry's day when it is not the blog's main day.
    Pinned {
        slot: usize,
        day: Option<String>,
    },
    Stream(usize),
}

fn header_ui(
    ui: &mut Ui,
    blog: &LiveBlog,
    rect: Rect,
    text: &str,
    pinned: bool,
    actions: &mut Vec<Action>,
) {
    let response = ui.interact(rect, Id::unique(("timeline-header", text)), Sense::hover());
    let painter = ui.painter_at(rect);
    painter.text(
        pos2(rect.left() + 6.0, rect.bottom() - 6.0),
        Align2::LEFT_BOTTOM,
        text.to_uppercase(),
        FontId::proportional(12.0),
        ui.visuals().weak_text_color(),
    );
    painter.hline(
        rect.x_range(),
        rect.bottom() - 1.0,
        ui.visuals().widgets.noninteractive.bg_stroke,
    );
    if let Some(dragged) = response.dnd_release_payload::<DraggedEntry>() {
        // Dropped on a heading: to the top of that section.
        if let Some((label, edit)) = drop_entry(blog, &dragged.id, DropTarget::Heading { pinned }) {
            actions.push(Action::Edit(label, edit));
        }
    }
}

fn truncated(text: &str, font: FontId, color: Color32, width: f32) -> egui::text::LayoutJob {
    let mut job = egui::text::LayoutJob::simple_singleline(text.to_owned(), font, color);
    job.wrap = egui::text::TextWrapping::truncate_at_width(width.max(10.0));
    job
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone, Utc};

    fn blog_of(n: usize) -> LiveBlog {
        let start = Utc.with_ymd_and_hms(2025, 2, 18, 9, 0, 0).unwrap();
        let mut blog = LiveBlog::new("Test", start);
        for i in 0..n {
            let id = EntryId::new(format!("p{i}")).unwrap();
            // Newest first.
            let time = start + Duration::minutes((n - i) as i64);
            blog.push_entry(Entry::new_post(id, time));
        }
        blog
    }

    #[test]
    fn a_narrowing_filter_drops_the_separator_of_a_day_left_empty() {
        let mut blog = blog_of(4);
        // p0 and p1 a day later than p2 and p3.
        for i in 0..2 {
            std::sync::Arc::make_mut(&mut blog.entries[i]).display_time += Duration::days(1);
        }
        std::sync::Arc::make_mut(&mut blog.entries[1]).body = "talks in Riyadh".into();
        std::sync::Arc::make_mut(&mut blog.entries[3]).body = "talks in Ankara".into();
        let session = Session::new(blog);
        let mut rows = TimelineRows::default();
        let days = |rows: &TimelineRows| {
            rows.rows
                .iter()
                .filter(|row| matches!(row, Row::Day(_)))
                .count()
        };
        rows.refresh(&session, &FindQuery::default());
        assert_eq!(days(&rows), 2);
        let mut query = FindQuery {
            text: "talks".into(),
            ..FindQuery::default()
        };
        rows.refresh(&session, &query);
        assert_eq!(days(&rows), 2, "one post left on each day");
        // One more word: only the later day keeps a post, and its separator.
        query.text = "talks riyadh".into();
        rows.refresh(&session, &query);
        assert_eq!(days(&rows), 1);
        assert_eq!(rows.top_of(rows.rows.len()), rows.total_height());
        assert_eq!(
            rows.total_height(),
            rows.rows.iter().map(|row| row.height()).sum::<f32>()
        );
    }

    #[test]
    fn a_page_past_either_end_stops_at_the_first_or_last_entry() {
        let mut session = Session::new(blog_of(5));
        let mut rows = TimelineRows::default();
        rows.refresh(&session, &FindQuery::default());
        let first = EntryId::new("p0").unwrap();
        let last = EntryId::new("p4").unwrap();
        assert_eq!(
            rows.entry_rows_away(&mut session, Some(&first), 100),
            Some(last.clone())
        );
        // Upwards past the headers and the day separator, to the first entry.
        assert_eq!(
            rows.entry_rows_away(&mut session, Some(&last), -100),
            Some(first.clone())
        );
        assert_eq!(rows.edge_entry(&session, true), Some(last));
        assert_eq!(rows.entry_rows_away(&mut session, None, 3), Some(first));
    }

    #[test]
    fn rows_put_pinned_first_and_mark_misplaced_times() {
        let mut blog = blog_of(4);
        blog.pinned.push(EntryId::new("p2").unwrap());
        blog.entries.swap(0, 1);
        let session = Session::new(blog);
        let mut rows = TimelineRows::default();
        rows.refresh(&session, &FindQuery::default());
        assert_eq!(rows.rows[0], Row::PinnedHeader);
        assert_eq!(rows.rows[1], Row::Pinned { entry: 2, slot: 0 });
        assert_eq!(rows.rows[2], Row::StreamHeader);
        assert_eq!(rows.stream, vec![0, 1, 3]);
        assert!(rows.out_of_order(session.blog(), 0));
        assert!(rows.out_of_order(session.blog(), 1));
        assert!(!rows.out_of_order(session.blog(), 2));
    }
}
