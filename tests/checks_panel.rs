//! The Checks panel, through the library's public `ui` items: clicking a problem asks to
//! jump, clicking a fix asks to apply it, warnings can be hidden, thousands of problems
//! scroll, and exporting with errors asks first.

use common::checks::*;
use newsdesk::checks::{CheckReport, Field, check_document};
use newsdesk::edit::apply;
use newsdesk::model::{LiveBlog, ZoneLabel};

mod common;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use newsdesk::ui::{ChecksAction, ExportChoice, checks_panel_ui, export_with_errors_ui};

// The Checks panel.

struct PanelState {
    report: CheckReport,
    zone: ZoneLabel,
    action: Option<ChecksAction>,
}

fn panel(report: CheckReport) -> Harness<'static, PanelState> {
    let state = PanelState {
        report,
        zone: ZoneLabel::new(chrono_tz::Europe::London, "UK"),
        action: None,
    };
    let mut harness = Harness::builder()
        .with_size(egui::Vec2::new(900.0, 400.0))
        .build_ui_state(
            |ui, state: &mut PanelState| {
                if let Some(action) = checks_panel_ui(ui, &state.report, &state.zone) {
                    state.action = Some(action);
                }
            },
            state,
        );
    harness.run();
    harness
}

fn report_with_fix_and_warning() -> (LiveBlog, CheckReport) {
    let mut blog = clean_blog();
    entry_mut(&mut blog, "post-1015").body = "See our 9.32am post.".into();
    entry_mut(&mut blog, "post-1100").media = None;
    entry_mut(&mut blog, "post-1100").body = String::new();
    let report = CheckReport {
        problems: check(&blog),
    };
    (blog, report)
}

#[test]
fn clicking_a_problem_asks_to_jump_to_its_entry_and_field() {
    let (_, report) = report_with_fix_and_warning();
    let mut harness = panel(report);
    harness
        .get_by_label_contains("This post has no text")
        .click();
    harness.run();
    assert_eq!(
        harness.state().action,
        Some(ChecksAction::JumpTo {
            entry: Some(id("post-1100")),
            field: Some(Field::Body),
            span: None,
        })
    );
    // The row reads as the list shows it: severity, time on the blog's clock, message.
    harness.get_by_label_contains("Error  11.00am  This post has no text");
}

#[test]
fn clicking_a_fix_asks_to_apply_it_and_the_edit_links_the_post() {
    let (mut blog, report) = report_with_fix_and_warning();
    let mut harness = panel(report);
    harness
        .get_by_label("Link “our 9.32am post” to the 9.32am post")
        .click();
    harness.run();
    let Some(ChecksAction::ApplyFix(fix)) = harness.state().action.clone() else {
        panic!("expected a fix, got {:?}", harness.state().action);
    };
    assert!(fix.applies_to(&blog));
    apply(&mut blog, fix.edit_at(now())).unwrap();
    assert_eq!(
        blog.entry(&id("post-1015")).unwrap().body,
        "See [our 9.32am post](#post-0932)."
    );
}

#[test]
fn warnings_can_be_hidden_and_a_clean_report_says_so() {
    let (_, report) = report_with_fix_and_warning();
    let mut harness = panel(report);
    assert!(
        harness
            .query_by_label_contains("Warning  10.15am")
            .is_some()
    );
    harness.get_by_label("1 error").hover();
    harness.get_by_label("Show warnings").click();
    harness.run();
    assert!(
        harness
            .query_by_label_contains("Warning  10.15am")
            .is_none()
    );
    assert!(harness.query_by_label_contains("Error  11.00am").is_some());

    let clean = panel(CheckReport::default());
    clean.get_by_label("Nothing to put right before publishing.");
    clean.get_by_label("No problems");
}

#[test]
fn thousands_of_problems_draw_only_the_rows_in_view() {
    let mut blog = newsdesk::generate::generate(3000, 2);
    for entry in &mut blog.entries {
        let entry = std::sync::Arc::make_mut(entry);
        entry.body.clear();
        entry.media = None;
    }
    let report = CheckReport {
        problems: check_document(&blog, now()),
    };
    assert!(report.problems.len() > 2900);
    let harness = panel(report);
    let rows = harness.query_all_by_label_contains("has no text").count();
    assert!(rows > 5 && rows < 100, "{rows} rows laid out");
}

#[test]
fn exporting_with_errors_asks_first() {
    let (_, report) = report_with_fix_and_warning();
    let mut harness = Harness::new_ui_state(
        |ui, state: &mut (CheckReport, Option<ExportChoice>)| {
            if let Some(choice) = export_with_errors_ui(ui, &state.0) {
                state.1 = Some(choice);
            }
        },
        (report, None),
    );
    harness.run();
    harness.get_by_label_contains("found 1 error that readers would see");
    harness.get_by_label("Export anyway").click();
    harness.run();
    assert_eq!(harness.state().1, Some(ExportChoice::ExportAnyway));
    harness.get_by_label("Cancel").click();
    harness.run();
    assert_eq!(harness.state().1, Some(ExportChoice::Cancel));
}
