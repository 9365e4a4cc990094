//! The live preview on the right: the selected entry as it will be published, drawn with
//! egui from the same Markdown; or, on request, the whole page (pinned entries, key
//! events, then the stream), virtualized so that 100,000 entries cost what a screenful does.

use crate::edit::Session;
use crate::model::{Entry, EntryId, EntryKind, LiveBlog, Media};
use crate::ui::fonts;
use crate::ui::widgets::badge::BadgeKind;
use crate::ui::widgets::direction::is_right_to_left;
use crate::ui::widgets::markdown::{self, Block, Span};
use egui::text::{LayoutJob, TextFormat};
use egui::{Color32, FontFamily, FontId, Frame, Margin, RichText, ScrollArea, Stroke, Ui};
use std::collections::HashMap;

/// Draws one entry as readers will see it.
pub fn entry_ui(ui: &mut Ui, blog: &LiveBlog, entry: &Entry) {
    let weak = ui.visuals().weak_text_color();
    ui.horizontal_wrapped(|ui| {
        let mut time = format!(
            "{} {}",
            blog.settings.time_zone.clock(entry.display_time),
            blog.settings.time_zone.display_label()
        );
        for zone in &blog.settings.extra_zones {
            time.push_str(&format!(
                " · {} {}",
                zone.clock(entry.display_time),
                zone.display_label()
            ));
        }
        ui.label(RichText::new(time).color(weak).size(12.0));
        if entry.flags.breaking {
            badge(ui, "Breaking", BadgeKind::Breaking);
        }
        if entry.flags.key_event {
            badge(ui, "Key event", BadgeKind::KeyEvent);
        }
        if entry.kind == EntryKind::Summary {
            badge(ui, "Summary", BadgeKind::Summary);
        }
        if blog.is_pinned(&entry.id) {
            badge(ui, "Pinned", BadgeKind::Pinned);
        }
        if entry.is_ready() {
            badge(
                ui,
                "Ready for the editor: not on the page",
                BadgeKind::Ready,
            );
        } else if entry.is_draft() {
            badge(ui, "Draft: not on the page", BadgeKind::Draft);
        }
        if let Some(at) = entry.status.scheduled_for() {
            let clock = blog.settings.time_zone.clock(at);
            badge(
                ui,
                &format!("Scheduled: on the page from {clock}"),
                BadgeKind::Scheduled,
            );
        }
    });
    if let Some(headline) = entry.headline() {
        ui.label(
            RichText::new(headline)
                .family(fonts_bold(ui))
                .size(18.0)
                .color(ui.visuals().strong_text_color()),
        );
    }
    let byline = entry.byline_text();
    if !byline.is_empty() {
        ui.label(RichText::new(byline).italics().color(weak));
    }
    ui.add_space(4.0);
    blocks_ui(ui, &markdown::parse(&entry.body));
    if let Some(media) = &entry.media {
        media_ui(ui, media);
    }
    if let Some(correction) = entry.correction() {
        ui.add_space(4.0);
        ui.label(
            RichText::new(format!("Correction: {correction}"))
                .italics()
                .color(ui.visuals().warn_fg_color),
        );
    }
}

/// The bold family when the bundled fonts are installed; the normal one otherwise, so a
/// context without them (a bare test harness) still draws instead of panicking.
fn fonts_bold(ui: &Ui) -> FontFamily {
    let bold = fonts::bold();
    if ui
        .ctx()
        .fonts(|f| f.definitions().families.contains_key(&bold))
    {
        bold
    } else {
        FontFamily::Proportional
    }
}

/// A filled badge in the colours readable in the current theme.
fn badge(ui: &mut Ui, text: &str, kind: BadgeKind) {
    let (text_color, fill) = kind.colors(ui.visuals().dark_mode);
    Frame::new()
        .fill(fill)
        .corner_radius(3)
        .inner_margin(Margin::symmetric(4, 0))
        .show(ui, |ui| {
            ui.label(RichText::new(text).color(text_color).size(11.0));
        });
}

fn media_ui(ui: &mut Ui, media: &Media) {
    if let Media::Embed(card) = media {
        embed_card_ui(ui, card);
        return;
    }
    let (kind, url, alt, caption) = match media {
        Media::Image { url, alt, caption } => ("Image", url, Some(alt), caption),
        Media::Video { url, caption } => ("Video", url, None, caption),
        Media::Embed(_) => return,
    };
    Frame::new()
        .fill(ui.visuals().faint_bg_color)
        .inner_margin(Margin::same(8))
        .corner_radius(4)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            if let Some(alt) = alt {
                let width = ui.available_width().min(480.0);
                super::thumbnails::picture_ui(ui, url, alt, egui::vec2(width, width * 0.6));
            }
            ui.label(
                RichText::new(format!("▶ {kind}: {url}"))
                    .monospace()
                    .size(11.0),
            );
            if let Some(alt) = alt {
                let alt_text = if alt.trim().is_empty() {
                    RichText::new("No alt text: readers using screen readers will miss it")
                        .color(ui.visuals().warn_fg_color)
                } else {
                    RichText::new(format!("Alt text: {alt}")).italics()
                };
                ui.label(alt_text);
            }
            if !caption.trim().is_empty() {
                ui.label(RichText::new(caption).size(12.0));
            }
        });
}

/// A social post's card as the page shows it: text, then who, where and when.
fn embed_card_ui(ui: &mut Ui, card: &crate::model::EmbedCard) {
    Frame::new()
        .stroke(Stroke::new(1.0, ui.visuals().weak_text_color()))
        .inner_margin(Margin::same(8))
        .corner_radius(4)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            if card.text.trim().is_empty() {
                ui.label(
                    RichText::new("No post text yet: fetch the card or type it in")
                        .color(ui.visuals().warn_fg_color),
                );
            } else {
                ui.label(card.text.trim());
            }
            let mut line = card.author.trim().to_owned();
            if !card.provider.trim().is_empty() {
                if !line.is_empty() {
                    line.push_str(" on ");
                }
                line.push_str(card.provider.trim());
            }
            if !card.date.trim().is_empty() {
                if !line.is_empty() {
                    line.push_str(", ");
                }
                line.push_str(card.date.trim());
            }
            if !line.is_empty() {
                ui.label(RichText::new(line).size(12.0).strong());
            }
            ui.label(RichText::new(card.url.trim()).monospace().size(11.0));
        });
}

fn blocks_ui(ui: &mut Ui, blocks: &[Block]) {
    for block in blocks {
        block_ui(ui, block);
    }
}

fn block_ui(ui: &mut Ui, block: &Block) {
    match block {
        Block::Paragraph(spans) => {
            text_block(ui, spans, layout(ui, spans, 14.0, false));
            ui.add_space(4.0);
        }
        Block::Heading(level, spans) => {
            let size = match level {
                1 => 20.0,
                2 => 18.0,
                _ => 16.0,
            };
            text_block(ui, spans, layout(ui, spans, size, true));
            ui.add_space(2.0);
        }
        Block::Quote(inner) => {
            let stroke = Stroke::new(3.0, ui.visuals().weak_text_color());
            quote_frame(ui, stroke, Color32::TRANSPARENT, None, inner);
        }
        Block::Context(inner) => {
            let accent = Color32::from_rgb(60, 110, 170);
            let fill = ui.visuals().faint_bg_color;
            quote_frame(
                ui,
                Stroke::new(3.0, accent),
                fill,
                Some("For context"),
                inner,
            );
        }
        Block::List { start, items } => {
            for (index, item) in items.iter().enumerate() {
                ui.horizontal_top(|ui| {
                    let marker = match start {
                        Some(first) => format!("{}.", first + index as u64),
                        None => "•".to_owned(),
                    };
                    ui.label(marker);
                    ui.vertical(|ui| blocks_ui(ui, item));
                });
            }
            ui.add_space(4.0);
        }
        Block::Code(code) => {
            ui.label(RichText::new(code).monospace());
        }
        Block::Rule => {
            ui.separator();
        }
    }
}

fn quote_frame(ui: &mut Ui, stroke: Stroke, fill: Color32, title: Option<&str>, inner: &[Block]) {
    let response = Frame::new()
        .fill(fill)
        .inner_margin(Margin {
            left: 12,
            right: 6,
            top: 4,
            bottom: 4,
        })
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            if let Some(title) = title {
                ui.label(RichText::new(title).strong().size(12.0).color(stroke.color));
            }
            blocks_ui(ui, inner);
        })
        .response;
    let rect = response.rect;
    ui.painter()
        .vline(rect.left() + 1.5, rect.y_range(), stroke);
    ui.add_space(4.0);
}

/// A paragraph or heading, aligned right when it reads right to left.
fn text_block(ui: &mut Ui, spans: &[Span], job: LayoutJob) {
    let text: String = spans.iter().map(|span| span.text.as_str()).collect();
    if is_right_to_left(&text) {
        ui.with_layout(egui::Layout::top_down(egui::Align::Max), |ui| {
            ui.add(egui::Label::new(job).halign(egui::Align::Max));
        });
    } else {
        ui.label(job);
    }
}

fn layout(ui: &Ui, spans: &[Span], size: f32, heading: bool) -> LayoutJob {
    let visuals = ui.visuals();
    let bold_family = fonts_bold(ui);
    let mut job = LayoutJob::default();
    for span in spans {
        let family = if span.code {
            FontFamily::Monospace
        } else if span.bold || heading {
            bold_family.clone()
        } else {
            FontFamily::Proportional
        };
        let color = if span.link {
            visuals.hyperlink_color
        } else if span.bold || heading {
            visuals.strong_text_color()
        } else {
            visuals.text_color()
        };
        job.append(
            &span.text,
            0.0,
            TextFormat {
                font_id: FontId::new(if span.code { size - 1.0 } else { size }, family),
                color,
                italics: span.italic,
                underline: if span.link {
                    Stroke::new(1.0, color)
                } else {
                    Stroke::NONE
                },
                strikethrough: if span.strikethrough {
                    Stroke::new(1.0, color)
                } else {
                    Stroke::NONE
                },
                ..Default::default()
            },
        );
    }
    job.wrap.max_width = ui.available_width();
    job
}

/// Heights of page-preview entries measured when last drawn, and their running tops,
/// so the whole page can be scrolled without laying out what is off screen.
#[derive(Default)]
pub struct PageLayout {
    built_for: Option<(u64, u64)>,
    /// Entry positions in page order: pinned, then the published stream.
    order: Vec<usize>,
    heights: HashMap<EntryId, f32>,
    tops: Vec<f32>,
    tops_stale: bool,
    width: f32,
}

const ESTIMATED_LINE: f32 = 18.0;
const ENTRY_GAP: f32 = 16.0;

impl PageLayout {
    fn refresh(&mut self, session: &Session, width: f32) {
        // Who is on the page changes with the shape or a publish, not with typing; a
        // changed height is noticed when the entry is drawn and measured again.
        let key = session.counts_key();
        if (width - self.width).abs() > 1.0 {
            // Text wraps differently: every measurement is stale.
            self.heights.clear();
            self.width = width;
            self.tops_stale = true;
        }
        if self.built_for != Some(key) {
            let blog = session.blog();
            {
                let positions: HashMap<&EntryId, usize> = blog
                    .entries
                    .iter()
                    .enumerate()
                    .map(|(index, entry)| (&entry.id, index))
                    .collect();
                let pinned = blog
                    .pinned
                    .iter()
                    .filter_map(|id| positions.get(id).copied());
                let stream = blog
                    .entries
                    .iter()
                    .enumerate()
                    .filter(|(_, entry)| !blog.is_pinned(&entry.id))
                    .map(|(index, _)| index);
                self.order = pinned
                    .chain(stream)
                    .filter(|&index| blog.entries[index].is_published())
                    .collect();
            }
            self.built_for = Some(key);
            self.tops_stale = true;
        }
        if self.tops_stale {
            let blog = session.blog();
            let chars_per_line = (width / 7.0).max(20.0);
            let mut top = 0.0;
            self.tops.clear();
            self.tops.reserve(self.order.len() + 1);
            for &index in &self.order {
                self.tops.push(top);
                let entry = &blog.entries[index];
                let height = self.heights.get(&entry.id).copied().unwrap_or_else(|| {
                    let lines = entry.body.len() as f32 / chars_per_line + 4.0;
                    lines * ESTIMATED_LINE
                });
                top += height + ENTRY_GAP;
            }
            self.tops.push(top);
            self.tops_stale = false;
        }
    }
}

/// The whole page as published: header, pinned entries, then the stream (drafts left out).
pub fn page_ui(ui: &mut Ui, session: &Session, page: &mut PageLayout) {
    let blog = session.blog();
    // As the exported page's header says it.
    crate::ui::widgets::blog_status::blog_status_badge(ui, blog.settings.status);
    ui.label(
        RichText::new(&blog.settings.title)
            .family(fonts_bold(ui))
            .size(20.0)
            .color(ui.visuals().strong_text_color()),
    );
    if !blog.settings.standfirst.is_empty() {
        ui.label(RichText::new(&blog.settings.standfirst).size(14.0));
    }
    ui.separator();
    let width = ui.available_width() - 16.0;
    page.refresh(session, width);
    let total = page.tops.last().copied().unwrap_or(0.0);
    let mut measured = Vec::new();
    ScrollArea::vertical()
        .id_salt("page-preview")
        .auto_shrink([false, false])
        .show_viewport(ui, |ui, viewport| {
            ui.set_height(total);
            if page.order.is_empty() {
                ui.weak("Nothing is published yet.");
                return;
            }
            // First entry whose bottom is below the top of the view.
            let first = page
                .tops
                .partition_point(|&top| top <= viewport.min.y)
                .saturating_sub(1)
                .min(page.order.len().saturating_sub(1));
            let origin = ui.max_rect().min;
            let mut child =
                ui.new_child(egui::UiBuilder::new().max_rect(egui::Rect::from_min_size(
                    origin + egui::vec2(0.0, page.tops[first]),
                    egui::vec2(width, f32::INFINITY),
                )));
            let mut index = first;
            while index < page.order.len() && child.min_rect().bottom() - origin.y < viewport.max.y
            {
                let Some(entry) = blog.entries.get(page.order[index]) else {
                    break;
                };
                let before = child.cursor().top();
                entry_ui(&mut child, blog, entry);
                let height = child.cursor().top() - before;
                child.add_space(ENTRY_GAP / 2.0);
                child.separator();
                measured.push((entry.id.clone(), height));
                index += 1;
            }
        });
    for (id, height) in measured {
        let previous = page.heights.insert(id, height);
        if previous.is_none_or(|old| (old - height).abs() > 0.5) {
            page.tops_stale = true;
        }
    }
}
