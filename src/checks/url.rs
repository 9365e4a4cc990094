//! Which addresses may be published: the export's own rules (`export/url.rs`), so the
//! check says what the export will drop before a reader finds a dead link.

/// An `http:` or `https:` address with a host: for pictures, videos, the canonical address.
pub(super) fn is_web_url(raw: &str) -> bool {
    crate::export::url::web_url(raw).is_some()
}

/// A picture in the blog's media folder (`blog.media/3f9a….jpg`), which the export
/// writes beside the page.
pub(super) fn is_local_media(raw: &str) -> bool {
    crate::export::url::local_media_file(raw).is_some()
}

/// A link a reader may follow out of the page: a web address or an e-mail address.
pub(super) fn is_outbound_url(raw: &str) -> bool {
    crate::export::url::outbound_url(raw).is_some()
}

/// The id a link to another post names: `#post-0932` gives `post-0932`.
pub(super) fn post_anchor(raw: &str) -> Option<&str> {
    raw.trim_matches(|c: char| c <= ' ' || c.is_whitespace())
        .strip_prefix('#')
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
