//! Which URLs the published page may contain, and in what form.
//!
//! Only `http:`, `https:` and `mailto:` leave the page; everything else (`javascript:`,
//! `data:`, `vbscript:`, relative paths, typos, a host with spaces in it) is refused and
//! the caller shows plain text instead. Accepted URLs are percent-encoded wherever the URL
//! standard does not allow the raw character (spaces, quotes, `[ ] | ^ { }`, backtick, a
//! stray `%`), so the attribute is valid whatever the editor typed.
//!
//! One relative form is allowed, for pictures only: a file in the media folder beside the
//! document, `NAME.media/FILE.jpg` ([`local_media_path`]). It is exactly two parts, the
//! folder's name ending in `.media` and an image file name: never `..`, an absolute path,
//! a scheme or a query, so a document cannot make the page (or a publish) reach for any
//! other file.

use std::borrow::Cow;

/// An `http:` or `https:` URL: for images, embeds, the canonical address.
pub(crate) fn web_url(raw: &str) -> Option<Cow<'_, str>> {
    let url = trim_url(raw);
    let rest = strip_prefix_ignore_case(url, "https://")
        .or_else(|| strip_prefix_ignore_case(url, "http://"))?;
    // "https://" alone, or with no host before the path, goes nowhere.
    if rest.is_empty() || rest.starts_with(['/', '?', '#', '\\']) {
        return None;
    }
    let host = &rest[..rest.find(['/', '?', '#', '\\']).unwrap_or(rest.len())];
    if !host.chars().all(allowed_in_authority) {
        return None;
    }
    Some(encode(
        url,
        url.len() - rest.len()..url.len() - rest.len() + host.len(),
    ))
}

/// Image files the media folder holds, by extension.
pub const MEDIA_EXTENSIONS: [&str; 5] = ["jpg", "jpeg", "png", "gif", "webp"];

/// A picture in the media folder beside the document (`blog.media/3f9a0c.jpg`), as the
/// page's relative `src`, percent-encoded; `None` for anything else.
pub fn local_media_path(raw: &str) -> Option<Cow<'_, str>> {
    local_media_file(raw).map(|path| encode(path, 0..0))
}

/// The file a local picture names, relative to the document's (and the page's) folder,
/// as it is on disk: `raw` without surrounding spaces, when the policy allows it.
pub fn local_media_file(raw: &str) -> Option<&str> {
    let path = trim_url(raw);
    let (folder, file) = path.split_once('/')?;
    let stem_of_folder = folder.strip_suffix(".media")?;
    let (stem, extension) = file.rsplit_once('.')?;
    let plain_part = |part: &str| {
        !part.is_empty()
            && !part.starts_with('.')
            && part
                .chars()
                .all(|c| !c.is_control() && !matches!(c, '/' | '\\' | ':' | '?' | '#' | '%'))
    };
    let known_extension = MEDIA_EXTENSIONS
        .iter()
        .any(|known| known.eq_ignore_ascii_case(extension));
    (plain_part(stem_of_folder) && plain_part(stem) && plain_part(file) && known_extension)
        .then_some(path)
}

/// A link a reader may follow out of the page: web addresses and e-mail.
pub(crate) fn outbound_url(raw: &str) -> Option<Cow<'_, str>> {
    let url = trim_url(raw);
    match strip_prefix_ignore_case(url, "mailto:") {
        Some(address) if !address.trim().is_empty() => Some(encode(url, 0..0)),
        Some(_) => None,
        None => web_url(url),
    }
}

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

/// What may stand in the part before the path (user, host, port): the standard's host and
/// userinfo characters, IPv6 brackets and any non-ASCII letter (percent-encoded below).
/// Anything else (a space, `<`, `|`) makes no valid host, so the URL is refused.
fn allowed_in_authority(c: char) -> bool {
    c.is_ascii_alphanumeric() || !c.is_ascii() || "-._~!$&'()*+,;=:@[]%".contains(c)
}

/// Percent-encodes what may not appear raw in a URL attribute: controls, spaces,
/// non-ASCII, quotes and brackets (but IPv6 brackets in `host`, a byte range), a `%`
/// that starts no escape, and any `#` after the first.
fn encode(url: &str, host: std::ops::Range<usize>) -> Cow<'_, str> {
    let bytes = url.as_bytes();
    let needs = |index: usize, byte: u8, seen_hash: &mut bool| -> bool {
        match byte {
            b'[' | b']' => !host.contains(&index),
            b'#' if !*seen_hash => {
                *seen_hash = true;
                false
            }
            b'#' => true,
            b'%' => !(is_hex(bytes.get(index + 1)) && is_hex(bytes.get(index + 2))),
            b'"' | b'<' | b'>' | b'\\' | b'^' | b'`' | b'{' | b'|' | b'}' | b'\'' => true,
            _ => byte <= b' ' || byte >= 0x7f,
        }
    };
    let first = {
        let mut probe_hash = false;
        bytes
            .iter()
            .enumerate()
            .position(|(index, &byte)| needs(index, byte, &mut probe_hash))
    };
    let Some(first) = first else {
        return Cow::Borrowed(url);
    };
    let mut encoded = String::with_capacity(url.len() + 16);
    encoded.push_str(&url[..first]);
    let mut seen_hash = url[..first].contains('#');
    for (index, &byte) in bytes.iter().enumerate().skip(first) {
        if needs(index, byte, &mut seen_hash) {
            encoded.push('%');
            encoded.push(hex_digit(byte >> 4));
            encoded.push(hex_digit(byte & 0xf));
        } else {
            encoded.push(char::from(byte));
        }
    }
    Cow::Owned(encoded)
}

fn is_hex(byte: Option<&u8>) -> bool {
    byte.is_some_and(u8::is_ascii_hexdigit)
}

fn hex_digit(nibble: u8) -> char {
    char::from(b"0123456789ABCDEF"[usize::from(nibble & 0xf)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_picture_in_the_media_folder_is_a_local_path() {
        assert_eq!(
            local_media_path("blog.media/3f9a0c.jpg").as_deref(),
            Some("blog.media/3f9a0c.jpg")
        );
        assert_eq!(
            local_media_path("my blog.media/a b.PNG").as_deref(),
            Some("my%20blog.media/a%20b.PNG")
        );
        for refused in [
            "../blog.media/a.jpg",
            "blog.media/../secret.jpg",
            "blog.media/..",
            "/etc/blog.media/a.jpg",
            "/blog.media/a.jpg",
            "blog.media//a.jpg",
            "blog.media/sub/a.jpg",
            "blog.media/a.ron",
            "blog.media/.jpg",
            "blog/a.jpg",
            ".media/a.jpg",
            "C:\\blog.media\\a.jpg",
            "blog.media\\a.jpg",
            "file:blog.media/a.jpg",
            "https://x.media/a.jpg",
            "javascript:x.media/a.jpg",
            "blog.media/a.jpg?x=1",
            "blog.media/a.jpg#x",
            "blog.media/%2e%2e.jpg",
            "blog.media/a\u{0}.jpg",
            "",
        ] {
            assert_eq!(local_media_path(refused), None, "{refused:?} accepted");
        }
    }

    #[test]
    fn only_web_and_mail_schemes_leave_the_page() {
        for bad in [
            "javascript:alert(1)",
            " JavaScript:alert(1)",
            "\u{1}javascript:alert(1)",
            "java\tscript:alert(1)",
            "vbscript:msgbox(1)",
            "data:text/html,<script>alert(1)</script>",
            "/relative/path",
            "//evil.example/x",
            "https://",
            "http:///x",
            "mailto:",
            "ftp://files.example",
        ] {
            assert_eq!(outbound_url(bad), None, "{bad:?} accepted");
        }
        assert_eq!(
            outbound_url(" https://news.example/a?b=1&c=2 ").as_deref(),
            Some("https://news.example/a?b=1&c=2")
        );
        assert_eq!(
            outbound_url("MAILTO:desk@news.example").as_deref(),
            Some("MAILTO:desk@news.example")
        );
        assert_eq!(web_url("mailto:desk@news.example"), None);
    }

    #[test]
    fn hosts_that_cannot_be_are_refused_and_ipv6_brackets_kept() {
        assert_eq!(web_url("https://ex ample.com/"), None);
        assert_eq!(web_url("https://a|b.example/"), None);
        assert_eq!(
            web_url("http://[::1]:8080/a[1]").as_deref(),
            Some("http://[::1]:8080/a%5B1%5D")
        );
    }

    #[test]
    fn awkward_characters_are_percent_encoded() {
        assert_eq!(
            web_url("https://x.example/a b\"<c>#top#again").as_deref(),
            Some("https://x.example/a%20b%22%3Cc%3E#top%23again")
        );
        assert_eq!(
            web_url("https://x.example/100%/ok%20").as_deref(),
            Some("https://x.example/100%25/ok%20")
        );
        assert_eq!(
            web_url("https://bücher.example/").as_deref(),
            Some("https://b%C3%BCcher.example/")
        );
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    /// The URL standard's "valid URL string" for what we write: a scheme, an authority of
    /// host characters (brackets only there), then only URL code points or `%XX` escapes,
    /// and at most one `#`.
    fn is_valid_url(url: &str) -> bool {
        let Some(rest) = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
            .or_else(|| {
                url.get(..7)
                    .filter(|s| s.eq_ignore_ascii_case("mailto:"))
                    .map(|_| &url[7..])
            })
        else {
            return false;
        };
        let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let (authority, tail) = rest.split_at(authority_end);
        let code_point = |c: char| c.is_ascii_alphanumeric() || "!$&'()*+,-./:;=?@_~".contains(c);
        let escapes_ok = |part: &str| {
            let bytes = part.as_bytes();
            bytes.iter().enumerate().all(|(i, &b)| {
                b != b'%'
                    || (bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                        && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
            })
        };
        authority
            .chars()
            .all(|c| code_point(c) || c == '%' || c == '[' || c == ']')
            && escapes_ok(authority)
            && tail.chars().all(|c| code_point(c) || c == '%' || c == '#')
            && escapes_ok(tail)
            && tail.matches('#').count() <= 1
    }

    proptest! {
        #[test]
        fn every_written_url_is_valid(path in "\\PC*", host in "[a-z0-9.-]{1,12}") {
            for raw in [
                format!("https://{host}.example/{path}"),
                format!("http://{host}.example?{path}"),
                format!("https://news.example/#{path}"),
                format!("mailto:{host}@{path}"),
            ] {
                if let Some(written) = outbound_url(&raw) {
                    prop_assert!(is_valid_url(&written), "{raw:?} written as {written:?}");
                }
            }
        }

        #[test]
        fn anything_accepted_is_written_validly(raw in "\\PC*") {
            if let Some(written) = outbound_url(&raw) {
                prop_assert!(is_valid_url(&written), "{raw:?} written as {written:?}");
            }
        }
    }
}
