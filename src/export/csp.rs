//! The page's Content-Security-Policy: everything is refused except what the page uses.
//!
//! The stylesheet is allowed by its SHA-256 hash, pictures only when the page has some,
//! and frames only from the video players it actually embeds. No script runs: the
//! JSON-LD block is data, which browsers never execute.

use super::video::{VIMEO_ORIGIN, VideoEmbed, YOUTUBE_ORIGIN};
use base64::Engine;
use sha2::{Digest, Sha256};
use std::sync::LazyLock;

/// The page's stylesheet, inlined so the file stands alone.
pub(crate) const STYLESHEET: &str = include_str!("../../assets/export/page.css");

/// The published first page's optional reader script (new-post notices), inlined and
/// allowed by its hash: no other script may run.
pub(crate) const READER_SCRIPT: &str = include_str!("../../assets/export/reader.js");

/// `'sha256-…'` of [`STYLESHEET`], computed once.
static STYLE_SOURCE: LazyLock<String> = LazyLock::new(|| hash_source(STYLESHEET));
/// `'sha256-…'` of [`READER_SCRIPT`].
static SCRIPT_SOURCE: LazyLock<String> = LazyLock::new(|| hash_source(READER_SCRIPT));

fn hash_source(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// What the published entries need from outside the file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct PageNeeds {
    pub images: bool,
    /// Pictures from the media folder beside the page (same origin).
    pub local_images: bool,
    pub youtube: bool,
    pub vimeo: bool,
    /// The reader script runs, and may read the feed beside the page.
    pub reader_script: bool,
}

impl PageNeeds {
    pub(crate) fn add_video(&mut self, embed: &VideoEmbed<'_>) {
        match embed {
            VideoEmbed::YouTube(_) => self.youtube = true,
            VideoEmbed::Vimeo(_) => self.vimeo = true,
        }
    }
}

pub(crate) fn content_security_policy(needs: PageNeeds) -> String {
    let script = if needs.reader_script {
        SCRIPT_SOURCE.as_str()
    } else {
        "'none'"
    };
    let mut policy = format!(
        "default-src 'none'; script-src {script}; style-src {}; ",
        *STYLE_SOURCE
    );
    if needs.reader_script {
        policy.push_str("connect-src 'self'; ");
    }
    match (needs.local_images, needs.images) {
        (true, true) => policy.push_str("img-src 'self' https: http:; "),
        (true, false) => policy.push_str("img-src 'self'; "),
        (false, true) => policy.push_str("img-src https: http:; "),
        (false, false) => {}
    }
    if needs.youtube || needs.vimeo {
        policy.push_str("frame-src");
        if needs.youtube {
            policy.push(' ');
            policy.push_str(YOUTUBE_ORIGIN);
        }
        if needs.vimeo {
            policy.push(' ');
            policy.push_str(VIMEO_ORIGIN);
        }
        policy.push_str("; ");
    }
    policy.push_str("base-uri 'none'; form-action 'none'");
    policy
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_allows_only_what_is_used() {
        let bare = content_security_policy(PageNeeds::default());
        assert!(bare.starts_with("default-src 'none'; script-src 'none'; style-src 'sha256-"));
        assert!(!bare.contains("img-src") && !bare.contains("frame-src"));
        assert!(!bare.contains("unsafe"));
        let full = content_security_policy(PageNeeds {
            images: true,
            local_images: false,
            youtube: true,
            vimeo: false,
            reader_script: false,
        });
        assert!(full.contains("img-src https: http:;"));
        assert!(full.contains("frame-src https://www.youtube-nocookie.com;"));
        assert!(!full.contains("vimeo"));
        let scripted = content_security_policy(PageNeeds {
            reader_script: true,
            ..PageNeeds::default()
        });
        assert!(scripted.contains("script-src 'sha256-"), "{scripted}");
        assert!(scripted.contains("connect-src 'self';"));
        assert!(!scripted.contains("unsafe"));
        let local = content_security_policy(PageNeeds {
            local_images: true,
            ..PageNeeds::default()
        });
        assert!(local.contains("img-src 'self';"), "{local}");
    }
}
