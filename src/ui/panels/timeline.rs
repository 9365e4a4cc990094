//! The timeline on the left: the pinned section, then the stream in the editor's order.
//!
//! Drawn virtualized with fixed-height rows: only the rows in view are laid out, and
//! the list of rows (after the filter) is computed once per document shape and query,
//! never per frame, so it stays instant at 100,000 posts.

use super::find::FindQuery;
use super::presence::{Presence, describe};
use crate::edit::Session;
use crate::edit::reorder::{DropTarget, drop_entry};
use crate::model::{Entry, EntryId, EntryKind, LiveBlog};
use crate::ui::action::Action;
use egui::{
    Align2, Color32, CornerRadius, FontId, Id, Rect, Role, ScrollArea, Sense, Stroke, Ui,
    WidgetInfo, pos2, vec2,
};
use std::collections::HashSet;

/// Height of one row: time and badges, title, byline.
pub const ROW_HEIGHT: f32 = 58.0;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Row {
    PinnedHeader,
    /// `slot` is the place in the pinned list.
    Pinned {
        entry: usize,
        slot: usize,
    },
    StreamHeader,
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
            Row::PinnedHeader | Row::StreamHeader => None,
        }
    }
}

/// The rows to draw, valid for one document shape and one query.
#[derive(Default)]
pub struct TimelineRows {
    key: Option<(u64, FindQuery)>,
    pub rows: Vec<Row>,
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
        if let Some((built_revision, built_query)) = &self.key
            && *built_revision == revision
            && built_query == query
        {
            return;
        }
        let narrowing = match &self.key {
            Some((built_revision, built_query)) => {
                *built_revision == revision && query.narrows(built_query)
            }
            None => false,
        };
        let blog = session.blog();
        if narrowing {
            // Typing one more letter only removes rows: filter the ones we have.
            let entries = &blog.entries;
            self.rows.retain(|row| match row.entry() {
                Some(entry) => entries.get(entry).is_some_and(|e| query.matches(e)),
                None => true,
            });
        } else {
            self.rebuild(blog, query);
        }
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
        self.key = Some((revision, query.clone()));
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
        for (slot, &entry) in self.stream.iter().enumerate() {
            if !active || query.matches(&blog.entries[entry]) {
                rows.push(Row::Stream { entry, slot });
            }
        }
        self.rows = rows;
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
        let row_count = self.rows.rows.len();
        let mut scroll = ScrollArea::vertical()
            .id_salt("timeline")
            .auto_shrink([false, false]);
        if let Some(row) = self.scroll_to_row {
            let viewport_height = ui.available_height();
            let top = row as f32 * ROW_HEIGHT;
            let previous = ui
                .ctx()
                .data(|d| d.get_temp::<f32>(Id::unique("timeline-offset")))
                .unwrap_or(0.0);
            let offset = if top < previous {
                top
            } else if top + ROW_HEIGHT > previous + viewport_height {
                top + ROW_HEIGHT - viewport_height
            } else {
                previous
            };
            scroll = scroll.vertical_scroll_offset(offset.max(0.0));
        }
        let output = scroll.show_viewport(ui, |ui, viewport| {
            ui.set_height(row_count as f32 * ROW_HEIGHT);
            let first = ((viewport.min.y / ROW_HEIGHT).floor().max(0.0) as usize).min(row_count);
            let last = ((viewport.max.y / ROW_HEIGHT).ceil() as usize + 1).min(row_count);
            let origin = ui.max_rect().min;
            let width = ui.max_rect().width();
            for index in first..last {
                let rect = Rect::from_min_size(
                    pos2(origin.x, origin.y + index as f32 * ROW_HEIGHT),
                    vec2(width, ROW_HEIGHT),
                );
                match self.rows.rows[index] {
                    Row::PinnedHeader => header_ui(ui, blog, rect, "Pinned", true, actions),
                    Row::StreamHeader => header_ui(ui, blog, rect, "Timeline", false, actions),
                    Row::Pinned { entry, slot } => {
                        if let Some(entry) = blog.entries.get(entry) {
                            self.entry_row_ui(ui, rect, entry, RowPlace::Pinned(slot), actions);
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
        let pinned = matches!(place, RowPlace::Pinned(_));
        let time = blog.settings.time_zone.clock(entry.display_time);
        let title = entry.title_line(90);
        let title = if title.is_empty() {
            "(empty post)".to_owned()
        } else {
            title
        };
        let out_of_order = match place {
            RowPlace::Stream(slot) => self.rows.out_of_order(blog, slot),
            RowPlace::Pinned(_) => false,
        };
        // The badges are part of the name, so a screen reader hears what the eye sees.
        let mut accessible = format!("{time} {title}");
        for (on, badge) in [
            (entry.is_draft(), "draft"),
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
        let mut badges: Vec<(&str, Color32)> = Vec::new();
        if out_of_order {
            badges.push(("⚠ out of order", visuals.warn_fg_color));
        }
        if entry.is_draft() {
            badges.push(("DRAFT", Color32::from_rgb(160, 110, 20)));
        }
        if entry.kind == EntryKind::Summary {
            badges.push(("SUMMARY", Color32::from_rgb(60, 110, 170)));
        }
        if entry.flags.key_event {
            badges.push(("KEY", Color32::from_rgb(30, 130, 80)));
        }
        if entry.flags.breaking {
            badges.push(("BREAKING", Color32::from_rgb(190, 40, 40)));
        }
        if pinned || blog.is_pinned(&entry.id) {
            badges.push(("PINNED", Color32::from_rgb(120, 80, 160)));
        }
        let mut right = inner.right();
        for (text, color) in badges.iter().rev() {
            let galley =
                painter.layout_no_wrap((*text).to_owned(), FontId::proportional(10.0), *color);
            let size = galley.size() + vec2(8.0, 2.0);
            let badge = Rect::from_min_size(pos2(right - size.x, inner.top()), size);
            painter.rect_stroke(
                badge,
                CornerRadius::same(3),
                Stroke::new(1.0, *color),
                egui::StrokeKind::Inside,
            );
            painter.galley(badge.min + vec2(4.0, 1.0), galley, *color);
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
                RowPlace::Pinned(slot) => DropTarget::Pinned { slot, after },
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

/// The side of a timeline row's picture preview.
const THUMBNAIL_SIDE: f32 = 34.0;

#[derive(Clone, Copy)]
enum RowPlace {
    Pinned(usize),
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
