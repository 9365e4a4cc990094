//! The published page: its structure against the document, its safety against hostile
//! text in every field, its structured data, and the command line that writes it.

use base64::Engine;
use chrono::{DateTime, SecondsFormat, TimeZone, Utc};
use newsdesk::export::{markdown_to_plain_text, render_entry, render_page};
use newsdesk::model::{
    BlogStatus, Byline, Entry, EntryId, EntryKind, EntryStatus, Flags, LiveBlog, Media, ZoneLabel,
};
use newsdesk::storage;
use proptest::prelude::*;
use scraper::{ElementRef, Html, Selector};
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command;

const SAMPLE: &str = "assets/examples/ukraine-talks-2025-02-18.ron";

/// When the pages are exported: long after the sample's day, so every scheduled post whose
/// time is not later than that is in print.
fn export_time() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2030, 1, 1, 0, 0, 0).unwrap()
}

fn sample() -> LiveBlog {
    storage::load(Path::new(SAMPLE))
        .expect("the bundled sample loads")
        .blog
}

fn select<'a>(element: ElementRef<'a>, css: &str) -> Vec<ElementRef<'a>> {
    let selector = Selector::parse(css).expect("valid selector");
    element.select(&selector).collect()
}

fn all<'a>(page: &'a Html, css: &str) -> Vec<ElementRef<'a>> {
    select(page.root_element(), css)
}

fn one<'a>(page: &'a Html, css: &str) -> ElementRef<'a> {
    let found = all(page, css);
    assert_eq!(found.len(), 1, "expected one {css}, found {}", found.len());
    found[0]
}

fn text(element: ElementRef<'_>) -> String {
    element.text().collect()
}

fn iso(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn id(text: &str) -> EntryId {
    EntryId::new(text).expect("valid id")
}

/// What readers should see, from the model alone: pinned then timeline, published, each once.
fn expected_order(blog: &LiveBlog) -> Vec<&Entry> {
    let mut seen = HashSet::new();
    blog.pinned_entries()
        .chain(blog.stream_entries())
        .filter(|entry| entry.is_published() && seen.insert(entry.id.as_str()))
        .collect()
}

fn json_ld(page: &Html) -> serde_json::Value {
    let script = one(page, "script");
    assert_eq!(script.attr("type"), Some("application/ld+json"));
    serde_json::from_str(&text(script)).expect("the JSON-LD parses")
}

// ---------------------------------------------------------------------------------------
// The sample reads like the original live page.

#[test]
fn header_reads_like_the_live_page() {
    let blog = sample();
    let page = Html::parse_document(&render_page(&blog, export_time()));
    assert_eq!(page.root_element().attr("lang"), Some("en-GB"));
    assert_eq!(text(one(&page, "title")), blog.settings.title);
    assert_eq!(text(one(&page, "h1")), blog.settings.title);
    assert_eq!(
        text(one(&page, "header .standfirst")),
        blog.settings.standfirst
    );
    assert_eq!(text(one(&page, "header .badge")), "Live");
    let updated = one(&page, "header .updated");
    assert_eq!(
        text(updated),
        "Last updated Tuesday 18 February 2025 14:47, UK"
    );
    assert_eq!(
        select(updated, "time")[0].attr("datetime"),
        Some("2025-02-18T14:47:00Z")
    );
    let canonical = blog.settings.canonical_url.as_deref();
    assert_eq!(one(&page, "link[rel=canonical]").attr("href"), canonical);
    assert_eq!(
        one(&page, "meta[property='og:url']").attr("content"),
        canonical
    );
    assert_eq!(
        one(&page, "meta[property='og:title']").attr("content"),
        Some(blog.settings.title.as_str())
    );
    assert_eq!(
        one(&page, "meta[name=description]").attr("content"),
        Some(blog.settings.standfirst.as_str())
    );
}

#[test]
fn articles_follow_the_document_with_anchors_times_and_headlines() {
    let blog = sample();
    let page = Html::parse_document(&render_page(&blog, export_time()));
    let articles = all(&page, "article");
    let expected = expected_order(&blog);
    let ids: Vec<&str> = articles.iter().filter_map(|a| a.attr("id")).collect();
    let expected_ids: Vec<&str> = expected.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, expected_ids);
    // The pinned summary comes first, in its own section.
    assert_eq!(
        select(one(&page, "section.pinned"), "article")[0].attr("id"),
        Some("summary-1430")
    );
    for (article, entry) in articles.iter().zip(&expected) {
        let time = select(*article, ".entry-meta time")[0];
        assert_eq!(
            time.attr("datetime"),
            Some(iso(entry.display_time).as_str())
        );
        assert_eq!(
            text(time),
            blog.settings.time_zone.clock(entry.display_time)
        );
        let permalink = select(*article, "a.permalink")[0];
        assert_eq!(
            permalink.attr("href"),
            Some(format!("#{}", entry.id).as_str())
        );
        let headlines: Vec<String> = select(*article, ".headline")
            .into_iter()
            .map(text)
            .collect();
        match entry.headline() {
            Some(headline) => assert_eq!(headlines, vec![headline.to_owned()]),
            None => assert!(headlines.is_empty()),
        }
        // Every post shows the time in Saudi Arabia too, as the blog asks.
        let zones: Vec<String> = select(*article, ".zone").into_iter().map(text).collect();
        let riyadh = &blog.settings.extra_zones[0];
        assert_eq!(
            zones,
            vec![format!("{} Saudi Arabia", riyadh.clock(entry.display_time))]
        );
        assert_eq!(
            select(*article, ".badge-key").len(),
            usize::from(entry.flags.key_event)
        );
        assert_eq!(
            select(*article, ".badge-breaking").len(),
            usize::from(entry.flags.breaking)
        );
    }
}

#[test]
fn key_events_list_links_to_each_key_post_in_page_order() {
    let blog = sample();
    let page = Html::parse_document(&render_page(&blog, export_time()));
    let links: Vec<(String, String)> = all(&page, "nav.key-events li a")
        .into_iter()
        .map(|a| {
            (
                a.attr("href").unwrap_or_default().to_owned(),
                text(select(a, ".key-headline")[0]),
            )
        })
        .collect();
    let expected: Vec<(String, String)> = expected_order(&blog)
        .into_iter()
        .filter(|entry| entry.flags.key_event)
        .map(|entry| (format!("#{}", entry.id), entry.title_line(120)))
        .collect();
    assert_eq!(links.len(), 4);
    assert_eq!(links, expected);
}

#[test]
fn context_notes_are_asides_and_quotes_stay_quotes() {
    let blog = sample();
    let page = Html::parse_document(&render_page(&blog, export_time()));
    let lavrov = one(&page, "article#post-1405");
    let quotes = select(lavrov, "blockquote");
    assert_eq!(quotes.len(), 1);
    assert!(text(quotes[0]).contains("We’ve told the US"));
    let notes = select(lavrov, "aside.context");
    assert_eq!(notes.len(), 1);
    assert_eq!(text(select(notes[0], "strong")[0]), "For context:");
    assert!(text(notes[0]).contains("Sir Keir Starmer"));
    assert_eq!(select(notes[0], "p").len(), 2);
}

#[test]
fn links_to_posts_work_and_links_to_drafts_lose_only_the_link() {
    let mut blog = sample();
    let page = Html::parse_document(&render_page(&blog, export_time()));
    let summary = one(&page, "article#summary-1430");
    let targets: Vec<&str> = select(summary, ".body a")
        .into_iter()
        .filter_map(|a| a.attr("href"))
        .collect();
    assert_eq!(targets, ["#post-1100", "#post-1250", "#post-1405"]);

    // Lavrov's post goes back to draft: the summary keeps the words "more" unlinked.
    blog.entry_mut(&id("post-1405")).unwrap().status = EntryStatus::Draft;
    let page = Html::parse_document(&render_page(&blog, export_time()));
    let summary = one(&page, "article#summary-1430");
    let targets: Vec<&str> = select(summary, ".body a")
        .into_iter()
        .filter_map(|a| a.attr("href"))
        .collect();
    assert_eq!(targets, ["#post-1100", "#post-1250"]);
    assert!(text(summary).contains("would be unacceptable (more)"));
}

#[test]
fn scheduled_posts_are_in_print_from_their_time_and_posts_ready_for_the_editor_never() {
    use newsdesk::export::{SiteOptions, render_site};
    let mut blog = sample();
    let at = Utc.with_ymd_and_hms(2025, 2, 18, 15, 30, 0).unwrap();
    let mut scheduled = Entry::new_post(id("scheduled-1530"), at);
    scheduled.body = "Scheduled body narwhal".into();
    scheduled.status = EntryStatus::Scheduled { at };
    let mut ready = Entry::new_post(id("ready-1520"), at);
    ready.body = "Handed-over body axolotl".into();
    ready.status = EntryStatus::Ready;
    blog.entries.insert(0, ready.into());
    blog.entries.insert(0, scheduled.into());
    let before = at - chrono::Duration::seconds(1);
    for (now, in_print) in [(before, false), (at, true), (export_time(), true)] {
        let page = render_page(&blog, now);
        let site = render_site(&blog, SiteOptions::of(&blog), now);
        let index = &site
            .iter()
            .find(|(name, _)| name == "index.html")
            .unwrap()
            .1;
        let feed = &site.iter().find(|(name, _)| name == "feed.json").unwrap().1;
        for (what, text) in [("page", &page), ("site", index), ("feed", feed)] {
            assert_eq!(text.contains("narwhal"), in_print, "{what} at {now}");
            assert!(!text.contains("axolotl"), "{what} at {now}");
        }
        // "Last updated" counts only what is in print.
        let updated = Html::parse_document(&page);
        let stamp = one(&updated, "p.updated time")
            .value()
            .attr("datetime")
            .map(str::to_owned);
        assert_eq!(
            stamp.as_deref() == Some(iso(at).as_str()),
            in_print,
            "at {now}"
        );
    }
}

#[test]
fn drafts_appear_nowhere_in_the_page() {
    let mut blog = sample();
    let now = Utc.with_ymd_and_hms(2025, 2, 18, 15, 0, 0).unwrap();
    let mut draft = Entry::new_post(id("draft-embargoed"), now);
    draft.headline = "Embargoed headline zebra".into();
    draft.body = "Embargoed body quagga".into();
    draft.flags = Flags {
        key_event: true,
        breaking: true,
    };
    draft.media = Some(Media::Image {
        url: "https://img.example/embargo.jpg".into(),
        alt: "Embargoed alt okapi".into(),
        caption: "Embargoed caption".into(),
    });
    blog.entries.insert(0, draft.into());
    blog.pinned.push(id("draft-embargoed"));
    let html = render_page(&blog, export_time());
    for secret in ["draft-embargoed", "zebra", "quagga", "okapi", "embargo"] {
        assert!(!html.contains(secret), "{secret} leaked into the page");
    }
    // The newest published change, not the draft, is the page's last update.
    let page = Html::parse_document(&html);
    assert_eq!(
        select(one(&page, "header .updated"), "time")[0].attr("datetime"),
        Some("2025-02-18T14:47:00Z")
    );
    // With no picture published, the policy allows none.
    let policy = one(&page, "meta[http-equiv=Content-Security-Policy]")
        .attr("content")
        .unwrap();
    assert!(!policy.contains("img-src"), "{policy}");
}

#[test]
fn video_is_a_privacy_enhanced_player_allowed_by_the_policy() {
    let blog = sample();
    let page = Html::parse_document(&render_page(&blog, export_time()));
    let player = one(&page, "article#post-1015 iframe");
    assert_eq!(
        player.attr("src"),
        Some("https://www.youtube-nocookie.com/embed/2pGm1bhSsjQ")
    );
    assert_eq!(
        player.attr("title"),
        Some("Could this mark a turning point for the war in Ukraine?")
    );
    let policy = one(&page, "meta[http-equiv=Content-Security-Policy]")
        .attr("content")
        .unwrap();
    assert!(policy.contains("frame-src https://www.youtube-nocookie.com;"));
    assert!(!policy.contains("vimeo"));

    // Any other video address is a plain link, and no frame is allowed.
    let mut other = blog.clone();
    other.entry_mut(&id("post-1015")).unwrap().media = Some(Media::Video {
        url: "https://video.example/clip.mp4".into(),
        caption: "Clip".into(),
    });
    let page = Html::parse_document(&render_page(&other, export_time()));
    assert!(all(&page, "iframe").is_empty());
    let link = one(&page, "article#post-1015 .video-link a");
    assert_eq!(link.attr("href"), Some("https://video.example/clip.mp4"));
    assert_eq!(link.attr("rel"), Some("noopener noreferrer"));
    let policy = one(&page, "meta[http-equiv=Content-Security-Policy]")
        .attr("content")
        .unwrap();
    assert!(!policy.contains("frame-src"), "{policy}");
}

#[test]
fn the_policy_names_the_inlined_stylesheet_by_its_hash() {
    let page = Html::parse_document(&render_page(&sample(), export_time()));
    let css = text(one(&page, "head style"));
    assert!(css.contains("prefers-color-scheme: dark") && css.contains("@media print"));
    let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(css.as_bytes()));
    let policy = one(&page, "meta[http-equiv=Content-Security-Policy]")
        .attr("content")
        .unwrap();
    assert!(
        policy.contains(&format!("style-src 'sha256-{hash}'")),
        "{policy}"
    );
    assert!(policy.starts_with("default-src 'none'; script-src 'none';"));
    assert!(!policy.contains("unsafe"));
}

#[test]
fn structured_data_matches_the_published_entries() {
    let blog = sample();
    let page = Html::parse_document(&render_page(&blog, export_time()));
    let data = json_ld(&page);
    let canonical = blog.settings.canonical_url.clone().unwrap();
    assert_eq!(data["@context"], "https://schema.org");
    assert_eq!(data["@type"], "LiveBlogPosting");
    assert_eq!(data["headline"], blog.settings.title.as_str());
    assert_eq!(data["description"], blog.settings.standfirst.as_str());
    assert_eq!(data["mainEntityOfPage"], canonical.as_str());
    assert_eq!(
        data["coverageStartTime"],
        iso(blog.settings.coverage_start).as_str()
    );
    assert_eq!(data["dateModified"], "2025-02-18T14:47:00Z");
    assert!(data.get("coverageEndTime").is_none());
    let updates = data["liveBlogUpdate"].as_array().unwrap();
    let expected = expected_order(&blog);
    assert_eq!(updates.len(), expected.len());
    for (update, entry) in updates.iter().zip(&expected) {
        assert_eq!(update["@type"], "BlogPosting");
        assert_eq!(update["headline"], entry.title_line(110).as_str());
        assert_eq!(update["datePublished"], iso(entry.display_time).as_str());
        assert_eq!(
            update["articleBody"],
            markdown_to_plain_text(&entry.body).as_str()
        );
        assert_eq!(update["url"], format!("{canonical}#{}", entry.id).as_str());
    }
    let haynes = &updates[expected
        .iter()
        .position(|e| e.id.as_str() == "post-1145")
        .unwrap()];
    assert_eq!(haynes["author"][0]["name"], "Deborah Haynes");
    assert_eq!(
        haynes["author"][0]["jobTitle"],
        "security and defence editor"
    );
}

#[test]
fn an_ended_blog_says_so() {
    let mut blog = sample();
    blog.settings.status = BlogStatus::Ended;
    blog.settings.coverage_end = Some(Utc.with_ymd_and_hms(2025, 2, 18, 18, 0, 0).unwrap());
    let page = Html::parse_document(&render_page(&blog, export_time()));
    assert_eq!(text(one(&page, "header .badge")), "Ended");
    assert!(all(&page, ".badge-live").is_empty());
    assert_eq!(json_ld(&page)["coverageEndTime"], "2025-02-18T18:00:00Z");
}

#[test]
fn posts_from_earlier_days_show_their_date() {
    let mut blog = sample();
    let earlier = blog.entry_mut(&id("post-0932")).unwrap();
    earlier.display_time = Utc.with_ymd_and_hms(2025, 2, 17, 21, 5, 0).unwrap();
    let page = Html::parse_document(&render_page(&blog, export_time()));
    let dates: Vec<String> = all(&page, "article .date").into_iter().map(text).collect();
    assert_eq!(dates, ["Mon 17 Feb"]);
    assert_eq!(select(one(&page, "article#post-0932"), ".date").len(), 1);
}

#[test]
fn the_preview_of_an_entry_is_exactly_its_article_on_the_page() {
    let blog = sample();
    let html = render_page(&blog, export_time());
    for entry in expected_order(&blog) {
        let article = render_entry(&blog, entry);
        assert!(article.starts_with("<article"), "{article}");
        assert!(html.contains(&article), "{} differs on the page", entry.id);
    }
    // A draft previews too, though it never reaches the page.
    let mut draft = (*blog.entries[3]).clone();
    draft.status = EntryStatus::Draft;
    assert!(render_entry(&blog, &draft).contains(&draft.body[..20]));
}

#[test]
fn a_long_blog_written_on_several_threads_matches_each_entry_and_its_words() {
    // Long enough that the timeline is shared between threads where the machine has them.
    let blog = newsdesk::generate::generate(600, 4);
    let html = render_page(&blog, export_time());
    let page = Html::parse_document(&html);
    let expected = expected_order(&blog);
    let ids: Vec<&str> = all(&page, "article")
        .iter()
        .filter_map(|a| a.attr("id"))
        .collect();
    let expected_ids: Vec<&str> = expected.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, expected_ids);
    for entry in &expected {
        assert!(html.contains(&render_entry(&blog, entry)), "{}", entry.id);
    }
    let updates = json_ld(&page)["liveBlogUpdate"].as_array().unwrap().clone();
    assert_eq!(updates.len(), expected.len());
    for (update, entry) in updates.iter().zip(&expected) {
        assert_eq!(
            update["articleBody"],
            markdown_to_plain_text(&entry.body).as_str(),
            "{}",
            entry.id
        );
    }
}

#[test]
fn the_same_document_gives_the_same_bytes() {
    let blog = sample();
    let first = render_page(&blog, export_time());
    assert_eq!(first, render_page(&blog.clone(), export_time()));
    let generated = newsdesk::generate::generate(300, 9);
    assert_eq!(
        render_page(&generated, export_time()),
        render_page(&generated.clone(), export_time())
    );
}

#[test]
fn plain_text_is_what_a_reader_sees() {
    let blog = sample();
    let lavrov = blog.entry(&id("post-1405")).unwrap();
    let plain = markdown_to_plain_text(&lavrov.body);
    assert!(plain.starts_with("We’ve just heard from Russia’s foreign minister"));
    assert!(plain.contains("\n\n“We’ve told the US"));
    assert!(plain.ends_with("into a peacekeeping force in Ukraine."));
    assert!(!plain.contains('>'));
}

// ---------------------------------------------------------------------------------------
// Safety: hostile text in every field.

const ATTACKS: &[&str] = &[
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "\"><svg onload=alert(1)>",
    "'><iframe src=javascript:alert(1)>",
    "</script><script>window.__xss=1</script>",
    "</style><script>alert(1)</script>",
    "<!--",
    "-->",
    "javascript:alert(1)",
    " JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "[click](javascript:alert(1))",
    "[click](<javascript:alert(1)>)",
    "[ref][r]\n\n[r]: javascript:alert(1)",
    "![pic](javascript:alert(1))",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<javascript:alert(1)>",
    "&#106;avascript:alert(1)",
    "```\"><script>alert(1)</script>\n```",
    "\u{2028}\u{2029}",
    "\u{0}\u{1}\u{85}",
    "&amp;&lt;",
];

fn hostile_entry(index: usize, attack: &str) -> Entry {
    let now = Utc.with_ymd_and_hms(2025, 2, 18, 9, 0, 0).unwrap()
        + chrono::Duration::minutes(index as i64);
    let mut entry = Entry::new_post(id(&format!("post-{index}")), now);
    entry.status = EntryStatus::Published;
    entry.flags.key_event = true;
    entry.headline = format!("Headline {attack}");
    entry.bylines = vec![Byline {
        name: attack.to_owned(),
        role: attack.to_owned(),
    }];
    entry.body = format!(
        "{attack}\n\n> For context: {attack}\n\n[more]({attack}) and [post](#post-0) \
         <https://x.example/{attack}>"
    );
    entry.correction = attack.to_owned();
    entry.media = Some(match index % 3 {
        0 => Media::Image {
            url: attack.to_owned(),
            alt: attack.to_owned(),
            caption: attack.to_owned(),
        },
        1 => Media::Video {
            url: attack.to_owned(),
            caption: attack.to_owned(),
        },
        _ => Media::Image {
            url: format!("https://img.example/{attack}.jpg"),
            alt: attack.to_owned(),
            caption: attack.to_owned(),
        },
    });
    entry
}

fn hostile_blog() -> LiveBlog {
    let now = Utc.with_ymd_and_hms(2025, 2, 18, 9, 0, 0).unwrap();
    let mut blog = LiveBlog::new(format!("Title {}", ATTACKS.join(" ")), now);
    blog.settings.standfirst = ATTACKS.join(" ");
    blog.settings.canonical_url = Some("javascript:alert(1)".into());
    blog.settings.language = "\"><script>alert(1)</script>".into();
    blog.settings.time_zone = ZoneLabel::new(chrono_tz::Europe::London, ATTACKS[2]);
    blog.settings.extra_zones = vec![ZoneLabel::new(chrono_tz::Asia::Riyadh, ATTACKS[4])];
    blog.entries = ATTACKS
        .iter()
        .enumerate()
        .map(|(index, attack)| hostile_entry(index, attack).into())
        .collect();
    blog.pinned = vec![id("post-1")];
    blog
}

// The comparison with a plain-text page needs the fuzzer's document builder; it runs in
// tests/hostile_files.rs.
#[allow(dead_code)]
#[path = "../fuzz/common/page_safety.rs"]
mod page_safety;

/// The page-safety invariants shared with the fuzzer (no script but JSON-LD, no event
/// handlers, styles or plugin elements, only web, mail and in-page addresses), plus what
/// this document in particular must give.
fn assert_page_is_safe(html: &str, blog: &LiveBlog) {
    let page = Html::parse_document(html);
    // No script except the one JSON-LD block, and that one parses as data.
    let scripts = all(&page, "script");
    assert_eq!(scripts.len(), 1, "scripts: {scripts:?}");
    assert_eq!(scripts[0].attr("type"), Some("application/ld+json"));
    let json_text = text(scripts[0]);
    assert!(!json_text.contains('<') && !json_text.contains('>'));
    let data: serde_json::Value = serde_json::from_str(&json_text).expect("JSON-LD parses");
    let expected = expected_order(blog);
    let updates = data["liveBlogUpdate"].as_array().expect("updates");
    assert_eq!(updates.len(), expected.len());
    for (update, entry) in updates.iter().zip(&expected) {
        assert_eq!(update["datePublished"], iso(entry.display_time).as_str());
    }
    // The page shows exactly the published entries, in order, each once.
    let ids: Vec<&str> = all(&page, "article")
        .iter()
        .filter_map(|a| a.attr("id"))
        .collect();
    let expected_ids: Vec<&str> = expected.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, expected_ids);
    assert_eq!(all(&page, "style").len(), 1);

    if let Err(problem) = page_safety::check_page(html) {
        panic!("unsafe page: {problem}");
    }
    for element in all(&page, "*") {
        let name = element.value().name();
        match name {
            "iframe" => {
                assert!(!element.attr("title").unwrap_or_default().trim().is_empty());
            }
            "a" => {
                let href = element.attr("href").unwrap_or_default();
                if !href.starts_with('#') {
                    assert_eq!(element.attr("rel"), Some("noopener noreferrer"), "{href}");
                }
            }
            "meta" => {
                if let Some(property) = element.attr("property")
                    && matches!(property, "og:url" | "og:image")
                {
                    assert!(
                        element
                            .attr("content")
                            .unwrap_or_default()
                            .starts_with("http")
                    );
                }
            }
            "link" => assert_eq!(element.attr("rel"), Some("canonical")),
            _ => {}
        }
    }
    // An in-page link always lands on a post that is on the page.
    for link in all(&page, "a[href^='#']") {
        let target = &link.attr("href").unwrap_or_default()[1..];
        assert!(expected_ids.contains(&target), "dead link to #{target}");
    }
    let policy = one(&page, "meta[http-equiv=Content-Security-Policy]")
        .attr("content")
        .unwrap_or_default();
    assert!(policy.starts_with("default-src 'none'; script-src 'none';"));
    assert!(!html.contains("<!--"));
}

#[test]
fn hostile_text_in_every_field_stays_text() {
    let blog = hostile_blog();
    let html = render_page(&blog, export_time());
    assert_page_is_safe(&html, &blog);
    let page = Html::parse_document(&html);
    // The words are still there for the reader, as text.
    assert!(text(one(&page, "h1")).contains("<script>alert(1)</script>"));
    assert!(text(one(&page, "article#post-0 .body")).contains("<script>alert(1)</script>"));
    assert_eq!(page.root_element().attr("lang"), Some("en"));
    assert!(all(&page, "link[rel=canonical]").is_empty());
    // The JSON-LD carries the hostile headline back intact.
    let data = json_ld(&page);
    assert_eq!(
        data["liveBlogUpdate"][1]["headline"],
        format!("Headline {}", ATTACKS[0]).as_str()
    );
    assert!(data.get("url").is_none());
}

// ---------------------------------------------------------------------------------------
// Property: arbitrary documents keep the invariants.

fn piece() -> impl Strategy<Value = String> {
    let fixed: Vec<&'static str> = ATTACKS
        .iter()
        .copied()
        .chain([
            "For context: ",
            "> ",
            "\n\n",
            "\n",
            "- ",
            "# ",
            "*",
            "_",
            "`",
            "[see](#p1)",
            "[see](#p3)",
            "[ghost](#ghost)",
            "https://www.youtube.com/watch?v=abc_123",
            "https://vimeo.com/76979871",
            "https://img.example/a.jpg",
            "mailto:desk@news.example",
            "plain words",
            "“curly”",
            "😀",
        ])
        .collect();
    prop_oneof![
        4 => prop::sample::select(fixed).prop_map(str::to_owned),
        1 => any::<String>(),
    ]
}

fn field() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..5).prop_map(|parts| parts.concat())
}

fn media() -> impl Strategy<Value = Option<Media>> {
    prop_oneof![
        Just(None),
        (field(), field(), field()).prop_map(|(url, alt, caption)| Some(Media::Image {
            url,
            alt,
            caption
        })),
        (field(), field()).prop_map(|(url, caption)| Some(Media::Video { url, caption })),
    ]
}

fn arbitrary_entry() -> impl Strategy<Value = Entry> {
    (
        (
            0i64..400_000,
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
        ),
        (field(), field(), field(), field(), field()),
        (media(), field(), 0usize..6),
    )
        .prop_map(
            |(
                (minutes, published, summary, key_event, breaking),
                (headline, name, role, body, correction),
                (media, second_name, slot),
            )| {
                let time = Utc.with_ymd_and_hms(2025, 2, 18, 9, 0, 0).unwrap()
                    - chrono::Duration::minutes(minutes);
                let mut entry = Entry::new_post(id(&format!("p{slot}")), time);
                entry.kind = if summary {
                    EntryKind::Summary
                } else {
                    EntryKind::Post
                };
                entry.status = if published {
                    EntryStatus::Published
                } else {
                    EntryStatus::Draft
                };
                entry.flags = Flags {
                    key_event,
                    breaking,
                };
                entry.headline = headline;
                entry.bylines = vec![
                    Byline { name, role },
                    Byline {
                        name: second_name,
                        role: String::new(),
                    },
                ];
                entry.body = body;
                entry.media = media;
                entry.correction = correction;
                entry
            },
        )
}

fn arbitrary_blog() -> impl Strategy<Value = LiveBlog> {
    (
        (field(), field(), field(), field(), any::<bool>()),
        prop::collection::vec(arbitrary_entry(), 0..8),
        prop::collection::vec(
            prop::sample::select(vec!["p0", "p1", "p2", "p3", "ghost"]),
            0..3,
        ),
    )
        .prop_map(
            |((title, standfirst, canonical, label, ended), entries, pinned)| {
                let start = Utc.with_ymd_and_hms(2025, 2, 10, 6, 0, 0).unwrap();
                let mut blog = LiveBlog::new(title, start);
                blog.settings.standfirst = standfirst;
                blog.settings.canonical_url = Some(canonical);
                blog.settings.time_zone = ZoneLabel::new(chrono_tz::Europe::London, label.clone());
                blog.settings.extra_zones = vec![ZoneLabel::new(chrono_tz::Asia::Kolkata, label)];
                if ended {
                    blog.settings.status = BlogStatus::Ended;
                }
                // Ids repeat on purpose (slot 0..6): the page must stay sound even then.
                blog.entries = entries.into_iter().map(std::sync::Arc::new).collect();
                blog.pinned = pinned.into_iter().map(id).collect();
                blog
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn any_document_exports_to_a_safe_deterministic_page(blog in arbitrary_blog()) {
        let html = render_page(&blog, export_time());
        assert_page_is_safe(&html, &blog);
        prop_assert_eq!(&html, &render_page(&blog, export_time()));
        for entry in &blog.entries {
            let article = render_entry(&blog, entry);
            let fragment = Html::parse_fragment(&article);
            prop_assert!(all(&fragment, "script").is_empty());
            let handlers = all(&fragment, "*")
                .iter()
                .flat_map(|element| element.value().attrs())
                .filter(|(name, _)| name.to_ascii_lowercase().starts_with("on"))
                .count();
            prop_assert_eq!(handlers, 0);
        }
    }

    #[test]
    fn plain_text_has_no_blank_lines_at_its_ends(body in field()) {
        let plain = markdown_to_plain_text(&body);
        prop_assert!(!plain.starts_with('\n') && !plain.ends_with('\n'));
    }
}

// ---------------------------------------------------------------------------------------
// The command line writes what the editor's export writes.

fn scratch() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary folder")
}

fn newsdesk(args: &[&Path]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_newsdesk"))
        .args(args)
        .output()
        .expect("newsdesk runs")
}

#[test]
fn command_line_export_writes_exactly_render_page() {
    let folder = scratch();
    let out: PathBuf = folder.path().join("page.html");
    let result = newsdesk(&[
        Path::new("export"),
        Path::new(SAMPLE),
        Path::new("-o"),
        &out,
    ]);
    assert!(result.status.success(), "{result:?}");
    let written = std::fs::read_to_string(&out).expect("the page was written");
    assert_eq!(written, render_page(&sample(), export_time()));
}

#[test]
fn command_line_refuses_a_broken_document_and_writes_nothing() {
    let folder = scratch();
    let mut blog = sample();
    let copy = blog.entries[2].clone();
    blog.entries.push_back(copy);
    let document = folder.path().join("broken.ron");
    storage::save(&document, &blog).expect("saved");
    let result = newsdesk(&[Path::new("export"), &document]);
    assert_eq!(result.status.code(), Some(1), "{result:?}");
    assert!(String::from_utf8_lossy(&result.stderr).contains("share the id"));
    assert!(!folder.path().join("broken.html").exists());
}

#[test]
fn right_to_left_text_reads_right_to_left_wherever_it_stands() {
    let mut blog = sample();
    let entry = std::sync::Arc::make_mut(&mut blog.entries[0]);
    entry.headline = "وزير الخارجية السعودي يستقبل الوفدين".into();
    entry.body = "قال الوزير إن المحادثات مستمرة.\n\n> «نحن هنا من أجل السلام»\n\n- בנימין נתניהו\n- اردو\n\n#### گزارش"
        .into();
    entry.bylines = vec![Byline {
        name: "فيصل".into(),
        role: "مراسل".into(),
    }];
    entry.status = EntryStatus::Published;
    let html = render_page(&blog, export_time());
    let page = Html::parse_document(&html);
    let article = format!("article#{}", blog.entries[0].id);
    for css in [
        "h2.headline, h3.headline",
        "div.body p",
        "div.body blockquote",
        "div.body li",
        "div.body h4, div.body h5, div.body h6",
        "span.author",
        "span.role",
    ] {
        let selector = Selector::parse(&format!("{article} {css}")).unwrap();
        let found: Vec<_> = page.select(&selector).collect();
        assert!(!found.is_empty(), "nothing matched {css}");
        for element in found {
            assert_eq!(
                element.value().attr("dir"),
                Some("auto"),
                "{css}: {}",
                element.html()
            );
        }
    }
    for css in ["h1", "p.standfirst"] {
        assert_eq!(one(&page, css).value().attr("dir"), Some("auto"), "{css}");
    }
}

#[test]
fn the_page_written_as_it_is_made_is_the_same_bytes() {
    // Long enough for the articles to be written on several threads and handed on in runs.
    let blog = newsdesk::generate::generate(1_700, 3);
    let now = export_time();
    let mut streamed = Vec::new();
    newsdesk::export::write_page(&blog, now, &mut streamed).expect("writes");
    assert!(streamed == newsdesk::export::render_page(&blog, now).into_bytes());
}
