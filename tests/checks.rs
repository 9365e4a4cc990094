//! Pre-publication checks: each check fires on the problem it names and stays silent on a
//! clean document; fixes apply through the edit layer and undo; the editor's incremental
//! checker agrees with a fresh check after any edits; `newsdesk check` end to end.

use chrono::{DateTime, Duration, TimeZone, Utc};
use newsdesk::checks::{CheckId, CheckReport, Checker, Field, Problem, Severity, check_document};
use newsdesk::edit::{BlogSettings, Edit, EntryField, apply};
use newsdesk::model::{
    BlogStatus, Byline, Entry, EntryId, EntryKind, EntryStatus, LiveBlog, Media, ZoneLabel,
};
use proptest::prelude::*;
use std::path::Path;
use std::process::Command;

/// The Checks panel lives in the library's `ui` module, where `crate::checks` and
/// `crate::model` are the library's; these re-exports let this test build the same file.
mod checks {
    pub use newsdesk::checks::*;
}
mod model {
    pub use newsdesk::model::*;
}
#[path = "../src/ui/checks_panel.rs"]
mod checks_panel;

use checks_panel::{ChecksAction, ExportChoice, checks_panel_ui, export_with_errors_ui};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

const SEED: &str = "assets/examples/ukraine-talks-2025-02-18.ron";

/// 18 February 2025: London is on GMT, so UTC hours are the blog's hours.
fn at(hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 2, 18, hour, minute, 0).unwrap()
}

fn now() -> DateTime<Utc> {
    at(15, 0)
}

fn id(text: &str) -> EntryId {
    EntryId::new(text).unwrap()
}

fn post(name: &str, time: DateTime<Utc>, body: &str) -> Entry {
    let mut entry = Entry::new_post(id(name), time);
    entry.status = EntryStatus::Published;
    entry.body = body.into();
    entry
}

/// A small live page with nothing wrong: key events with headlines, a pinned summary
/// with links, a picture with alt text, a video, a linked reference by time, a fresh draft.
fn clean_blog() -> LiveBlog {
    let mut blog = LiveBlog::new("Ukraine war latest", at(6, 0));
    blog.time_zone = ZoneLabel::new(chrono_tz::Europe::London, "UK");
    blog.canonical_url = Some("https://news.example/live/ukraine".into());

    let mut draft = post(
        "draft-1450",
        at(14, 50),
        "Zelenskyy is expected to speak shortly.",
    );
    draft.status = EntryStatus::Draft;
    draft.modified = at(14, 55);

    let mut key = post(
        "post-1447",
        at(14, 47),
        "As we reported in [our 9.32am post](#post-0932), the Kremlin is ready to talk.\n\nIt’s 2.47pm in the UK, 5.47pm in Saudi Arabia.",
    );
    key.flags.key_event = true;
    key.headline = "Zelenskyy: talks ‘should not take place behind our backs’".into();

    let mut summary = post(
        "summary-1430",
        at(14, 30),
        "- Talks lasted four-and-a-half hours ([more](#post-1100))\n- Contact the desk at [our address](mailto:desk@news.example)",
    );
    summary.kind = EntryKind::Summary;
    summary.headline = "If you’re just joining us".into();

    let mut picture = post(
        "post-1100",
        at(11, 0),
        "The first round of talks has finished.",
    );
    picture.media = Some(Media::Image {
        url: "https://images.news.example/riyadh.jpg".into(),
        alt: "Delegations seated at a long table".into(),
        caption: "The talks in Riyadh. Pic: Reuters".into(),
    });

    let mut video = post(
        "post-1015",
        at(10, 15),
        "Could this mark a turning point? Watch below.",
    );
    video.media = Some(Media::Video {
        url: "https://www.youtube.com/watch?v=2pGm1bhSsjQ".into(),
        caption: "A turning point?".into(),
    });

    let mut signed = post("post-0950", at(9, 50), &words(400));
    signed.headline = "Analysis: why Riyadh matters".into();
    signed.bylines = vec![Byline {
        name: "Deborah Haynes".into(),
        role: "security and defence editor".into(),
    }];

    let first = post(
        "post-0932",
        at(9, 32),
        "Kremlin spokesperson Dmitry Peskov says Putin is “ready to speak about peace”.",
    );

    blog.entries = vec![draft, key, summary, picture, video, signed, first];
    blog.pinned = vec![id("summary-1430")];
    blog
}

fn words(count: usize) -> String {
    vec!["word"; count].join(" ")
}

fn check(blog: &LiveBlog) -> Vec<Problem> {
    check_document(blog, now())
}

/// The problems of one check.
fn of(problems: &[Problem], check: CheckId) -> Vec<Problem> {
    problems
        .iter()
        .filter(|problem| problem.check == check)
        .cloned()
        .collect()
}

fn only(problems: &[Problem], check: CheckId) -> Problem {
    let found = of(problems, check);
    assert_eq!(found.len(), 1, "expected one {check}, got {problems:#?}");
    found.into_iter().next().unwrap()
}

fn entry_mut<'a>(blog: &'a mut LiveBlog, name: &str) -> &'a mut Entry {
    blog.entry_mut(&id(name)).unwrap()
}

fn apply_fix(blog: &mut LiveBlog, problem: &Problem) -> Edit {
    let fix = problem.fix.as_ref().expect("a fix");
    assert!(fix.applies_to(blog));
    apply(blog, fix.edit_at(now())).expect("the fix applies")
}

// A clean document, and the seed sample.

#[test]
fn a_clean_document_raises_nothing() {
    let problems = check(&clean_blog());
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn the_seed_sample_checks_clean() {
    let loaded = newsdesk::storage::load(Path::new(SEED)).unwrap();
    // The sample was live on 18 February 2025; check it as of that afternoon and today.
    assert_eq!(check_document(&loaded.blog, at(15, 0)), vec![]);
    assert_eq!(check_document(&loaded.blog, Utc::now()), vec![]);
}

#[test]
fn every_check_has_a_stable_distinct_id() {
    let mut seen = std::collections::HashSet::new();
    for check in CheckId::ALL {
        assert!(seen.insert(check.as_str()), "{check} twice");
        assert_eq!(CheckId::from_id(check.as_str()), Some(check));
        assert!(!check.title().is_empty());
    }
    assert_eq!(CheckId::from_id("no-such-check"), None);
}

// Empty body.

#[test]
fn an_empty_published_post_is_an_error_and_an_empty_draft_a_warning() {
    let mut blog = clean_blog();
    entry_mut(&mut blog, "post-1100").media = None;
    entry_mut(&mut blog, "post-1100").body = "  \n\n>  \n".into();
    entry_mut(&mut blog, "draft-1450").body = String::new();
    let problems = of(&check(&blog), CheckId::EmptyBody);
    assert_eq!(problems.len(), 2, "{problems:#?}");
    let published = problems
        .iter()
        .find(|p| p.entry == Some(id("post-1100")))
        .unwrap();
    assert_eq!(published.severity, Severity::Error);
    assert_eq!(published.field, Some(Field::Body));
    assert_eq!(published.time, Some(at(11, 0)));
    let draft = problems
        .iter()
        .find(|p| p.entry == Some(id("draft-1450")))
        .unwrap();
    assert_eq!(draft.severity, Severity::Warning);
}

#[test]
fn a_picture_with_its_caption_may_stand_without_text() {
    let mut blog = clean_blog();
    entry_mut(&mut blog, "post-1100").body = String::new();
    assert!(of(&check(&blog), CheckId::EmptyBody).is_empty());
}

// Headline required.

#[test]
fn a_published_key_event_or_summary_needs_a_headline() {
    let mut blog = clean_blog();
    entry_mut(&mut blog, "post-1447").headline = "  ".into();
    entry_mut(&mut blog, "summary-1430").headline = String::new();
    let problems = of(&check(&blog), CheckId::HeadlineRequired);
    assert_eq!(problems.len(), 2);
    assert!(problems.iter().all(|p| p.severity == Severity::Error));
    assert!(problems.iter().all(|p| p.field == Some(Field::Headline)));
}

#[test]
fn an_ordinary_post_needs_no_headline() {
    let mut blog = clean_blog();
    entry_mut(&mut blog, "post-1100").headline = String::new();
    entry_mut(&mut blog, "post-0932").headline = String::new();
    assert!(of(&check(&blog), CheckId::HeadlineRequired).is_empty());
}

// Missing alt text.

#[test]
fn pictures_need_alt_text_in_media_and_in_the_body() {
    let mut blog = clean_blog();
    if let Some(Media::Image { alt, .. }) = &mut entry_mut(&mut blog, "post-1100").media {
        *alt = " ".into();
    }
    let body = "Here is the scene: ![](https://images.news.example/scene.jpg)";
    entry_mut(&mut blog, "post-0932").body = body.into();
    let problems = of(&check(&blog), CheckId::MissingAltText);
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert_eq!(problems[0].field, Some(Field::MediaAlt));
    assert_eq!(problems[1].field, Some(Field::Body));
    let span = problems[1].span.clone().unwrap();
    assert_eq!(&body[span], "![](https://images.news.example/scene.jpg)");
}

#[test]
fn a_body_picture_with_alt_text_passes() {
    let mut blog = clean_blog();
    entry_mut(&mut blog, "post-0932").body =
        "![Delegates arrive in Riyadh](https://images.news.example/scene.jpg)".into();
    assert!(check(&blog).is_empty());
}

// Unsafe addresses.

#[test]
fn links_and_media_must_be_web_or_mail_addresses() {
    let mut blog = clean_blog();
    let body = "Read [this](javascript:alert(1)) and [that](/relative) and [mail](mailto:desk@news.example).";
    entry_mut(&mut blog, "post-0932").body = body.into();
    if let Some(Media::Video { url, .. }) = &mut entry_mut(&mut blog, "post-1015").media {
        *url = "ftp://videos.example/x.mp4".into();
    }
    blog.canonical_url = Some("data:text/html,hello".into());
    let problems = of(&check(&blog), CheckId::UnsafeUrl);
    assert_eq!(problems.len(), 4, "{problems:#?}");
    assert_eq!(problems[0].field, Some(Field::CanonicalUrl));
    assert_eq!(problems[0].entry, None);
    assert_eq!(problems[1].field, Some(Field::MediaUrl));
    let spans: Vec<&str> = problems[2..]
        .iter()
        .map(|p| &body[p.span.clone().unwrap()])
        .collect();
    assert_eq!(spans, ["[this](javascript:alert(1))", "[that](/relative)"]);
    assert!(problems.iter().all(|p| p.severity == Severity::Error));
}

// Raw HTML.

#[test]
fn raw_html_in_a_body_is_a_warning() {
    let mut blog = clean_blog();
    let body = "Breaking <script>alert(1)</script> news";
    entry_mut(&mut blog, "post-0932").body = body.into();
    let problem = only(&check(&blog), CheckId::RawHtml);
    assert_eq!(problem.severity, Severity::Warning);
    assert!(body[problem.span.unwrap()].starts_with("<script>"));
}

#[test]
fn angle_brackets_that_are_not_html_pass() {
    let mut blog = clean_blog();
    entry_mut(&mut blog, "post-0932").body =
        "Turnout was < 40% and see <https://news.example/a>.".into();
    assert!(check(&blog).is_empty(), "{:#?}", check(&blog));
}

// Times against the clock and the coverage.

#[test]
fn a_time_in_the_future_is_flagged_beyond_a_minute() {
    let mut blog = clean_blog();
    entry_mut(&mut blog, "post-1447").display_time = now() + Duration::minutes(20);
    entry_mut(&mut blog, "draft-1450").display_time = now() + Duration::seconds(30);
    let problem = only(&check(&blog), CheckId::FutureTime);
    assert_eq!(problem.entry, Some(id("post-1447")));
    assert_eq!(problem.severity, Severity::Error);
    assert_eq!(problem.field, Some(Field::DisplayTime));
    assert!(problem.message.contains("3.20pm"), "{}", problem.message);
    assert!(
        problem.message.contains("20 minutes"),
        "{}",
        problem.message
    );
}

#[test]
fn times_outside_the_coverage_are_flagged() {
    let mut blog = clean_blog();
    blog.coverage_start = at(9, 40);
    blog.coverage_end = Some(at(14, 48));
    let problems = check(&blog);
    let before = only(&problems, CheckId::TimeBeforeCoverage);
    assert_eq!(before.entry, Some(id("post-0932")));
    let after = only(&problems, CheckId::TimeAfterCoverageEnd);
    assert_eq!(after.entry, Some(id("draft-1450")));
    assert_eq!(after.severity, Severity::Warning);
}

#[test]
fn times_inside_the_coverage_pass() {
    let mut blog = clean_blog();
    blog.coverage_start = at(9, 32);
    blog.coverage_end = Some(at(14, 50));
    assert!(check(&blog).is_empty());
}

// Order against the times.

#[test]
fn a_post_later_than_the_one_above_it_is_out_of_order_and_can_be_moved_up() {
    let mut blog = clean_blog();
    // 10.15am moved above 11am: the 11am post now sits below an earlier one.
    let video = blog.entries.remove(4);
    blog.entries.insert(3, video);
    let problem = only(&check(&blog), CheckId::OrderDisagreesWithTime);
    assert_eq!(problem.entry, Some(id("post-1100")));
    assert_eq!(problem.field, Some(Field::Position));
    assert!(problem.message.contains("11.00am") && problem.message.contains("10.15am"));
    let before = blog.clone();
    let undo = apply_fix(&mut blog, &problem);
    assert!(check(&blog).is_empty(), "{:#?}", check(&blog));
    apply(&mut blog, undo).unwrap();
    assert_eq!(blog, before);
}

#[test]
fn pinned_entries_are_left_out_of_the_order() {
    let mut blog = clean_blog();
    // The pinned summary, 2.30pm, sits below the 11am post: fine, it shows at the top.
    let summary = blog.entries.remove(2);
    blog.entries.insert(4, summary);
    assert!(check(&blog).is_empty(), "{:#?}", check(&blog));
}

#[test]
fn an_entry_far_out_of_place_moves_to_where_its_time_belongs() {
    let mut blog = clean_blog();
    // The 2.47pm post dropped to the bottom.
    let key = blog.entries.remove(1);
    blog.entries.push(key);
    let problem = only(&check(&blog), CheckId::OrderDisagreesWithTime);
    apply_fix(&mut blog, &problem);
    assert_eq!(blog.entries[1].id, id("post-1447"));
    assert!(check(&blog).is_empty());
}

// Links between posts.

#[test]
fn links_to_missing_or_draft_posts_are_broken() {
    let mut blog = clean_blog();
    let body = "See [this](#post-9999), [that](#draft-1450) and [odd](#9-not-an-id).";
    entry_mut(&mut blog, "post-0932").body = body.into();
    let problems = of(&check(&blog), CheckId::BrokenEntryLink);
    assert_eq!(problems.len(), 3, "{problems:#?}");
    let spans: Vec<&str> = problems
        .iter()
        .map(|p| &body[p.span.clone().unwrap()])
        .collect();
    assert!(spans.contains(&"[this](#post-9999)"));
    assert!(spans.contains(&"[that](#draft-1450)"));
    assert!(spans.contains(&"[odd](#9-not-an-id)"));
    assert!(problems.iter().all(|p| p.severity == Severity::Error));
}

#[test]
fn publishing_the_target_mends_a_link_to_a_draft() {
    let mut blog = clean_blog();
    entry_mut(&mut blog, "post-0932").body = "See [that](#draft-1450).".into();
    let mut checker = Checker::new();
    assert_eq!(checker.check(&blog, now()).problems.len(), 1);
    entry_mut(&mut blog, "draft-1450").status = EntryStatus::Published;
    assert!(checker.check(&blog, now()).is_clean());
}

// References to posts by time.

#[test]
fn an_unlinked_reference_to_one_post_gets_a_link_fix() {
    let mut blog = clean_blog();
    let body = "Earlier, Peskov spoke (see our 9.32am post).";
    entry_mut(&mut blog, "post-1015").body = body.into();
    let problem = only(&check(&blog), CheckId::UnlinkedTimeReference);
    assert_eq!(problem.severity, Severity::Warning);
    assert_eq!(&body[problem.span.clone().unwrap()], "our 9.32am post");
    let before = blog.clone();
    let undo = apply_fix(&mut blog, &problem);
    assert_eq!(
        blog.entry(&id("post-1015")).unwrap().body,
        "Earlier, Peskov spoke (see [our 9.32am post](#post-0932))."
    );
    assert!(check(&blog).is_empty());
    apply(&mut blog, undo).unwrap();
    assert_eq!(blog, before);
}

#[test]
fn a_reference_matching_no_post_or_several_has_no_fix() {
    let mut blog = clean_blog();
    entry_mut(&mut blog, "post-1015").body = "As in the 8.15am update.".into();
    let problem = only(&check(&blog), CheckId::UnlinkedTimeReference);
    assert!(problem.fix.is_none());
    assert!(problem.message.contains("no published post shows 8.15am"));

    entry_mut(&mut blog, "post-1015").body = "As in our 9.32am post.".into();
    let mut twin = post("post-0932b", at(9, 32), "Another post at the same minute.");
    twin.modified = at(9, 33);
    blog.entries.push(twin);
    let problem = only(&check(&blog), CheckId::UnlinkedTimeReference);
    assert!(problem.fix.is_none());
    assert!(
        problem.message.contains("any of 2 posts"),
        "{}",
        problem.message
    );
}

#[test]
fn a_reference_to_a_draft_time_does_not_link_to_the_draft() {
    let mut blog = clean_blog();
    entry_mut(&mut blog, "post-1015").body = "As in our 2.50pm post.".into();
    let problem = only(&check(&blog), CheckId::UnlinkedTimeReference);
    assert!(problem.fix.is_none());
}

#[test]
fn clock_times_that_are_not_references_and_linked_references_pass() {
    let mut blog = clean_blog();
    entry_mut(&mut blog, "post-1015").body =
        "It’s 10.15am in the UK.\n\nSee [our 9.32am post](#post-0932) and `the 9.32am post`."
            .into();
    assert!(check(&blog).is_empty(), "{:#?}", check(&blog));
}

#[test]
fn a_link_fix_is_refused_once_the_body_has_changed() {
    let mut blog = clean_blog();
    entry_mut(&mut blog, "post-1015").body = "See our 9.32am post.".into();
    let problem = only(&check(&blog), CheckId::UnlinkedTimeReference);
    let fix = problem.fix.unwrap();
    assert!(fix.applies_to(&blog));
    entry_mut(&mut blog, "post-1015").body = "See our 9.32am post, and more.".into();
    assert!(!fix.applies_to(&blog));
}

// Invariants of the document.

#[test]
fn the_loaders_invariants_become_checks() {
    let mut blog = clean_blog();
    let mut copy = post("post-0932", at(9, 32), "A second entry with the same id.");
    copy.modified = at(9, 40);
    blog.entries.push(copy);
    blog.pinned = vec![id("summary-1430"), id("gone"), id("summary-1430")];
    blog.coverage_end = Some(at(5, 0));
    let problems = check(&blog);
    assert_eq!(blog.violations().len(), 4);
    let duplicate = only(&problems, CheckId::DuplicateId);
    assert_eq!(duplicate.entry, Some(id("post-0932")));
    assert_eq!(duplicate.severity, Severity::Error);
    only(&problems, CheckId::CoverageEndsBeforeStart);

    let missing = only(&problems, CheckId::PinnedMissing);
    apply_fix(&mut blog, &missing);
    assert_eq!(blog.pinned, [id("summary-1430"), id("summary-1430")]);
    let twice = only(&check(&blog), CheckId::PinnedTwice);
    apply_fix(&mut blog, &twice);
    assert_eq!(blog.pinned, [id("summary-1430")]);
    let problems = check(&blog);
    assert!(of(&problems, CheckId::PinnedMissing).is_empty());
    assert!(of(&problems, CheckId::PinnedTwice).is_empty());
}

// The blog's status.

#[test]
fn an_ended_blog_needs_a_coverage_end_and_the_fix_sets_the_last_post() {
    let mut blog = clean_blog();
    blog.entries.remove(0); // the draft
    blog.status = BlogStatus::Ended;
    let problem = only(&check(&blog), CheckId::EndedWithoutCoverageEnd);
    assert_eq!(problem.field, Some(Field::CoverageEnd));
    assert!(problem.message.contains("2.47pm"), "{}", problem.message);
    apply_fix(&mut blog, &problem);
    assert_eq!(blog.coverage_end, Some(at(14, 47)));
    assert!(check(&blog).is_empty());
}

#[test]
fn a_settings_fix_is_refused_after_other_settings_changed() {
    let mut blog = clean_blog();
    blog.status = BlogStatus::Ended;
    let problem = only(&check(&blog), CheckId::EndedWithoutCoverageEnd);
    blog.title = "Renamed meanwhile".into();
    assert!(!problem.fix.unwrap().applies_to(&blog));
}

#[test]
fn an_ended_blog_with_its_end_set_passes() {
    let mut blog = clean_blog();
    blog.status = BlogStatus::Ended;
    blog.coverage_end = Some(at(15, 0));
    assert!(check(&blog).is_empty());
}

// Drafts left too long.

#[test]
fn a_draft_untouched_for_over_two_hours_is_stale() {
    let mut blog = clean_blog();
    entry_mut(&mut blog, "draft-1450").modified = now() - Duration::hours(3);
    let problem = only(&check(&blog), CheckId::StaleDraft);
    assert_eq!(problem.severity, Severity::Warning);
    assert!(problem.message.contains("3 hours"));
    entry_mut(&mut blog, "draft-1450").modified = now() - Duration::minutes(119);
    assert!(check(&blog).is_empty());
}

// Bylines.

#[test]
fn signed_pieces_and_long_posts_need_a_byline() {
    let mut blog = clean_blog();
    entry_mut(&mut blog, "post-0950").bylines.clear();
    let problem = only(&check(&blog), CheckId::MissingByline);
    assert_eq!(problem.entry, Some(id("post-0950")));
    assert_eq!(problem.field, Some(Field::Bylines));
    assert_eq!(problem.severity, Severity::Warning);

    entry_mut(&mut blog, "post-0950").headline = "Why Riyadh matters".into();
    assert_eq!(of(&check(&blog), CheckId::MissingByline).len(), 1);
    entry_mut(&mut blog, "post-0950").body = words(120);
    assert!(check(&blog).is_empty());
}

#[test]
fn a_byline_without_a_name_does_not_count() {
    let mut blog = clean_blog();
    entry_mut(&mut blog, "post-0950").bylines = vec![Byline {
        name: " ".into(),
        role: "editor".into(),
    }];
    only(&check(&blog), CheckId::MissingByline);
}

// Length.

#[test]
fn a_post_over_a_thousand_words_is_very_long() {
    let mut blog = clean_blog();
    entry_mut(&mut blog, "post-0950").body = words(1001);
    let problem = only(&check(&blog), CheckId::VeryLongPost);
    assert!(problem.message.contains("1001 words"));
    entry_mut(&mut blog, "post-0950").body = words(1000);
    assert!(check(&blog).is_empty());
}

#[test]
fn times_at_the_ends_of_the_calendar_are_checked_without_panicking() {
    let mut blog = clean_blog();
    entry_mut(&mut blog, "post-1447").display_time = DateTime::<Utc>::MAX_UTC;
    entry_mut(&mut blog, "post-0932").display_time = DateTime::<Utc>::MIN_UTC;
    entry_mut(&mut blog, "draft-1450").modified = DateTime::<Utc>::MIN_UTC;
    blog.time_zone = ZoneLabel::new(chrono_tz::Pacific::Kiritimati, "Line Islands");
    blog.coverage_end = Some(DateTime::<Utc>::MAX_UTC);
    blog.status = BlogStatus::Ended;
    for now in [DateTime::<Utc>::MIN_UTC, now(), DateTime::<Utc>::MAX_UTC] {
        let problems = check_document(&blog, now);
        assert!(problems.iter().all(|p| !p.message.is_empty()));
    }
    let problems = check(&blog);
    only(&problems, CheckId::FutureTime);
    only(&problems, CheckId::StaleDraft);
    assert!(
        of(&problems, CheckId::TimeBeforeCoverage)
            .iter()
            .any(|p| p.entry == Some(id("post-0932")))
    );
}

// The report.

#[test]
fn the_report_counts_and_fails_by_severity() {
    let mut blog = clean_blog();
    entry_mut(&mut blog, "post-0950").body = words(1001);
    let report = CheckReport {
        problems: check(&blog),
    };
    assert_eq!((report.error_count(), report.warning_count()), (0, 1));
    assert!(!report.fails(false));
    assert!(report.fails(true));
    entry_mut(&mut blog, "post-1100").headline = String::new();
    entry_mut(&mut blog, "post-1100").flags.key_event = true;
    let report = CheckReport {
        problems: check(&blog),
    };
    assert!(report.fails(false));
    assert_eq!(report.for_entry(&id("post-1100")).count(), 1);
}

#[test]
fn blog_wide_problems_come_first_then_entries_in_timeline_order() {
    let mut blog = clean_blog();
    blog.status = BlogStatus::Ended;
    blog.coverage_end = None;
    entry_mut(&mut blog, "post-0932").body = String::new();
    entry_mut(&mut blog, "post-1447").body = String::new();
    let problems = check(&blog);
    let order: Vec<Option<&str>> = problems
        .iter()
        .map(|p| p.entry.as_ref().map(EntryId::as_str))
        .collect();
    assert_eq!(order, [None, Some("post-1447"), Some("post-0932")]);
}

// The incremental checker.

#[test]
fn editing_one_post_rechecks_only_that_post() {
    let mut blog = newsdesk::generate::generate(2000, 5);
    let mut checker = Checker::new();
    checker.check(&blog, now());
    assert_eq!(checker.last_stats().reanalysed, 2000);
    let target = blog.entries[700].id.clone();
    apply(
        &mut blog,
        Edit::SetField {
            id: target.clone(),
            field: EntryField::Body("See our 2.47pm post, and <b>this</b>.".into()),
            modified: now(),
        },
    )
    .unwrap();
    let report = checker.check(&blog, now()).clone();
    let stats = checker.last_stats();
    assert_eq!(stats.reanalysed, 1);
    assert!(!stats.timeline_changed);
    assert_eq!(report.problems, check_document(&blog, now()));
    assert!(
        report
            .for_entry(&target)
            .any(|p| p.check == CheckId::RawHtml)
    );

    // A new post at the top is one analysis, not two thousand.
    let mut fresh = post("breaking-1", now(), "");
    fresh.status = EntryStatus::Draft;
    apply(
        &mut blog,
        Edit::InsertEntry {
            index: 0,
            entry: Box::new(fresh),
            pinned_at: None,
        },
    )
    .unwrap();
    let report = checker.check(&blog, now()).clone();
    assert_eq!(checker.last_stats().reanalysed, 1);
    assert!(checker.last_stats().timeline_changed);
    assert_eq!(report.problems, check_document(&blog, now()));

    // Nothing changed: nothing is read again, and the clock still moves the stale drafts.
    checker.check(&blog, now() + Duration::hours(5));
    assert_eq!(checker.last_stats().reanalysed, 0);
    assert_eq!(
        checker.report().problems,
        check_document(&blog, now() + Duration::hours(5))
    );
}

#[test]
fn a_change_made_behind_the_edit_layers_back_is_seen_after_forget() {
    let mut blog = clean_blog();
    let mut checker = Checker::new();
    assert!(checker.check(&blog, now()).is_clean());
    // Same length, same `modified`: not an edit the edit layer would make.
    entry_mut(&mut blog, "post-1447").body = entry_mut(&mut blog, "post-1447")
        .body
        .replace("#post-0932", "#post-0933");
    checker.forget();
    let problem = only(
        &checker.check(&blog, now()).problems,
        CheckId::BrokenEntryLink,
    );
    assert_eq!(problem.entry, Some(id("post-1447")));
    assert_eq!(checker.last_stats().reanalysed, blog.entries.len());
}

#[test]
fn changing_the_time_zone_rechecks_everything() {
    let mut blog = clean_blog();
    let mut checker = Checker::new();
    checker.check(&blog, now());
    blog.time_zone = ZoneLabel::new(chrono_tz::Asia::Riyadh, "Saudi Arabia");
    checker.check(&blog, now());
    assert_eq!(checker.last_stats().reanalysed, blog.entries.len());
    // In Riyadh the first post shows 12.32pm, so "our 9.32am post" no longer matches it.
    entry_mut(&mut blog, "post-1015").body = "See our 12.32pm post.".into();
    let problem = only(
        &checker.check(&blog, now()).problems,
        CheckId::UnlinkedTimeReference,
    );
    assert!(problem.fix.is_some());
}

/// Bodies that exercise every body check, for random edits.
const BODIES: &[&str] = &[
    "",
    "A plain update.",
    "See our 9.32am post.",
    "See [our 9.32am post](#post-0932).",
    "As in the 2.47pm update, and [gone](#post-9999).",
    "[draft](#draft-1450) and [bad](javascript:x) and <i>html</i>",
    "![](https://images.news.example/x.jpg) our 11am post",
];

#[derive(Clone, Debug)]
enum Step {
    Body(usize, usize),
    Publish(usize, bool),
    Time(usize, i64),
    Move(usize, usize),
    Insert(usize, usize, u32),
    Remove(usize),
    Pin(usize),
    Unpin(usize),
    Settings {
        ended: bool,
        riyadh: bool,
        end: bool,
    },
    Headline(usize, bool),
}

fn step_strategy() -> impl Strategy<Value = Step> {
    prop_oneof![
        (0usize..16, 0..BODIES.len()).prop_map(|(at, body)| Step::Body(at, body)),
        (0usize..16, any::<bool>()).prop_map(|(at, yes)| Step::Publish(at, yes)),
        (0usize..16, -600i64..600).prop_map(|(at, minutes)| Step::Time(at, minutes)),
        (0usize..16, 0usize..16).prop_map(|(from, to)| Step::Move(from, to)),
        (0usize..16, 0..BODIES.len(), 0u32..6).prop_map(|(at, body, n)| Step::Insert(at, body, n)),
        (0usize..16).prop_map(Step::Remove),
        (0usize..16).prop_map(Step::Pin),
        (0usize..16).prop_map(Step::Unpin),
        (any::<bool>(), any::<bool>(), any::<bool>())
            .prop_map(|(ended, riyadh, end)| Step::Settings { ended, riyadh, end }),
        (0usize..16, any::<bool>()).prop_map(|(at, yes)| Step::Headline(at, yes)),
    ]
}

/// The edit for `step`, made at `modified` (the editor passes the time of each edit).
fn edit_for(blog: &LiveBlog, step: &Step, modified: DateTime<Utc>) -> Option<Edit> {
    let entry_at = |at: usize| blog.entries.get(at % blog.entries.len().max(1));
    let set = |at: usize, field: EntryField| {
        entry_at(at).map(|entry| Edit::SetField {
            id: entry.id.clone(),
            field,
            modified,
        })
    };
    match step {
        Step::Body(at, body) => set(*at, EntryField::Body(BODIES[*body].into())),
        Step::Publish(at, yes) => set(
            *at,
            EntryField::Status(if *yes {
                EntryStatus::Published
            } else {
                EntryStatus::Draft
            }),
        ),
        Step::Time(at, minutes) => entry_at(*at).and_then(|entry| {
            set(
                *at,
                EntryField::DisplayTime(entry.display_time + Duration::minutes(*minutes)),
            )
        }),
        Step::Headline(at, yes) => set(
            *at,
            EntryField::Headline(if *yes {
                "A headline".into()
            } else {
                String::new()
            }),
        ),
        Step::Move(from, to) => entry_at(*from).map(|entry| Edit::MoveEntry {
            id: entry.id.clone(),
            index: *to,
        }),
        Step::Insert(at, body, n) => {
            let mut entry = post(&format!("new-{n}"), at_minute(*at), BODIES[*body]);
            entry.flags.key_event = n % 2 == 0;
            Some(Edit::InsertEntry {
                index: *at,
                entry: Box::new(entry),
                pinned_at: None,
            })
        }
        Step::Remove(at) => entry_at(*at).map(|entry| Edit::RemoveEntry {
            id: entry.id.clone(),
        }),
        Step::Pin(at) => entry_at(*at).map(|entry| Edit::Pin {
            id: entry.id.clone(),
            index: 0,
        }),
        Step::Unpin(at) => entry_at(*at).map(|entry| Edit::Unpin {
            id: entry.id.clone(),
        }),
        Step::Settings { ended, riyadh, end } => {
            let mut settings = BlogSettings::of(blog);
            settings.status = if *ended {
                BlogStatus::Ended
            } else {
                BlogStatus::Live
            };
            settings.time_zone = if *riyadh {
                ZoneLabel::new(chrono_tz::Asia::Riyadh, "Saudi Arabia")
            } else {
                ZoneLabel::new(chrono_tz::Europe::London, "UK")
            };
            settings.coverage_end = end.then(|| at(14, 0));
            Some(Edit::SetSettings(Box::new(settings)))
        }
    }
}

fn at_minute(n: usize) -> DateTime<Utc> {
    at(9, 0) + Duration::minutes(37 * n as i64)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn the_incremental_checker_agrees_with_a_fresh_check(steps in prop::collection::vec(step_strategy(), 1..24)) {
        let mut blog = clean_blog();
        let mut checker = Checker::new();
        checker.check(&blog, now());
        for (n, step) in steps.iter().enumerate() {
            if let Some(edit) = edit_for(&blog, step, now() + Duration::seconds(n as i64)) {
                let _ = apply(&mut blog, edit);
            }
            let incremental = checker.check(&blog, now()).problems.clone();
            prop_assert_eq!(incremental, check_document(&blog, now()), "after {:?}", step);
        }
    }

    #[test]
    fn the_invariant_checks_match_the_loaders_violations(
        copies in prop::collection::vec(0usize..7, 0..3),
        pinned in prop::collection::vec(0usize..9, 0..5),
        end_before_start in any::<bool>(),
    ) {
        let mut blog = clean_blog();
        for &at in &copies {
            let copy = blog.entries[at].clone();
            blog.entries.push(copy);
        }
        let names: Vec<EntryId> = blog.entries.iter().map(|e| e.id.clone()).collect();
        blog.pinned = pinned
            .iter()
            .map(|&at| names.get(at).cloned().unwrap_or_else(|| id("gone")))
            .collect();
        if end_before_start {
            blog.coverage_end = Some(at(5, 0));
        }
        let invariant_checks = [
            CheckId::DuplicateId,
            CheckId::PinnedMissing,
            CheckId::PinnedTwice,
            CheckId::CoverageEndsBeforeStart,
        ];
        let found = check(&blog)
            .into_iter()
            .filter(|p| invariant_checks.contains(&p.check))
            .count();
        prop_assert_eq!(found, blog.violations().len());
    }

    #[test]
    fn every_offered_fix_applies_and_undoes_exactly(steps in prop::collection::vec(step_strategy(), 1..16)) {
        let mut blog = clean_blog();
        for (n, step) in steps.iter().enumerate() {
            if let Some(edit) = edit_for(&blog, step, now() + Duration::seconds(n as i64)) {
                let _ = apply(&mut blog, edit);
            }
        }
        for problem in check(&blog) {
            if let Some(fix) = &problem.fix {
                prop_assert!(fix.applies_to(&blog));
                let mut fixed = blog.clone();
                let undo = apply(&mut fixed, fix.edit_at(now()));
                prop_assert!(undo.is_ok(), "{:?} did not apply", fix.label);
                // The problem it fixes is gone from that entry.
                let after = check(&fixed);
                prop_assert!(!after.iter().any(|p| p.check == problem.check
                    && p.entry == problem.entry
                    && p.span == problem.span
                    && p.message == problem.message), "{} still there", problem.message);
                if let Ok(undo) = undo {
                    apply(&mut fixed, undo).unwrap();
                }
                prop_assert_eq!(&fixed, &blog);
            }
        }
    }

    #[test]
    fn markdown_made_of_awkward_pieces_is_checked_without_panicking(
        pieces in prop::collection::vec(prop::sample::select(vec![
            "[", "]", "(", ")", "](", "#post-0932", "#", "our ", "the ", "9.32am", "9:32 pm", " post",
            "<b>", "</b>", "![", "`", "```\n", "\n", "\n\n", "> ", "- ", "*", "_", "\\", "é", "“", "javascript:",
            "https://x.test", "mailto:", " ", "12pm", "update",
        ]), 0..40),
    ) {
        let body: String = pieces.concat();
        let mut blog = clean_blog();
        entry_mut(&mut blog, "post-1015").body = body.clone();
        for problem in check(&blog) {
            if let (Some(span), Some(Field::Body)) = (problem.span.clone(), problem.field) {
                prop_assert!(body.get(span).is_some());
            }
            if let Some(fix) = &problem.fix {
                let mut fixed = blog.clone();
                prop_assert!(apply(&mut fixed, fix.edit_at(now())).is_ok());
            }
        }
    }

    #[test]
    fn any_body_is_checked_without_panicking_and_spans_fall_on_characters(body in ".{0,200}", headline in ".{0,20}") {
        let mut blog = clean_blog();
        entry_mut(&mut blog, "post-1015").body = body.clone();
        entry_mut(&mut blog, "post-1015").headline = headline;
        for problem in check(&blog) {
            if let (Some(span), Some(Field::Body)) = (problem.span.clone(), problem.field) {
                prop_assert!(body.get(span).is_some());
            }
        }
    }

    #[test]
    fn a_reference_in_newsroom_clock_style_finds_the_post_at_that_minute(minute in 0u32..(24 * 60)) {
        let mut blog = clean_blog();
        let time = Utc.with_ymd_and_hms(2025, 2, 18, minute / 60, minute % 60, 0).unwrap();
        blog.coverage_start = at(0, 0);
        let hhmm = |t: DateTime<Utc>| t.format("%H%M").to_string();
        blog.entries.retain(|e| e.id.as_str() == "post-1015" || hhmm(e.display_time) != hhmm(time));
        let mut target = post("target", time, "The post referred to.");
        target.modified = time;
        blog.entries.push(target);
        blog.entries.sort_by_key(|e| std::cmp::Reverse(e.display_time));
        let clock = blog.time_zone.clock(time);
        entry_mut(&mut blog, "post-1015").body = format!("As in our {clock} post.");
        let problems = check_document(&blog, at(23, 59));
        let problem = only(&problems, CheckId::UnlinkedTimeReference);
        let fix = problem.fix.expect("one post shows that minute");
        let mut fixed = blog.clone();
        apply(&mut fixed, fix.edit_at(now())).unwrap();
        prop_assert_eq!(
            &fixed.entry(&id("post-1015")).unwrap().body,
            &format!("As in [our {clock} post](#target).")
        );
    }
}

// The command line.

fn newsdesk() -> Command {
    Command::new(env!("CARGO_BIN_EXE_newsdesk"))
}

fn save(dir: &Path, name: &str, blog: &LiveBlog) -> std::path::PathBuf {
    let path = dir.join(name);
    newsdesk::storage::save(&path, blog).unwrap();
    path
}

#[test]
fn the_command_line_passes_the_seed_sample() {
    let output = newsdesk().args(["check", SEED]).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("12 entries, 1 pinned, 0 drafts"),
        "{stdout}"
    );
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
}

#[test]
fn the_command_line_prints_problems_and_fails_on_errors() {
    let dir = tempfile::tempdir().unwrap();
    let mut blog = clean_blog();
    entry_mut(&mut blog, "post-1100").media = None;
    entry_mut(&mut blog, "post-1100").body = String::new();
    let path = save(dir.path(), "broken.ron", &blog);
    let output = newsdesk().arg("check").arg(&path).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    let expected = format!(
        "{}: entry post-1100 (11.00am UK): error: This post has no text",
        path.display()
    );
    assert!(stdout.contains(&expected), "{stdout}");
    // The draft is stale by the real clock.
    assert!(stdout.contains("1 error, 1 warning\n"), "{stdout}");
}

#[test]
fn warnings_alone_pass_unless_strict() {
    let dir = tempfile::tempdir().unwrap();
    let mut blog = clean_blog();
    // Checked against the real clock: a draft from 2025 is long stale.
    assert!(blog.entries.iter().any(Entry::is_draft));
    entry_mut(&mut blog, "post-0950").body = words(1001);
    let path = save(dir.path(), "warnings.ron", &blog);
    let plain = newsdesk().arg("check").arg(&path).output().unwrap();
    let stdout = String::from_utf8_lossy(&plain.stdout);
    assert_eq!(plain.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains(": warning: "), "{stdout}");
    let strict = newsdesk()
        .arg("check")
        .arg(&path)
        .arg("--strict")
        .output()
        .unwrap();
    assert_eq!(strict.status.code(), Some(1));
}

#[test]
fn the_command_line_speaks_json_for_pipelines() {
    let dir = tempfile::tempdir().unwrap();
    let mut blog = clean_blog();
    entry_mut(&mut blog, "post-1015").body = "See our 9.32am post.".into();
    entry_mut(&mut blog, "post-1447").headline = String::new();
    let path = save(dir.path(), "json.ron", &blog);
    let output = newsdesk()
        .arg("check")
        .arg(&path)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["entries"], 7);
    assert_eq!(json["errors"], 1);
    let problems = json["problems"].as_array().unwrap();
    let headline = problems
        .iter()
        .find(|p| p["check"] == "headline-required")
        .unwrap();
    assert_eq!(headline["severity"], "error");
    assert_eq!(headline["entry"], "post-1447");
    assert_eq!(headline["time"], "2.47pm UK");
    assert_eq!(headline["field"], "headline");
    let reference = problems
        .iter()
        .find(|p| p["check"] == "unlinked-time-reference")
        .unwrap();
    assert_eq!(reference["severity"], "warning");
    assert_eq!(reference["span"], serde_json::json!([4, 19]));
    assert!(reference["fix"].as_str().unwrap().contains("9.32am"));

    let seed = newsdesk()
        .args(["check", SEED, "--format", "json", "--strict"])
        .output()
        .unwrap();
    assert_eq!(seed.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&seed.stdout).unwrap();
    assert_eq!(json["problems"], serde_json::json!([]));
}

#[test]
fn the_command_line_survives_times_at_the_ends_of_the_calendar() {
    let dir = tempfile::tempdir().unwrap();
    let mut blog = clean_blog();
    entry_mut(&mut blog, "post-1447").display_time = DateTime::<Utc>::MAX_UTC;
    entry_mut(&mut blog, "post-0932").display_time = DateTime::<Utc>::MIN_UTC;
    blog.time_zone = ZoneLabel::new(chrono_tz::Pacific::Kiritimati, "Line Islands");
    let path = save(dir.path(), "extreme.ron", &blog);
    for format in ["text", "json"] {
        let output = newsdesk()
            .arg("check")
            .arg(&path)
            .args(["--format", format])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(matches!(output.status.code(), Some(1 | 2)), "{stderr}");
    }
}

#[test]
fn an_unreadable_file_exits_two() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.ron");
    let output = newsdesk().arg("check").arg(&missing).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let garbage = dir.path().join("garbage.ron");
    std::fs::write(&garbage, "(format_version: 1, title: ").unwrap();
    let output = newsdesk()
        .arg("check")
        .arg(&garbage)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}

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
