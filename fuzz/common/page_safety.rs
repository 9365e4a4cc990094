//! The exported page's safety invariants, checked on the page as a browser parses it.
//! Shared by the export fuzz target, the corpus replay in `tests/durability.rs` and the
//! export tests in `tests/export.rs`.

use scraper::{Html, Selector};

/// Attributes whose value a browser may follow or load.
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "poster",
    "cite",
    "background",
    "srcset",
    "data",
    "xlink:href",
    "ping",
    "manifest",
    "longdesc",
    "usemap",
    "codebase",
    "archive",
];

/// Elements that can run code, load plugins, submit data or redirect the page.
const FORBIDDEN_ELEMENTS: &[&str] = &[
    "object", "embed", "applet", "base", "form", "frame", "frameset", "svg", "math", "input",
    "button", "textarea", "video", "audio",
];

/// `Ok` when the page is safe to publish; otherwise what is wrong.
pub fn check_page(html: &str) -> Result<(), String> {
    let page = Html::parse_document(html);
    let everything = Selector::parse("*").map_err(|e| e.to_string())?;
    let mut scripts = 0;
    for element in page.select(&everything) {
        let name = element.value().name();
        if FORBIDDEN_ELEMENTS.contains(&name) {
            return Err(format!("a <{name}> element"));
        }
        if name == "script" {
            scripts += 1;
            if element.value().attr("type") != Some("application/ld+json") {
                return Err("a <script> that is not JSON-LD".into());
            }
            let json: String = element.text().collect();
            if json.contains('<') {
                return Err("a '<' inside the JSON-LD".into());
            }
            serde_json::from_str::<serde_json::Value>(&json)
                .map_err(|error| format!("JSON-LD that does not parse: {error}"))?;
        }
        if name == "iframe" {
            let src = element.value().attr("src").unwrap_or_default();
            if !(src.starts_with("https://www.youtube-nocookie.com/embed/")
                || src.starts_with("https://player.vimeo.com/video/"))
            {
                return Err(format!("an <iframe> from {src:?}"));
            }
        }
        if name == "meta"
            && let Some(equiv) = element.value().attr("http-equiv")
            && !equiv.eq_ignore_ascii_case("Content-Security-Policy")
        {
            return Err(format!("<meta http-equiv={equiv:?}>"));
        }
        for (attribute, value) in element.value().attrs() {
            let attribute = attribute.to_ascii_lowercase();
            if attribute.starts_with("on") {
                return Err(format!("<{name} {attribute}={value:?}>"));
            }
            // Inline styles would need 'unsafe-inline' in the policy; srcdoc smuggles a page.
            if attribute == "srcdoc" || attribute == "style" {
                return Err(format!("<{name} {attribute}>"));
            }
            if URL_ATTRIBUTES.contains(&attribute.as_str()) && !is_safe_address(value) {
                return Err(format!("<{name} {attribute}={value:?}>"));
            }
        }
    }
    if scripts > 1 {
        return Err(format!("{scripts} <script> elements"));
    }
    Ok(())
}

/// Browsers drop whitespace and control characters inside a scheme ("java\tscript:"), so
/// the check does too; then only web, mail and in-page addresses pass.
fn is_safe_address(value: &str) -> bool {
    let address: String = value
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    address.starts_with("https://")
        || address.starts_with("http://")
        || address.starts_with("mailto:")
        || address.starts_with('#')
}

/// Elements the body's Markdown may produce; everything else on the page comes from the
/// template alone.
const MARKDOWN_ELEMENTS: &[&str] = &[
    "p",
    "a",
    "strong",
    "em",
    "del",
    "ul",
    "ol",
    "li",
    "blockquote",
    "aside",
    "h4",
    "h5",
    "h6",
    "code",
    "pre",
    "hr",
    "br",
];

/// Attributes the Markdown writer may put on its own elements.
const MARKDOWN_ATTRIBUTES: &[&str] = &["href", "rel", "dir", "class", "title", "start"];

/// `Ok` when the user's text added nothing to the template: `plain_page` is the same
/// document with every text replaced by plain words, so any element (other than what
/// Markdown makes) or attribute that `page` has more of came from the text itself. A
/// `<style>` or `<link>` smuggled in by content shows up here too.
pub fn check_against_plain(page: &str, plain_page: &str) -> Result<(), String> {
    use std::collections::BTreeMap;
    let count = |html: &str| -> BTreeMap<(String, String), usize> {
        let parsed = Html::parse_document(html);
        let everything = Selector::parse("*").expect("a valid selector");
        let mut counts = BTreeMap::new();
        for element in parsed.select(&everything) {
            let name = element.value().name().to_owned();
            if MARKDOWN_ELEMENTS.contains(&name.as_str()) {
                for (attribute, _) in element.value().attrs() {
                    if !MARKDOWN_ATTRIBUTES.contains(&attribute) {
                        *counts
                            .entry((name.clone(), format!("unexpected {attribute}")))
                            .or_insert(0) += 1;
                    }
                }
                continue;
            }
            *counts.entry((name.clone(), String::new())).or_insert(0) += 1;
            for (attribute, _) in element.value().attrs() {
                *counts
                    .entry((name.clone(), attribute.to_owned()))
                    .or_insert(0) += 1;
            }
        }
        counts
    };
    let (found, template) = (count(page), count(plain_page));
    for (key, &n) in &found {
        let expected = template.get(key).copied().unwrap_or(0);
        if n != expected {
            let (element, attribute) = key;
            let what = if attribute.is_empty() {
                format!("<{element}>")
            } else {
                format!("<{element} {attribute}>")
            };
            return Err(format!(
                "{n} × {what} where the template alone has {expected}"
            ));
        }
    }
    Ok(())
}
