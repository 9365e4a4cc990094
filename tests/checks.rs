//! Pre-publication checks: each check fires on the problem it names and stays silent on a
//! clean document; fixes apply through the edit layer and undo.

use chrono::{DateTime, Duration, Utc};
use common::checks::*;
use newsdesk::checks::{CheckId, CheckReport, Checker, Field, Severity, check_document};
use newsdesk::edit::apply;
use newsdesk::model::{BlogStatus, Byline, EntryId, EntryStatus, Media, ZoneLabel};
use std::path::Path;

mod common;

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
    blog.settings.canonical_url = Some("data:text/html,hello".into());
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
    blog.settings.coverage_start = at(9, 40);
    blog.settings.coverage_end = Some(at(14, 48));
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
    blog.settings.coverage_start = at(9, 32);
    blog.settings.coverage_end = Some(at(14, 50));
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
    blog.entries.push_back(key);
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
    entry_mut(&mut blog, "post-1015").body = "As in our 8.15am update.".into();
    let problem = only(&check(&blog), CheckId::UnlinkedTimeReference);
    assert!(problem.fix.is_none());
    assert!(problem.message.contains("no published post shows 8.15am"));

    entry_mut(&mut blog, "post-1015").body = "As in our 9.32am post.".into();
    let mut twin = post("post-0932b", at(9, 32), "Another post at the same minute.");
    twin.modified = at(9, 33);
    blog.push_entry(twin);
    let problem = only(&check(&blog), CheckId::UnlinkedTimeReference);
    assert!(problem.fix.is_none());
    assert!(
        problem.message.contains("any of 2 posts"),
        "{}",
        problem.message
    );
}

#[test]
fn as_we_reported_at_a_time_is_a_reference_and_links_the_time() {
    let mut blog = clean_blog();
    let body = "As we reported at 9.32am, Peskov spoke.";
    entry_mut(&mut blog, "post-1015").body = body.into();
    let problem = only(&check(&blog), CheckId::UnlinkedTimeReference);
    assert_eq!(&body[problem.span.clone().unwrap()], "9.32am");
    apply_fix(&mut blog, &problem);
    assert_eq!(
        blog.entry(&id("post-1015")).unwrap().body,
        "As we reported at [9.32am](#post-0932), Peskov spoke."
    );
}

#[test]
fn the_times_of_other_peoples_updates_and_briefings_are_not_references() {
    let mut blog = clean_blog();
    // 9.32am is a post of ours, yet here it is the agency's.
    entry_mut(&mut blog, "post-1015").body = "Reuters' 9.32am update said the talks go on; \
        the Kremlin's 9.32am briefing, the noon update and the midnight deadline too. \
        They reported at 9.32am that it was over."
        .into();
    assert!(check(&blog).is_empty(), "{:#?}", check(&blog));
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
    blog.push_entry(copy);
    blog.pinned = vec![id("summary-1430"), id("gone"), id("summary-1430")];
    blog.settings.coverage_end = Some(at(5, 0));
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
    blog.settings.status = BlogStatus::Ended;
    let problem = only(&check(&blog), CheckId::EndedWithoutCoverageEnd);
    assert_eq!(problem.field, Some(Field::CoverageEnd));
    assert!(problem.message.contains("2.47pm"), "{}", problem.message);
    apply_fix(&mut blog, &problem);
    assert_eq!(blog.settings.coverage_end, Some(at(14, 47)));
    assert!(check(&blog).is_empty());
}

#[test]
fn a_settings_fix_is_refused_after_other_settings_changed() {
    let mut blog = clean_blog();
    blog.settings.status = BlogStatus::Ended;
    let problem = only(&check(&blog), CheckId::EndedWithoutCoverageEnd);
    blog.settings.title = "Renamed meanwhile".into();
    assert!(!problem.fix.unwrap().applies_to(&blog));
}

#[test]
fn an_ended_blog_with_its_end_set_passes() {
    let mut blog = clean_blog();
    blog.settings.status = BlogStatus::Ended;
    blog.settings.coverage_end = Some(at(15, 0));
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
    blog.settings.time_zone = ZoneLabel::new(chrono_tz::Pacific::Kiritimati, "Line Islands");
    blog.settings.coverage_end = Some(DateTime::<Utc>::MAX_UTC);
    blog.settings.status = BlogStatus::Ended;
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
    blog.settings.status = BlogStatus::Ended;
    blog.settings.coverage_end = None;
    entry_mut(&mut blog, "post-0932").body = String::new();
    entry_mut(&mut blog, "post-1447").body = String::new();
    let problems = check(&blog);
    let order: Vec<Option<&str>> = problems
        .iter()
        .map(|p| p.entry.as_ref().map(EntryId::as_str))
        .collect();
    assert_eq!(order, [None, Some("post-1447"), Some("post-0932")]);
}

// Scheduled posts.

#[test]
fn a_scheduled_post_is_held_to_published_standards_but_its_future_time_is_no_problem() {
    let mut blog = clean_blog();
    let draft = entry_mut(&mut blog, "draft-1450");
    draft.display_time = at(16, 0);
    draft.body = String::new();
    // As a draft: a warning for the empty body, and its time is "in the future".
    assert_eq!(
        only(&check(&blog), CheckId::EmptyBody).severity,
        Severity::Warning
    );
    assert_eq!(of(&check(&blog), CheckId::FutureTime).len(), 1);
    // Scheduled for its time it publishes itself: an error, and readers never see the
    // time before it comes.
    entry_mut(&mut blog, "draft-1450").status = EntryStatus::Scheduled { at: at(16, 0) };
    assert_eq!(
        only(&check(&blog), CheckId::EmptyBody).severity,
        Severity::Error
    );
    assert!(of(&check(&blog), CheckId::FutureTime).is_empty());
    // Scheduled earlier than its time, it would show a time from the future.
    entry_mut(&mut blog, "draft-1450").status = EntryStatus::Scheduled { at: at(15, 10) };
    assert_eq!(of(&check(&blog), CheckId::FutureTime).len(), 1);
}

#[test]
fn a_post_scheduled_on_an_ended_blog_is_pointed_out() {
    let mut blog = clean_blog();
    blog.settings.status = BlogStatus::Ended;
    blog.settings.coverage_end = Some(at(14, 55));
    assert!(of(&check(&blog), CheckId::ScheduledAfterEnd).is_empty());
    entry_mut(&mut blog, "draft-1450").status = EntryStatus::Scheduled { at: at(16, 0) };
    let later = only(&check(&blog), CheckId::ScheduledAfterEnd);
    assert_eq!(later.severity, Severity::Warning);
    assert_eq!(later.entry, Some(id("draft-1450")));
    assert!(
        later.message.contains("it will still appear then"),
        "{}",
        later.message
    );
    // Its time passed (the clock reads 15:00): it is in print on an ended blog.
    entry_mut(&mut blog, "draft-1450").status = EntryStatus::Scheduled { at: at(14, 52) };
    let passed = only(&check(&blog), CheckId::ScheduledAfterEnd);
    assert!(passed.message.contains("is in print"), "{}", passed.message);
    // Live again: nothing to say.
    blog.settings.status = BlogStatus::Live;
    assert!(of(&check(&blog), CheckId::ScheduledAfterEnd).is_empty());
}
