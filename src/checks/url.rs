//! Which addresses may be published. The same rules as the export (`export/url.rs`):
//! only `http:`, `https:` and `mailto:` leave the page; the export drops anything else,
//! so the check says so before a reader finds a dead link.

/// Browsers ignore leading and trailing spaces and controls in a URL; so do we, before
/// judging the scheme, so that " javascript:" cannot pass for something else.
fn trim_url(raw: &str) -> &str {
    raw.trim_matches(|c: char| c <= ' ' || c.is_whitespace())
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// An `http:` or `https:` address with a host: for pictures, videos, the canonical address.
pub(super) fn is_web_url(raw: &str) -> bool {
    let url = trim_url(raw);
    match strip_prefix_ignore_case(url, "https://")
        .or_else(|| strip_prefix_ignore_case(url, "http://"))
    {
        Some(rest) => !rest.is_empty() && !rest.starts_with(['/', '?', '#', '\\']),
        None => false,
    }
}

/// A link a reader may follow out of the page: a web address or an e-mail address.
pub(super) fn is_outbound_url(raw: &str) -> bool {
    let url = trim_url(raw);
    match strip_prefix_ignore_case(url, "mailto:") {
        Some(address) => !address.trim().is_empty(),
        None => is_web_url(url),
    }
}

/// The id a link to another post names: `#post-0932` gives `post-0932`.
pub(super) fn post_anchor(raw: &str) -> Option<&str> {
    trim_url(raw).strip_prefix('#')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_and_mail_addresses_pass() {
        for bad in [
            "javascript:alert(1)",
            " JavaScript:alert(1)",
            "\u{1}javascript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "/relative/path",
            "//evil.example/x",
            "https://",
            "http:///x",
            "mailto:",
            "ftp://files.example",
            "",
        ] {
            assert!(!is_outbound_url(bad), "{bad:?} accepted");
        }
        assert!(is_outbound_url(" https://news.example/a?b=1 "));
        assert!(is_outbound_url("mailto:desk@news.example"));
        assert!(!is_web_url("mailto:desk@news.example"));
        assert!(is_web_url("HTTP://news.example"));
    }
}
