//! The feeds beside the published page: Atom (`feed.atom`, written by `atom_syndication`)
//! and JSON Feed 1.1 (`feed.json`, plain serde structs). Both list the first page's
//! entries, each with an id that never changes (the permalink when the blog has a
//! canonical address, a `urn:` otherwise), its time as published, `updated` when it was
//! last changed, and a correction marked as one.

use super::markdown::push_body_html;
use super::site::SitePlan;
use super::text::{first_words, printable, shown};
use super::url::web_url;
use crate::model::{Entry, LiveBlog, Media};
use atom_syndication as atom;
use chrono::{DateTime, FixedOffset, SecondsFormat, Utc};
use serde::Serialize;

/// A feed item's title when a post has no headline: its first words.
const TITLE_CHARS: usize = 110;

/// One entry's content as feeds carry it.
struct FeedEntry<'a> {
    entry: &'a Entry,
    id: String,
    url: Option<String>,
    title: String,
    html: String,
    text: String,
    correction: Option<String>,
}

impl<'a> FeedEntry<'a> {
    fn of(plan: &SitePlan<'_>, entry: &'a Entry) -> Self {
        let mut html = String::with_capacity(entry.body.len() + 64);
        push_body_html(&mut html, &entry.body, &plan.feed_links(), None);
        let correction = shown(&entry.correction).map(|text| text.into_owned());
        if let Some(correction) = &correction {
            html.push_str("<p class=\"correction\"><strong>Correction:</strong> ");
            html.push_str(&maud::html! { (correction) }.into_string());
            html.push_str("</p>");
        }
        if let Some(Media::Image { url, alt, .. }) = &entry.media
            && let Some(src) = web_url(url)
        {
            html.push_str(
                &maud::html! { p { img src=(src) alt=(shown(alt).unwrap_or_default()); } }
                    .into_string(),
            );
        }
        let text = super::markdown_to_plain_text(&entry.body);
        let title = match shown(&entry.headline) {
            Some(headline) => headline.into_owned(),
            None => first_words(&text, TITLE_CHARS).into_owned(),
        };
        let title = match (&correction, title.is_empty()) {
            (Some(_), _) => format!("Correction: {title}"),
            (None, true) => "Update".to_owned(),
            (None, false) => title,
        };
        let blog = plan.blog();
        FeedEntry {
            entry,
            id: entry_id(blog, entry),
            url: page_url(blog).map(|page| format!("{page}#{}", entry.id.as_str())),
            title: title.trim().to_owned(),
            html,
            text: printable(&text).into_owned(),
            correction,
        }
    }

    fn updated(&self) -> DateTime<Utc> {
        self.entry.modified.max(self.entry.display_time)
    }
}

/// The blog's page address without a fragment, when it has one.
fn page_url(blog: &LiveBlog) -> Option<String> {
    let canonical = blog.settings.canonical_url.as_deref().and_then(web_url)?;
    Some(canonical.split('#').next().unwrap_or_default().to_owned())
}

/// A stable id for the blog: its address, or a `urn:` from its page name.
fn blog_id(blog: &LiveBlog) -> String {
    if let Some(url) = page_url(blog) {
        return url;
    }
    let slug: String = blog
        .settings
        .slug
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    let slug = if slug.is_empty() { "live-blog" } else { &slug };
    format!("urn:newsdesk:{slug}")
}

/// A stable id for an entry: the blog's id and the entry's (entry ids never change).
fn entry_id(blog: &LiveBlog, entry: &Entry) -> String {
    match page_url(blog) {
        Some(url) => format!("{url}#{}", entry.id.as_str()),
        None => format!("{}:{}", blog_id(blog), entry.id.as_str()),
    }
}

fn fixed(time: DateTime<Utc>) -> DateTime<FixedOffset> {
    time.fixed_offset()
}

fn feed_title(blog: &LiveBlog) -> String {
    shown(&blog.settings.title)
        .map(|title| title.into_owned())
        .unwrap_or_else(|| "Live updates".into())
}

/// `feed.atom`.
pub(crate) fn atom_feed(plan: &SitePlan<'_>) -> String {
    let blog = plan.blog();
    let updated = plan.last_updated().unwrap_or(blog.settings.coverage_start);
    let mut links = vec![atom::Link {
        href: "feed.atom".into(),
        rel: "self".into(),
        mime_type: Some("application/atom+xml".into()),
        ..Default::default()
    }];
    links.push(atom::Link {
        href: page_url(blog).unwrap_or_else(|| "index.html".into()),
        rel: "alternate".into(),
        mime_type: Some("text/html".into()),
        ..Default::default()
    });
    let entries = plan
        .feed_entries()
        .map(|entry| {
            let item = FeedEntry::of(plan, entry);
            let authors = entry
                .bylines
                .iter()
                .filter_map(|byline| shown(&byline.name))
                .map(|name| atom::Person {
                    name: name.into_owned(),
                    ..Default::default()
                })
                .collect();
            atom::Entry {
                id: item.id.clone(),
                title: atom::Text::plain(item.title.clone()),
                updated: fixed(item.updated()),
                published: Some(fixed(entry.display_time)),
                authors,
                links: vec![atom::Link {
                    href: item
                        .url
                        .clone()
                        .unwrap_or_else(|| format!("index.html#{}", entry.id.as_str())),
                    rel: "alternate".into(),
                    mime_type: Some("text/html".into()),
                    ..Default::default()
                }],
                categories: item
                    .correction
                    .iter()
                    .map(|_| atom::Category {
                        term: "correction".into(),
                        label: Some("Corrected".into()),
                        ..Default::default()
                    })
                    .collect(),
                content: Some(atom::Content {
                    value: Some(item.html),
                    content_type: Some("html".into()),
                    ..Default::default()
                }),
                ..Default::default()
            }
        })
        .collect();
    let feed = atom::Feed {
        id: blog_id(blog),
        title: atom::Text::plain(feed_title(blog)),
        subtitle: shown(&blog.settings.standfirst).map(|text| atom::Text::plain(text.into_owned())),
        updated: fixed(updated),
        links,
        lang: Some(super::page::language_tag(&blog.settings.language).to_owned()),
        generator: Some(atom::Generator {
            value: "Newsdesk".into(),
            ..Default::default()
        }),
        entries,
        ..Default::default()
    };
    // Writing to memory fails only on a broken writer; an empty feed is still valid XML.
    let mut out = Vec::new();
    match feed.write_to(&mut out) {
        Ok(_) => String::from_utf8(out).unwrap_or_default(),
        Err(_) => String::new(),
    }
}

/// JSON Feed 1.1, <https://www.jsonfeed.org/version/1.1/>.
#[derive(Serialize)]
struct JsonFeed<'a> {
    version: &'static str,
    title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    home_page_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    language: &'a str,
    /// An ended blog will not be updated again.
    expired: bool,
    items: Vec<JsonItem>,
}

#[derive(Serialize)]
struct JsonItem {
    id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    title: String,
    content_html: String,
    content_text: String,
    date_published: String,
    date_modified: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    authors: Vec<JsonAuthor>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<String>,
    /// Newsdesk's extension (JSON Feed allows keys starting with `_`): the entry's id on
    /// the page, which the reader script compares with the articles it shows.
    _newsdesk: NewsdeskItem,
}

#[derive(Serialize)]
struct JsonAuthor {
    name: String,
}

#[derive(Serialize)]
struct NewsdeskItem {
    entry: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    correction: Option<String>,
}

fn rfc3339(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// `feed.json`.
pub(crate) fn json_feed(plan: &SitePlan<'_>) -> String {
    let blog = plan.blog();
    let items = plan
        .feed_entries()
        .map(|entry| {
            let item = FeedEntry::of(plan, entry);
            let updated = item.updated();
            JsonItem {
                id: item.id,
                url: item.url,
                title: item.title,
                content_html: item.html,
                content_text: item.text,
                date_published: rfc3339(entry.display_time),
                date_modified: rfc3339(updated),
                authors: entry
                    .bylines
                    .iter()
                    .filter_map(|byline| shown(&byline.name))
                    .map(|name| JsonAuthor {
                        name: name.into_owned(),
                    })
                    .collect(),
                tags: if item.correction.is_some() {
                    vec!["correction"]
                } else {
                    Vec::new()
                },
                image: match &entry.media {
                    Some(Media::Image { url, .. }) => web_url(url).map(|url| url.into_owned()),
                    _ => None,
                },
                _newsdesk: NewsdeskItem {
                    entry: entry.id.as_str().to_owned(),
                    correction: item.correction,
                },
            }
        })
        .collect();
    let feed = JsonFeed {
        version: "https://jsonfeed.org/version/1.1",
        title: feed_title(blog),
        home_page_url: page_url(blog),
        description: shown(&blog.settings.standfirst).map(|text| text.into_owned()),
        language: super::page::language_tag(&blog.settings.language),
        expired: blog.settings.status == crate::model::BlogStatus::Ended,
        items,
    };
    serde_json::to_string_pretty(&feed).unwrap_or_else(|_| "{}".into())
}
