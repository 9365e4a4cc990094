//! What the checks tests share: a clean small live page, and ways to run the checks on it.
#![allow(dead_code)] // each test file uses its own part of this

use chrono::{DateTime, TimeZone, Utc};
use newsdesk::checks::{CheckId, Problem, check_document};
use newsdesk::edit::{Edit, apply};
use newsdesk::model::{Byline, Entry, EntryId, EntryKind, EntryStatus, LiveBlog, Media, ZoneLabel};

pub const SEED: &str = "assets/examples/ukraine-talks-2025-02-18.ron";

/// 18 February 2025: London is on GMT, so UTC hours are the blog's hours.
pub fn at(hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 2, 18, hour, minute, 0).unwrap()
}

pub fn now() -> DateTime<Utc> {
    at(15, 0)
}

pub fn id(text: &str) -> EntryId {
    EntryId::new(text).unwrap()
}

pub fn post(name: &str, time: DateTime<Utc>, body: &str) -> Entry {
    let mut entry = Entry::new_post(id(name), time);
    entry.status = EntryStatus::Published;
    entry.body = body.into();
    entry
}

/// A small live page with nothing wrong: key events with headlines, a pinned summary
/// with links, a picture with alt text, a video, a linked reference by time, a fresh draft.
pub fn clean_blog() -> LiveBlog {
    let mut blog = LiveBlog::new("Ukraine war latest", at(6, 0));
    blog.settings.time_zone = ZoneLabel::new(chrono_tz::Europe::London, "UK");
    blog.settings.canonical_url = Some("https://news.example/live/ukraine".into());

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

    blog.entries = [draft, key, summary, picture, video, signed, first]
        .into_iter()
        .map(std::sync::Arc::new)
        .collect();
    blog.pinned = vec![id("summary-1430")];
    blog
}

pub fn words(count: usize) -> String {
    vec!["word"; count].join(" ")
}

pub fn check(blog: &LiveBlog) -> Vec<Problem> {
    check_document(blog, now())
}

/// The problems of one check.
pub fn of(problems: &[Problem], check: CheckId) -> Vec<Problem> {
    problems
        .iter()
        .filter(|problem| problem.check == check)
        .cloned()
        .collect()
}

pub fn only(problems: &[Problem], check: CheckId) -> Problem {
    let found = of(problems, check);
    assert_eq!(found.len(), 1, "expected one {check}, got {problems:#?}");
    found.into_iter().next().unwrap()
}

pub fn entry_mut<'a>(blog: &'a mut LiveBlog, name: &str) -> &'a mut Entry {
    blog.entry_mut(&id(name)).unwrap()
}

pub fn apply_fix(blog: &mut LiveBlog, problem: &Problem) -> Edit {
    let fix = problem.fix.as_ref().expect("a fix");
    assert!(fix.applies_to(blog));
    apply(blog, fix.edit_at(now())).expect("the fix applies")
}
