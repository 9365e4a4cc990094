//! YouTube and Vimeo addresses as privacy-enhanced embeds.
//!
//! Only a video id is taken from what the editor pasted; the embed address is built
//! from it, so nothing else in the pasted URL reaches the iframe.

/// A video the page can embed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum VideoEmbed<'a> {
    YouTube(&'a str),
    Vimeo(&'a str),
}

pub(crate) const YOUTUBE_ORIGIN: &str = "https://www.youtube-nocookie.com";
pub(crate) const VIMEO_ORIGIN: &str = "https://player.vimeo.com";

impl VideoEmbed<'_> {
    /// The player's address: YouTube's no-cookie domain, Vimeo with Do Not Track.
    pub(crate) fn player_url(&self) -> String {
        match self {
            VideoEmbed::YouTube(id) => format!("{YOUTUBE_ORIGIN}/embed/{id}"),
            VideoEmbed::Vimeo(id) => format!("{VIMEO_ORIGIN}/video/{id}?dnt=1"),
        }
    }

    /// The video's own page, for readers who prefer it and for print.
    pub(crate) fn watch_url(&self) -> String {
        match self {
            VideoEmbed::YouTube(id) => format!("https://www.youtube.com/watch?v={id}"),
            VideoEmbed::Vimeo(id) => format!("https://vimeo.com/{id}"),
        }
    }

    /// "YouTube" or "Vimeo", for the link under the player.
    pub(crate) fn service(&self) -> &'static str {
        match self {
            VideoEmbed::YouTube(_) => "YouTube",
            VideoEmbed::Vimeo(_) => "Vimeo",
        }
    }
}

/// The embed for a YouTube or Vimeo page or player address; `None` for anything else.
pub(crate) fn recognise(url: &str) -> Option<VideoEmbed<'_>> {
    let url = url.trim();
    let rest = ["https://", "http://"].iter().find_map(|scheme| {
        url.get(..scheme.len())
            .filter(|head| head.eq_ignore_ascii_case(scheme))
            .map(|_| &url[scheme.len()..])
    })?;
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let host = rest[..host_end].to_ascii_lowercase();
    let host = host
        .strip_prefix("www.")
        .or_else(|| host.strip_prefix("m."))
        .unwrap_or(&host);
    let after_host = &rest[host_end..];
    let (path, query) = match after_host.split_once('?') {
        Some((path, query)) => (path, query.split('#').next().unwrap_or("")),
        None => (after_host.split('#').next().unwrap_or(""), ""),
    };
    let mut segments = path.split('/').filter(|segment| !segment.is_empty());
    match host {
        "youtube.com" | "youtube-nocookie.com" | "music.youtube.com" => {
            let id = match segments.next()? {
                "watch" => query.split('&').find_map(|pair| pair.strip_prefix("v="))?,
                "embed" | "shorts" | "live" | "v" => segments.next()?,
                _ => return None,
            };
            youtube_id(id).map(VideoEmbed::YouTube)
        }
        "youtu.be" => youtube_id(segments.next()?).map(VideoEmbed::YouTube),
        "vimeo.com" | "player.vimeo.com" => segments
            .find(|segment| is_vimeo_id(segment))
            .map(VideoEmbed::Vimeo),
        _ => None,
    }
}

fn youtube_id(id: &str) -> Option<&str> {
    let valid = !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    valid.then_some(id)
}

fn is_vimeo_id(segment: &str) -> bool {
    !segment.is_empty() && segment.len() <= 20 && segment.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn youtube_and_vimeo_addresses_become_private_players() {
        for (url, player) in [
            (
                "https://www.youtube.com/watch?v=2pGm1bhSsjQ",
                "https://www.youtube-nocookie.com/embed/2pGm1bhSsjQ",
            ),
            (
                "https://youtu.be/2pGm1bhSsjQ?t=30",
                "https://www.youtube-nocookie.com/embed/2pGm1bhSsjQ",
            ),
            (
                "https://m.youtube.com/watch?feature=share&v=abc_DEF-123#t=1",
                "https://www.youtube-nocookie.com/embed/abc_DEF-123",
            ),
            (
                "HTTPS://WWW.YOUTUBE.COM/shorts/xyz",
                "https://www.youtube-nocookie.com/embed/xyz",
            ),
            (
                "https://vimeo.com/76979871",
                "https://player.vimeo.com/video/76979871?dnt=1",
            ),
            (
                "https://player.vimeo.com/video/76979871?autoplay=1",
                "https://player.vimeo.com/video/76979871?dnt=1",
            ),
        ] {
            assert_eq!(
                recognise(url).map(|embed| embed.player_url()).as_deref(),
                Some(player),
                "{url}"
            );
        }
    }

    #[test]
    fn other_and_hostile_addresses_are_not_embedded() {
        for url in [
            "https://example.com/watch?v=abc",
            "https://www.youtube.com/watch?v=\"><script>",
            "https://www.youtube.com/watch?list=abc",
            "https://www.youtube.com.evil.example/watch?v=abc",
            "javascript://www.youtube.com/watch?v=abc",
            "https://vimeo.com/channels/staffpicks",
            "",
        ] {
            assert_eq!(recognise(url), None, "{url}");
        }
    }
}
