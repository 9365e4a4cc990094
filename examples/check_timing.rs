//! Times the pre-publication checks on a large generated blog: a full check, and the
//! editor's rechecks after typical single edits. Prints figures; asserts nothing.
//!
//! Run: `cargo run --example check_timing -- 100000` (the crate itself is built without
//! optimisation in the dev profile; add `CARGO_PROFILE_DEV_OPT_LEVEL=2` for shipping speed).

use chrono::{Duration, TimeZone, Utc};
use newsdesk::checks::{Checker, check_document};
use newsdesk::edit::{Edit, EntryField, apply};
use newsdesk::generate::generate;
use newsdesk::model::{Entry, EntryId, EntryStatus};
use std::time::Instant;

fn main() {
    let posts: usize = std::env::args()
        .nth(1)
        .and_then(|arg| arg.parse().ok())
        .unwrap_or(100_000);
    let now = Utc
        .with_ymd_and_hms(2025, 2, 18, 15, 0, 0)
        .single()
        .unwrap_or_default();
    let mut blog = generate(posts, 1);
    let bytes: usize = blog.entries.iter().map(|e| e.body.len()).sum();
    println!("{posts} entries, {} MB of body text", bytes / 1_000_000);

    // The floor for any recheck: reading each entry's id and time once.
    let mut best = f64::MAX;
    for _ in 0..20 {
        let started = Instant::now();
        let touched: usize = blog
            .entries
            .iter()
            .map(|e| {
                usize::from(e.id.as_str().as_bytes()[0])
                    + e.display_time.timestamp_subsec_nanos() as usize
            })
            .sum();
        std::hint::black_box(touched);
        best = best.min(ms(started));
    }
    println!("reading every id and time:   {best:>8.1} ms (best of 20)");

    let started = Instant::now();
    let problems = check_document(&blog, now);
    println!(
        "check_document (full, cold): {:>8.1} ms, {} problems",
        ms(started),
        problems.len()
    );

    let mut checker = Checker::new();
    let started = Instant::now();
    checker.check(&blog, now);
    println!("Checker first check:         {:>8.1} ms", ms(started));

    // The best of several runs: the machine is shared and timings are noisy.
    let mut best = f64::MAX;
    for minute in 1..=20 {
        let started = Instant::now();
        checker.check(&blog, now + Duration::minutes(minute));
        best = best.min(ms(started));
    }
    println!("recheck, nothing changed     {best:>8.1} ms (best of 20)");

    let middle = blog.entries[posts / 2].id.clone();
    let edit = Edit::SetField {
        id: middle.clone(),
        field: EntryField::Body("Typing in one post: see our 2.47pm post.".into()),
        modified: now,
    };
    apply(&mut blog, edit).ok();
    let started = Instant::now();
    checker.check(&blog, now);
    report("recheck after editing a body", started, &checker);

    let draft = blog
        .entries
        .iter()
        .find(|e| e.is_draft())
        .map(|e| e.id.clone());
    if let Some(draft) = draft {
        apply(
            &mut blog,
            Edit::SetField {
                id: draft,
                field: EntryField::Status(EntryStatus::Published),
                modified: now,
            },
        )
        .ok();
        let started = Instant::now();
        checker.check(&blog, now);
        report("recheck after publishing", started, &checker);
    }

    if let Ok(id) = EntryId::new("breaking-news") {
        let mut entry = Entry::new_post(id, now);
        entry.body = "A new post at the top.".into();
        apply(
            &mut blog,
            Edit::InsertEntry {
                index: 0,
                entry: std::sync::Arc::new(entry),
                pinned_at: None,
            },
        )
        .ok();
        let started = Instant::now();
        checker.check(&blog, now);
        report("recheck after a new post", started, &checker);
    }

    apply(
        &mut blog,
        Edit::MoveEntry {
            id: middle,
            index: 10,
        },
    )
    .ok();
    let started = Instant::now();
    checker.check(&blog, now);
    report("recheck after moving a post", started, &checker);

    // The generator leaves 5% drafts spread over a year, all stale: thousands of warnings
    // rebuilt on each recheck. A tidier blog shows the fixed cost of a recheck.
    for entry in &mut blog.entries {
        let entry = std::sync::Arc::make_mut(entry);
        entry.status = EntryStatus::Published;
    }
    checker.check(&blog, now);
    let mut best = f64::MAX;
    for _ in 0..20 {
        let started = Instant::now();
        checker.check(&blog, now);
        best = best.min(ms(started));
    }
    println!(
        "recheck, no drafts           {best:>8.1} ms (best of 20), {} problems",
        checker.report().problems.len()
    );
}

fn ms(started: Instant) -> f64 {
    started.elapsed().as_secs_f64() * 1000.0
}

fn report(what: &str, started: Instant, checker: &Checker) {
    let elapsed = ms(started);
    let stats = checker.last_stats();
    println!(
        "{what:<28} {elapsed:>8.1} ms, {} of {} entries re-read, {} problems",
        stats.reanalysed,
        stats.entries,
        checker.report().problems.len()
    );
}
