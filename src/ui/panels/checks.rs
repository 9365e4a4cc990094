//! The Checks panel: the open document's problems, kept live by `checks::Checker`.
//!
//! Drawing only. Clicking a problem asks to jump to its entry and field; clicking a fix
//! asks to apply it. The app carries both out after drawing (a fix through the edit layer,
//! so it can be undone). Also here: the question asked when exporting with errors left.
//!
//! Wiring: keep a `checks::Checker` beside the session, call `checker.check(blog, now)`
//! when the session's revision changes (and about once a minute, for stale drafts), and
//! draw `checks_panel_ui(ui, checker.report(), &blog.settings.time_zone)`.

use crate::checks::{CheckReport, Problem, Severity};
use crate::model::ZoneLabel;
use crate::ui::action::{ChecksAction, ExportChoice};
use egui::text::LayoutJob;
use egui::{Align, Button, Color32, Layout, RichText, ScrollArea, TextFormat, TextStyle, Ui};

/// Draws the panel: a summary, a "Show warnings" switch, and one row per problem (the
/// list draws only the rows in view, so thousands of problems scroll smoothly). The panel
/// keeps its height whatever the list holds, so nothing moves under the pointer when a
/// fix removes the last problem or a new one appears.
pub fn checks_panel_ui(
    ui: &mut Ui,
    report: &CheckReport,
    zone: &ZoneLabel,
) -> Option<ChecksAction> {
    ui.set_min_height(ui.available_height());
    let show_warnings_id = ui.make_persistent_id("checks-show-warnings");
    let mut show_warnings = ui
        .data(|data| data.get_temp::<bool>(show_warnings_id))
        .unwrap_or(true);
    ui.horizontal(|ui| {
        ui.heading("Checks");
        summary_ui(ui, report);
        ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
            ui.checkbox(&mut show_warnings, "Show warnings");
        });
    });
    ui.data_mut(|data| data.insert_temp(show_warnings_id, show_warnings));
    ui.separator();

    let shown: Vec<&Problem> = report
        .problems
        .iter()
        .filter(|problem| show_warnings || problem.severity == Severity::Error)
        .collect();
    if shown.is_empty() {
        let words = if report.is_clean() {
            "Nothing to put right before publishing."
        } else {
            "No errors. Warnings are hidden."
        };
        ui.label(words);
        return None;
    }
    let row_height = row_height(ui);
    let mut action = None;
    ScrollArea::vertical()
        .auto_shrink([false, false])
        .show_rows(ui, row_height, shown.len(), |ui, rows| {
            for problem in shown.get(rows).unwrap_or_default() {
                if let Some(asked) = problem_row(ui, problem, zone, row_height) {
                    action = Some(asked);
                }
            }
        });
    action
}

/// The panel while there is nothing to check yet (a file is opening): `what` says why,
/// at the panel's usual height, and no verdict is given.
pub fn checks_waiting_ui(ui: &mut Ui, what: &str) {
    ui.set_min_height(ui.available_height());
    ui.horizontal(|ui| {
        ui.heading("Checks");
        ui.spinner();
        ui.label(what);
    });
    ui.separator();
}

/// "2 errors · 5 warnings", in the colours of each.
fn summary_ui(ui: &mut Ui, report: &CheckReport) {
    let errors = report.error_count();
    let warnings = report.warning_count();
    if errors == 0 && warnings == 0 {
        ui.label("No problems");
        return;
    }
    ui.label(RichText::new(counted(errors, "error")).color(severity_color(ui, Severity::Error)));
    ui.label("·");
    ui.label(
        RichText::new(counted(warnings, "warning")).color(severity_color(ui, Severity::Warning)),
    );
}

fn counted(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

fn severity_color(ui: &Ui, severity: Severity) -> Color32 {
    match severity {
        Severity::Error => ui.visuals().error_fg_color,
        Severity::Warning => ui.visuals().warn_fg_color,
    }
}

fn row_height(ui: &Ui) -> f32 {
    let text = ui.text_style_height(&TextStyle::Button);
    (text + 2.0 * ui.spacing().button_padding.y).max(ui.spacing().interact_size.y)
}

/// One line: the fix (if any) on the right; the rest is one button reading
/// "Error  9.32am  This post has no text…", whose words are also its accessible name.
fn problem_row(
    ui: &mut Ui,
    problem: &Problem,
    zone: &ZoneLabel,
    row_height: f32,
) -> Option<ChecksAction> {
    let mut action = None;
    ui.allocate_ui_with_layout(
        egui::vec2(ui.available_width(), row_height),
        Layout::right_to_left(Align::Center),
        |ui| {
            if let Some(fix) = &problem.fix {
                let button = ui
                    .add(Button::new(fix.label.as_str()).truncate())
                    .on_hover_text("Apply this fix (it can be undone)");
                if button.clicked() {
                    action = Some(ChecksAction::ApplyFix(fix.clone()));
                }
            }
            let row = ui
                .add(
                    Button::new(row_text(ui, problem, zone))
                        .frame(false)
                        .truncate()
                        .min_size(egui::vec2(ui.available_width(), row_height)),
                )
                .on_hover_text(&problem.message);
            if row.clicked() {
                action = Some(ChecksAction::JumpTo {
                    entry: problem.entry.clone(),
                    field: problem.field,
                    span: problem.span.clone(),
                });
            }
        },
    );
    action
}

fn row_text(ui: &Ui, problem: &Problem, zone: &ZoneLabel) -> LayoutJob {
    let font = TextStyle::Button.resolve(ui.style());
    let plain = ui.visuals().text_color();
    let weak = ui.visuals().weak_text_color();
    let severity = match problem.severity {
        Severity::Error => "Error",
        Severity::Warning => "Warning",
    };
    let place = match (&problem.entry, problem.time) {
        (_, Some(time)) => zone.clock(time),
        (Some(id), None) => id.to_string(),
        (None, None) => "Blog".to_owned(),
    };
    let mut job = LayoutJob::default();
    let mut push = |text: &str, color: Color32| {
        job.append(text, 0.0, TextFormat::simple(font.clone(), color));
    };
    push(severity, severity_color(ui, problem.severity));
    push("  ", plain);
    push(&place, weak);
    push("  ", plain);
    push(&problem.message, plain);
    job
}

/// The question asked before exporting while errors remain; draw it inside a modal.
/// Returns the choice once one of the buttons is clicked.
pub fn export_with_errors_ui(ui: &mut Ui, report: &CheckReport) -> Option<ExportChoice> {
    let errors = report.error_count();
    ui.heading("Export with errors?");
    ui.label(format!(
        "The checks found {} that readers would see. Export anyway, or put them right first?",
        counted(errors, "error")
    ));
    for problem in report.problems.iter().filter(|p| p.is_error()).take(3) {
        ui.label(RichText::new(format!("• {}", problem.message)).weak());
    }
    if errors > 3 {
        ui.label(RichText::new(format!("…and {} more.", errors - 3)).weak());
    }
    let mut choice = None;
    ui.horizontal(|ui| {
        if ui.button("Show the problems").clicked() {
            choice = Some(ExportChoice::ShowProblems);
        }
        if ui.button("Cancel").clicked() {
            choice = Some(ExportChoice::Cancel);
        }
        if ui.button("Export anyway").clicked() {
            choice = Some(ExportChoice::ExportAnyway);
        }
    });
    choice
}
