//! The editor's incremental checker: it rechecks only what changed, and agrees with a
//! fresh check after any run of edits (property test).

use chrono::{DateTime, Duration, TimeZone, Utc};
use common::checks::*;
use newsdesk::checks::{CheckId, Checker, Field, check_document};
use newsdesk::edit::{Edit, EntryField, apply};
use newsdesk::model::{BlogStatus, EntryId, EntryStatus, LiveBlog, ZoneLabel};
use proptest::prelude::*;

mod common;

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
            entry: std::sync::Arc::new(fresh),
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
    blog.settings.time_zone = ZoneLabel::new(chrono_tz::Asia::Riyadh, "Saudi Arabia");
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
                entry: std::sync::Arc::new(entry),
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
            let mut settings = blog.settings.clone();
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
            blog.entries.push_back(copy);
        }
        let names: Vec<EntryId> = blog.entries.iter().map(|e| e.id.clone()).collect();
        blog.pinned = pinned
            .iter()
            .map(|&at| names.get(at).cloned().unwrap_or_else(|| id("gone")))
            .collect();
        if end_before_start {
            blog.settings.coverage_end = Some(at(5, 0));
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
        blog.settings.coverage_start = at(0, 0);
        let hhmm = |t: DateTime<Utc>| t.format("%H%M").to_string();
        blog.entries.retain(|e| e.id.as_str() == "post-1015" || hhmm(e.display_time) != hhmm(time));
        let mut target = post("target", time, "The post referred to.");
        target.modified = time;
        blog.push_entry(target);
        let mut entries: Vec<_> = blog.entries.iter().cloned().collect();
        entries.sort_by_key(|e| std::cmp::Reverse(e.display_time));
        blog.entries = entries.into();
        let clock = blog.settings.time_zone.clock(time);
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
