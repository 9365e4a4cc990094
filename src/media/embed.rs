//! A link to a social post, turned into a static card the page can show without a
//! script or a frame.
//!
//! [`plan_embed`] says what a pasted link becomes: a YouTube or Vimeo address stays a
//! video (the page's privacy-enhanced player); X, Bluesky, TikTok and Mastodon posts are
//! fetched once from the service's oEmbed endpoint, which needs no key ([`fetch_card`]);
//! Instagram and Threads (whose oEmbed needs an app token) and anything offline become a
//! card the editor fills in by hand. The fetch keeps text only: the service's HTML is
//! cleaned by `ammonia` down to paragraphs, line breaks and links, and then to plain
//! text, so nothing it sent can reach the page as markup.

use crate::model::EmbedCard;
use std::time::Duration;

/// How long a fetch may take before the editor fills the card in by hand.
pub const FETCH_TIMEOUT: Duration = Duration::from_secs(8);

/// More than any real oEmbed answer: a larger one is not read.
const MAX_RESPONSE_BYTES: u64 = 512 * 1024;

/// The services whose posts a card can show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Service {
    X,
    Bluesky,
    Instagram,
    TikTok,
    Threads,
    Mastodon,
}

impl Service {
    /// The name readers know.
    pub fn name(self) -> &'static str {
        match self {
            Service::X => "X",
            Service::Bluesky => "Bluesky",
            Service::Instagram => "Instagram",
            Service::TikTok => "TikTok",
            Service::Threads => "Threads",
            Service::Mastodon => "Mastodon",
        }
    }

    /// The oEmbed endpoint for a post at `host`; `None` where one needs a key.
    fn oembed_endpoint(self, host: &str) -> Option<String> {
        match self {
            Service::X => Some("https://publish.twitter.com/oembed".into()),
            Service::Bluesky => Some("https://embed.bsky.app/oembed".into()),
            Service::TikTok => Some("https://www.tiktok.com/oembed".into()),
            Service::Mastodon => Some(format!("https://{host}/api/oembed")),
            Service::Instagram | Service::Threads => None,
        }
    }
}

/// What a pasted link becomes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EmbedPlan {
    /// A YouTube or Vimeo address: the page's video player.
    Video,
    /// A post whose card can be fetched from `endpoint` (oEmbed).
    Fetch { service: Service, endpoint: String },
    /// A post of a service without a keyless oEmbed: the editor fills in the card.
    ByHand(Service),
    /// Not a link to a post Newsdesk knows: a card filled in by hand, without a service.
    Unknown,
}

/// What the link `url` becomes.
pub fn plan_embed(url: &str) -> EmbedPlan {
    if crate::export::is_embeddable_video(url) {
        return EmbedPlan::Video;
    }
    let Some((host, path)) = split_web_url(url) else {
        return EmbedPlan::Unknown;
    };
    let Some(service) = recognise(&host, path) else {
        return EmbedPlan::Unknown;
    };
    match service.oembed_endpoint(&host) {
        Some(endpoint) => EmbedPlan::Fetch { service, endpoint },
        None => EmbedPlan::ByHand(service),
    }
}

/// The host (lower case, without `www.`/`mobile.`) and the path of an http(s) address.
fn split_web_url(url: &str) -> Option<(String, &str)> {
    // The export's policy judges the address; its parts are then read from the raw text.
    crate::export::url::web_url(url)?;
    let (_, rest) = url.trim().split_once("://")?;
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let host = rest[..host_end].to_ascii_lowercase();
    // A user or port before the host name is not a service's address.
    if host.contains(['@', ':']) {
        return None;
    }
    let host = host
        .strip_prefix("www.")
        .or_else(|| host.strip_prefix("mobile."))
        .or_else(|| host.strip_prefix("m."))
        .map(str::to_owned)
        .unwrap_or(host);
    let path = rest[host_end..].split(['?', '#']).next().unwrap_or("");
    Some((host, path))
}

fn recognise(host: &str, path: &str) -> Option<Service> {
    let parts: Vec<&str> = path.split('/').filter(|part| !part.is_empty()).collect();
    match host {
        "x.com" | "twitter.com" => (parts.get(1) == Some(&"status")).then_some(Service::X),
        "bsky.app" => (parts.first() == Some(&"profile") && parts.get(2) == Some(&"post"))
            .then_some(Service::Bluesky),
        "instagram.com" => {
            matches!(parts.first(), Some(&"p" | &"reel" | &"tv")).then_some(Service::Instagram)
        }
        "tiktok.com" => (parts.get(1) == Some(&"video")).then_some(Service::TikTok),
        "vm.tiktok.com" | "vt.tiktok.com" => (!parts.is_empty()).then_some(Service::TikTok),
        "threads.net" | "threads.com" => {
            (parts.get(1) == Some(&"post")).then_some(Service::Threads)
        }
        // Mastodon runs on many hosts; its posts read /@user/123456789.
        _ => (parts.len() == 2
            && parts[0].starts_with('@')
            && parts[0].len() > 1
            && parts[1].bytes().all(|b| b.is_ascii_digit()))
        .then_some(Service::Mastodon),
    }
}

/// A card for the post at `url` from its service's oEmbed endpoint: one request, off the
/// UI thread, within [`FETCH_TIMEOUT`]. An error is a sentence for the editor.
pub fn fetch_card(url: &str) -> Result<EmbedCard, String> {
    match plan_embed(url) {
        EmbedPlan::Fetch { service, endpoint } => {
            fetch_card_from(&endpoint, url, service, FETCH_TIMEOUT)
        }
        EmbedPlan::ByHand(service) => Err(format!(
            "{} does not share its posts without a key: fill in the card by hand.",
            service.name()
        )),
        EmbedPlan::Video | EmbedPlan::Unknown => {
            Err("This is not a link to a post Newsdesk can fetch: fill in the card by hand.".into())
        }
    }
}

/// The oEmbed answer's fields Newsdesk reads; the rest is ignored.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct OEmbed {
    author_name: Option<String>,
    title: Option<String>,
    html: Option<String>,
    provider_name: Option<String>,
}

/// [`fetch_card`] against a given endpoint (tests use a local server).
pub fn fetch_card_from(
    endpoint: &str,
    url: &str,
    service: Service,
    timeout: Duration,
) -> Result<EmbedCard, String> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .build()
        .into();
    let offline = |error: ureq::Error| {
        format!(
            "Could not fetch the post from {} ({error}): fill in the card by hand.",
            service.name()
        )
    };
    let mut response = agent
        .get(endpoint)
        .query("url", url.trim())
        .query("format", "json")
        // X: the blockquote without its widget script.
        .query("omit_script", "1")
        .query("dnt", "true")
        .call()
        .map_err(offline)?;
    let body = response
        .body_mut()
        .with_config()
        .limit(MAX_RESPONSE_BYTES)
        .read_to_string()
        .map_err(offline)?;
    let answer: OEmbed = serde_json::from_str(&body).map_err(|_| {
        format!(
            "{} sent something that is not a post's description: fill in the card by hand.",
            service.name()
        )
    })?;
    Ok(card_from_oembed(url, service, answer))
}

fn card_from_oembed(url: &str, service: Service, answer: OEmbed) -> EmbedCard {
    let quote = answer.html.as_deref().map(quote_parts).unwrap_or_default();
    let text = quote
        .text
        .filter(|text| !text.is_empty())
        .or_else(|| answer.title.map(|title| plain_text(&title)))
        .unwrap_or_default();
    let provider = answer
        .provider_name
        .map(|name| plain_text(&name))
        .filter(|name| !name.is_empty() && service != Service::X)
        .unwrap_or_else(|| service.name().to_owned());
    EmbedCard {
        url: url.trim().to_owned(),
        provider,
        author: answer
            .author_name
            .map(|name| plain_text(&name))
            .unwrap_or_default(),
        text,
        date: quote.date.unwrap_or_default(),
    }
}

/// The text and date of a quoted post, from the HTML X and Bluesky send:
/// `<blockquote><p>TEXT</p>— Name (@handle) <a href=…>18 February 2025</a></blockquote>`.
#[derive(Default)]
struct QuoteParts {
    text: Option<String>,
    date: Option<String>,
}

fn quote_parts(html: &str) -> QuoteParts {
    let cleaned = clean_html(html);
    let text = cleaned
        .find("<p>")
        .and_then(|start| {
            let from = start + "<p>".len();
            cleaned[from..]
                .find("</p>")
                .map(|end| &cleaned[from..from + end])
        })
        .map(markup_to_text);
    // The date is the last link after the text: "February 18, 2025".
    let after_text = cleaned.rfind("</p>").map_or("", |end| &cleaned[end..]);
    let date = after_text
        .rfind("<a>")
        .and_then(|start| {
            let from = start + "<a>".len();
            after_text[from..]
                .find("</a>")
                .map(|end| markup_to_text(&after_text[from..from + end]))
        })
        .filter(|date| date.chars().any(|c| c.is_ascii_digit()) && date.chars().count() < 60);
    QuoteParts { text, date }
}

/// The service's HTML reduced by ammonia to `p`, `br` and `a` without any attribute,
/// scripts and styles dropped with their content.
fn clean_html(html: &str) -> String {
    ammonia::Builder::empty()
        .add_tags(["p", "br", "a"])
        .generic_attributes(std::collections::HashSet::new())
        .tag_attributes(std::collections::HashMap::new())
        .link_rel(None)
        .clean(html)
        .to_string()
}

/// Plain text of `text`, which may hold markup.
fn plain_text(text: &str) -> String {
    markup_to_text(&clean_html(text))
}

/// Plain text of ammonia's output: paragraphs and line breaks become new lines, the few
/// entities its serialiser writes are read back, and the remaining (attribute-free) tags
/// go. Safe only on ammonia's output, where a `<` in the text is always `&lt;`.
fn markup_to_text(cleaned: &str) -> String {
    let with_breaks = cleaned
        .replace("<br>", "\n")
        .replace("</p>", "\n")
        .replace("<p>", "");
    let mut text = String::with_capacity(with_breaks.len());
    let mut in_tag = false;
    for c in with_breaks.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text
        .replace("&nbsp;", "\u{a0}")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    text.lines()
        .map(str::trim)
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_to_posts_are_recognised_by_service() {
        let fetch = |url: &str| match plan_embed(url) {
            EmbedPlan::Fetch { service, endpoint } => Some((service, endpoint)),
            _ => None,
        };
        assert_eq!(
            fetch("https://x.com/SkyNews/status/1891789").map(|f| f.0),
            Some(Service::X)
        );
        assert_eq!(
            fetch("https://twitter.com/SkyNews/status/1891789?s=20").map(|f| f.1),
            Some("https://publish.twitter.com/oembed".into())
        );
        assert_eq!(
            fetch("https://bsky.app/profile/skynews.bsky.social/post/3li").map(|f| f.0),
            Some(Service::Bluesky)
        );
        assert_eq!(
            fetch("https://www.tiktok.com/@skynews/video/74712").map(|f| f.0),
            Some(Service::TikTok)
        );
        assert_eq!(
            fetch("https://mastodon.social/@SkyNews/113999").map(|f| f.1),
            Some("https://mastodon.social/api/oembed".into())
        );
        assert_eq!(
            plan_embed("https://www.instagram.com/p/DGL2x/"),
            EmbedPlan::ByHand(Service::Instagram)
        );
        assert_eq!(
            plan_embed("https://www.threads.net/@skynews/post/DGL2x"),
            EmbedPlan::ByHand(Service::Threads)
        );
        assert_eq!(plan_embed("https://youtu.be/dQw4w9WgXcQ"), EmbedPlan::Video);
        assert_eq!(plan_embed("https://vimeo.com/76979871"), EmbedPlan::Video);
        for other in [
            "https://news.example/story",
            "https://x.com/SkyNews",
            "javascript:alert(1)",
            "https://user@evil.example/@a/1",
            "",
        ] {
            assert_eq!(plan_embed(other), EmbedPlan::Unknown, "{other}");
        }
    }

    #[test]
    fn a_quoted_post_becomes_plain_text_and_a_date() {
        let html = r#"<blockquote class="twitter-tweet"><p lang="en" dir="ltr">Talks in <b>Riyadh</b> &amp; "more" <script>alert(1)</script><img src=x onerror=alert(1)>soon<br>Second line <a href="https://t.co/x">pic.twitter.com/x</a></p>&mdash; Sky News (@SkyNews) <a href="https://twitter.com/SkyNews/status/1?ref_src=twsrc%5Etfw">February 18, 2025</a></blockquote><script async src="https://platform.twitter.com/widgets.js"></script>"#;
        let card = card_from_oembed(
            " https://x.com/SkyNews/status/1 ",
            Service::X,
            OEmbed {
                author_name: Some("Sky News".into()),
                title: None,
                html: Some(html.into()),
                provider_name: Some("Twitter".into()),
            },
        );
        assert_eq!(
            card.text,
            "Talks in Riyadh & \"more\" soon\nSecond line pic.twitter.com/x"
        );
        assert_eq!(card.date, "February 18, 2025");
        assert_eq!(card.author, "Sky News");
        assert_eq!(card.provider, "X");
        assert_eq!(card.url, "https://x.com/SkyNews/status/1");
        assert!(!card.text.contains("alert"));
    }

    #[test]
    fn a_caption_without_a_quote_comes_from_the_title() {
        let card = card_from_oembed(
            "https://www.tiktok.com/@skynews/video/1",
            Service::TikTok,
            OEmbed {
                author_name: Some("Sky <i>News</i>".into()),
                title: Some("Zelenskyy &amp; Trump <script>x()</script>".into()),
                html: Some(r#"<iframe src="https://evil.example"></iframe>"#.into()),
                provider_name: Some("TikTok".into()),
            },
        );
        assert_eq!(card.text, "Zelenskyy & Trump");
        assert_eq!(card.author, "Sky News");
        assert_eq!(card.provider, "TikTok");
        assert_eq!(card.date, "");
    }
}
