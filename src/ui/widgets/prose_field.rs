//! A text field for prose (headline, body, caption, alt text, correction): misspelt words
//! underlined with a red wavy line as the editor types (the field's own layouter finds them
//! in exactly the text it lays out; the lines are painted under the laid-out words),
//! suggestions on a right-click, and the house's typography applied to what was just typed.
//!
//! The field edits a copy of the document's text like every other field; a chosen
//! suggestion or a curled quote changes that copy, so the entry editor emits the usual
//! `SetField` and undo works as for typing.

use super::writing_aids::{WritingAids, WritingChoice, WritingPrefs};
use crate::ui::action::Action;
use crate::writing::spelling::Misspellings;
use crate::writing::typography::smarten_typed;
use egui::text::{CCursor, CCursorRange, LayoutJob};
use egui::{
    Align2, Galley, Id, Pos2, Rect, Response, Shape, Stroke, TextBuffer, TextEdit, TextFormat,
    TextStyle, Ui, pos2,
};
use std::ops::Range;
use std::sync::Arc;

/// The writing aids as a field needs them.
pub struct Writing<'a> {
    pub aids: &'a mut WritingAids,
    pub prefs: &'a WritingPrefs,
}

/// How a prose field looks; `show` draws it.
pub struct ProseField<'h> {
    id: Id,
    multiline: bool,
    rows: usize,
    hint: &'h str,
    align: Option<Align2>,
    desired_width: f32,
}

/// The misspelt word a right-click landed on, kept while its menu is open.
#[derive(Clone, Debug)]
struct MenuTarget {
    range: Range<usize>,
    word: String,
    suggestions: Vec<String>,
}

impl<'h> ProseField<'h> {
    pub fn singleline(id: Id) -> Self {
        Self {
            id,
            multiline: false,
            rows: 1,
            hint: "",
            align: None,
            desired_width: f32::INFINITY,
        }
    }

    pub fn multiline(id: Id, rows: usize) -> Self {
        Self {
            multiline: true,
            rows,
            ..Self::singleline(id)
        }
    }

    pub fn hint(mut self, hint: &'h str) -> Self {
        self.hint = hint;
        self
    }

    pub fn align(mut self, align: Align2) -> Self {
        self.align = Some(align);
        self
    }

    /// Draws the field over `text`, a copy of `original` (the document's text), which
    /// the caller compares with `original` afterwards, as for any field.
    pub fn show(
        self,
        ui: &mut Ui,
        writing: &mut Writing<'_>,
        original: &str,
        text: &mut String,
        actions: &mut Vec<Action>,
    ) -> Response {
        let ProseField {
            id,
            multiline,
            rows,
            hint,
            align,
            desired_width,
        } = self;
        let mut checker = if writing.prefs.spellcheck {
            writing.aids.checker()
        } else {
            None
        };
        let mut misspelt: Option<Misspellings> = None;
        let mut layouter = |ui: &Ui, buffer: &dyn TextBuffer, wrap_width: f32| -> Arc<Galley> {
            let shown = buffer.as_str();
            let found = checker
                .as_deref_mut()
                .map(|checker| checker.misspellings(shown));
            let job = field_job(ui, shown, wrap_width, multiline, align);
            misspelt = found;
            ui.fonts_mut(|fonts| fonts.layout_job(job))
        };
        let mut edit = if multiline {
            TextEdit::multiline(text).desired_rows(rows)
        } else {
            TextEdit::singleline(text)
        }
        .id(id)
        .hint_text(hint)
        .desired_width(desired_width)
        .layouter(&mut layouter);
        if let Some(align) = align {
            edit = edit.align(align);
        }
        let mut output = edit.show(ui);
        let response = output.response.response.clone();
        // Where the galley's own origin is painted (`galley_pos` is its visible left edge,
        // which differs for centred or right-aligned text).
        let origin = output.galley_pos - egui::vec2(output.galley.rect.left(), 0.0);
        if let Some(found) = misspelt.as_deref()
            && !found.is_empty()
        {
            paint_wavy_lines(ui, &output.galley, origin, output.text_clip_rect, found);
        }

        if writing.prefs.smart_typography
            && text.as_str() != original
            && let Some(cursor) = output.cursor_range
            && let Some(smartened) = smarten_typed(original, text, cursor.primary.index.into())
        {
            *text = smartened.text;
            output
                .state
                .cursor
                .set_char_range(Some(CCursorRange::one(CCursor::new(smartened.cursor))));
            output.state.store(ui.ctx(), id);
        }

        let menu_key = id.with("spelling-menu");
        if response.secondary_clicked() {
            let pointer = ui.ctx().input(|input| input.pointer.interact_pos());
            let target = pointer.and_then(|pointer| {
                let at = output.galley.cursor_from_pos(pointer - origin);
                let byte = text
                    .char_indices()
                    .nth(at.index.into())
                    .map_or(text.len(), |(byte, _)| byte);
                let range = misspelt
                    .as_deref()?
                    .iter()
                    .find(|range| range.start <= byte && byte <= range.end)?
                    .clone();
                let word = text.get(range.clone())?.to_owned();
                let suggestions = writing
                    .aids
                    .checker()
                    .map(|checker| checker.suggestions(&word))
                    .unwrap_or_default();
                Some(MenuTarget {
                    range,
                    word,
                    suggestions,
                })
            });
            ui.data_mut(|data| match target {
                Some(target) => {
                    data.insert_temp(menu_key, target);
                }
                None => data.remove::<MenuTarget>(menu_key),
            });
        }
        if let Some(target) = ui.data(|data| data.get_temp::<MenuTarget>(menu_key)) {
            response.context_menu(|ui| spelling_menu(ui, id, &target, text, actions));
        }
        response
    }
}

/// Suggestions first, then "Add to dictionary" and "Ignore".
fn spelling_menu(
    ui: &mut Ui,
    field: Id,
    target: &MenuTarget,
    text: &mut String,
    actions: &mut Vec<Action>,
) {
    if target.suggestions.is_empty() {
        ui.weak("No suggestions");
    }
    for suggestion in &target.suggestions {
        if ui.button(suggestion).clicked() {
            // Only if the word is still where it was when the menu opened.
            if text.get(target.range.clone()) == Some(target.word.as_str()) {
                text.replace_range(target.range.clone(), suggestion);
                let cursor =
                    text[..target.range.start].chars().count() + suggestion.chars().count();
                let mut state = TextEdit::load_state(ui.ctx(), field).unwrap_or_default();
                state
                    .cursor
                    .set_char_range(Some(CCursorRange::one(CCursor::new(cursor))));
                state.store(ui.ctx(), field);
            }
            ui.close();
        }
    }
    ui.separator();
    if ui
        .button("Add to dictionary")
        .on_hover_text(format!(
            "Accept “{}” from now on, in every blog",
            target.word
        ))
        .clicked()
    {
        actions.push(Action::Writing(WritingChoice::AddToDictionary(
            target.word.clone(),
        )));
        ui.close();
    }
    if ui
        .button("Ignore")
        .on_hover_text(format!("Accept “{}” until Newsdesk closes", target.word))
        .clicked()
    {
        actions.push(Action::Writing(WritingChoice::Ignore(target.word.clone())));
        ui.close();
    }
}

/// The field's text laid out as `TextEdit` lays it out.
fn field_job(
    ui: &Ui,
    text: &str,
    wrap_width: f32,
    multiline: bool,
    align: Option<Align2>,
) -> LayoutJob {
    let font_id = TextStyle::Body.resolve(ui.style());
    let color = ui
        .visuals()
        .override_text_color
        .unwrap_or_else(|| ui.visuals().widgets.inactive.text_color());
    let line_height =
        ui.fonts_mut(|fonts| fonts.row_height(&font_id)) + ui.spacing().extra_text_line_spacing;
    let format = TextFormat {
        font_id,
        color,
        line_height: Some(line_height),
        ..Default::default()
    };
    let mut job = LayoutJob {
        break_on_newline: multiline,
        halign: align.unwrap_or_else(|| ui.layout().align2()).x(),
        // Trailing spaces stay visible while typing, as in egui's own fields.
        keep_trailing_whitespace: true,
        ..Default::default()
    };
    job.wrap.max_width = if multiline { wrap_width } else { f32::INFINITY };
    job.append(text, 0.0, format);
    job
}

/// A red wavy line under each misspelt word (byte ranges of the galley's text), on every
/// row the word spans.
fn paint_wavy_lines(ui: &Ui, galley: &Galley, origin: Pos2, clip: Rect, misspelt: &[Range<usize>]) {
    let char_ranges = char_ranges(&galley.job.text, misspelt);
    let painter = ui.painter_at(clip);
    let stroke = misspelling_stroke(ui);
    let mut row_start = 0;
    for placed in &galley.rows {
        let glyphs = &placed.row.glyphs;
        let row_end = row_start + glyphs.len();
        for range in &char_ranges {
            let from = range.start.max(row_start);
            let to = range.end.min(row_end);
            if from >= to {
                continue;
            }
            let first = &glyphs[from - row_start];
            let last = &glyphs[to - row_start - 1];
            let row = origin + placed.pos.to_vec2();
            let left = row.x + first.pos.x;
            let right = row.x + last.pos.x + last.advance_width;
            let baseline = row.y + first.pos.y;
            painter.add(Shape::line(wave(left, right, baseline + 2.5), stroke));
        }
        row_start += usize::from(placed.char_count_including_newline());
    }
}

/// Points of a zigzag from `left` to `right` around `y`: half-waves of 2 points.
fn wave(left: f32, right: f32, y: f32) -> Vec<Pos2> {
    const HALF_WAVE: f32 = 2.0;
    const AMPLITUDE: f32 = 1.0;
    let mut points = Vec::new();
    let mut x = left;
    let mut up = true;
    while x < right {
        points.push(pos2(x, if up { y - AMPLITUDE } else { y + AMPLITUDE }));
        x += HALF_WAVE;
        up = !up;
    }
    points.push(pos2(right, if up { y - AMPLITUDE } else { y + AMPLITUDE }));
    points
}

/// Byte ranges of `text` as char ranges, in one pass (the ranges are sorted).
fn char_ranges(text: &str, bytes: &[Range<usize>]) -> Vec<Range<usize>> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut chars = 0;
    let mut at = 0;
    for range in bytes {
        if range.start < at || range.end > text.len() {
            continue;
        }
        let start = chars + text[at..range.start].chars().count();
        let end = start + text[range.start..range.end].chars().count();
        out.push(start..end);
        chars = end;
        at = range.end;
    }
    out
}

/// How a misspelt word is underlined: the theme's error colour, so it reads in light and
/// dark alike.
pub fn misspelling_stroke(ui: &Ui) -> Stroke {
    Stroke::new(1.0, ui.visuals().error_fg_color)
}

/// The line under the body: the entry's word count and reading time, where spellcheck
/// stands, and the two writing-aids switches.
pub fn writing_aids_line(
    ui: &mut Ui,
    writing: &mut Writing<'_>,
    entry: &crate::model::Entry,
    actions: &mut Vec<Action>,
) {
    let count = writing.aids.entry_count(entry);
    ui.horizontal_wrapped(|ui| {
        ui.label(count.describe())
            .on_hover_text("Headline, body and caption, at 230 words a minute");
        let mut spellcheck = writing.prefs.spellcheck;
        if ui
            .checkbox(&mut spellcheck, "Check spelling")
            .on_hover_text("Underline misspelt words; right-click one for suggestions")
            .changed()
        {
            actions.push(Action::Writing(WritingChoice::SetSpellcheck(spellcheck)));
        }
        let mut smart = writing.prefs.smart_typography;
        if ui
            .checkbox(&mut smart, "Smart quotes and dashes")
            .on_hover_text("As you type: “curly quotes”, ’ apostrophes, -- to –, ... to …")
            .changed()
        {
            actions.push(Action::Writing(WritingChoice::SetSmartTypography(smart)));
        }
        if let Some(note) = writing.aids.spelling_note() {
            ui.weak(note);
        }
    });
}
