//! Share links: `newsdesk://HOST:PORT/ROOM#TOKEN`, the one string an editor copies to a colleague.
//!
//! The token rides in the fragment (`#...`) so that a link pasted into a browser or a proxy log never
//! sends it to a server as part of a URL. `ws://` is accepted as a synonym of `newsdesk://`;
//! `wss://` and `newsdesk+tls://` name a server behind a TLS reverse proxy. A path before the room
//! (`wss://desk.example.org/sync/ROOM#TOKEN`) is kept, for proxies that route by path.

use std::fmt;

/// Where a sync server listens, without a room: what `newsdesk share --server` takes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerAddress {
    /// Whether the server is reached through TLS (`wss://`).
    pub tls: bool,
    /// Host name or IP address (IPv6 in brackets, as in URLs).
    pub host: String,
    pub port: u16,
    /// Path before the room, without leading or trailing `/`; usually empty.
    pub prefix: String,
}

/// A room on a server and the secret that opens it.
#[derive(Clone, PartialEq, Eq)]
pub struct ShareLink {
    pub server: ServerAddress,
    pub room: String,
    pub token: String,
}

/// Why a link or server address could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct LinkError(String);

/// The port a link without one uses: the server's default.
pub const DEFAULT_PORT: u16 = 7878;

/// Room ids and tokens are short ASCII words; anything else in a link is a typo or an attack.
pub fn is_valid_room(room: &str) -> bool {
    !room.is_empty()
        && room.len() <= 64
        && room
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn is_valid_token(token: &str) -> bool {
    (16..=128).contains(&token.len())
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

impl ServerAddress {
    /// Reads `newsdesk://HOST:PORT`, `ws://HOST:PORT`, `wss://HOST[:PORT][/PREFIX]` or bare `HOST:PORT`.
    pub fn parse(text: &str) -> Result<Self, LinkError> {
        let text = text.trim();
        let (tls, rest) = split_scheme(text)?;
        Self::from_parts(tls, rest, text)
    }

    /// `rest` is what follows the scheme; `text` is the whole link, for messages.
    fn from_parts(tls: bool, rest: &str, text: &str) -> Result<Self, LinkError> {
        let rest = rest.trim_end_matches('/');
        if rest.contains('#') || rest.contains('?') {
            return Err(LinkError(format!(
                "\"{text}\" is a share link, not a server address; give only the server, such as ws://127.0.0.1:7878"
            )));
        }
        let (authority, prefix) = match rest.find('/') {
            Some(i) => (&rest[..i], rest[i + 1..].to_string()),
            None => (rest, String::new()),
        };
        let (host, port) = split_host_port(authority, tls, text)?;
        // A proxy path is a few plain segments; dot segments would let a link point elsewhere.
        let plain_segment = |segment: &str| {
            !segment.is_empty()
                && segment != "."
                && segment != ".."
                && segment
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        };
        if !prefix.is_empty() && !prefix.split('/').all(plain_segment) {
            return Err(LinkError(format!(
                "\"{text}\" has an unusable path \"/{prefix}\""
            )));
        }
        Ok(ServerAddress {
            tls,
            host,
            port,
            prefix,
        })
    }

    /// The WebSocket URL a client connects to for `room` (the room is in the path only for proxies'
    /// benefit: the server reads it from the join message).
    pub fn websocket_url(&self, room: &str) -> String {
        let scheme = if self.tls { "wss" } else { "ws" };
        let mut url = format!("{scheme}://{}:{}/", self.host, self.port);
        if !self.prefix.is_empty() {
            url.push_str(&self.prefix);
            url.push('/');
        }
        url.push_str(room);
        url
    }
}

impl fmt::Display for ServerAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scheme = if self.tls { "newsdesk+tls" } else { "newsdesk" };
        write!(f, "{scheme}://{}:{}", self.host, self.port)?;
        if !self.prefix.is_empty() {
            write!(f, "/{}", self.prefix)?;
        }
        Ok(())
    }
}

fn split_scheme(text: &str) -> Result<(bool, &str), LinkError> {
    let lower = text.to_ascii_lowercase();
    for (scheme, tls) in [
        ("newsdesk+tls://", true),
        ("newsdesk://", false),
        ("wss://", true),
        ("ws://", false),
    ] {
        if lower.starts_with(scheme) {
            return Ok((tls, &text[scheme.len()..]));
        }
    }
    if lower.contains("://") {
        return Err(LinkError(format!(
            "\"{text}\" is not a Newsdesk link: it should start with newsdesk://, ws://, wss:// or newsdesk+tls://"
        )));
    }
    Ok((false, text))
}

fn split_host_port(authority: &str, tls: bool, whole: &str) -> Result<(String, u16), LinkError> {
    let missing_host = || LinkError(format!("\"{whole}\" names no server host"));
    let (host, port_text) = if let Some(rest) = authority.strip_prefix('[') {
        // IPv6 literal: [::1]:7878
        let end = rest.find(']').ok_or_else(|| {
            LinkError(format!(
                "\"{whole}\" has an IPv6 address without its closing ]"
            ))
        })?;
        let host = format!("[{}]", &rest[..end]);
        let after = &rest[end + 1..];
        match after.strip_prefix(':') {
            Some(port) => (host, Some(port)),
            None if after.is_empty() => (host, None),
            None => {
                return Err(LinkError(format!(
                    "\"{whole}\" has text after its IPv6 address"
                )));
            }
        }
    } else {
        match authority.rsplit_once(':') {
            Some((host, port)) => (host.to_string(), Some(port)),
            None => (authority.to_string(), None),
        }
    };
    if host.is_empty() || host == "[]" {
        return Err(missing_host());
    }
    if host.contains(['@', ' ', '/', '\\']) {
        return Err(LinkError(format!(
            "\"{whole}\" has an unusable host name \"{host}\""
        )));
    }
    let port = match port_text {
        Some(text) => text
            .parse::<u16>()
            .ok()
            .filter(|&p| p != 0)
            .ok_or_else(|| LinkError(format!("\"{whole}\" has no usable port: \"{text}\"")))?,
        None if tls => 443,
        None => DEFAULT_PORT,
    };
    Ok((host, port))
}

impl ShareLink {
    /// Reads `newsdesk://HOST:PORT/ROOM#TOKEN` (or the same with `ws://`, `wss://`, `newsdesk+tls://`).
    pub fn parse(text: &str) -> Result<Self, LinkError> {
        let text = text.trim();
        let (before, token) = text.split_once('#').ok_or_else(|| {
            LinkError(format!(
                "\"{text}\" has no token: a share link ends with #TOKEN, as printed by newsdesk share"
            ))
        })?;
        let (tls, rest) = split_scheme(before)?;
        let rest = rest.trim_end_matches('/');
        let (server_part, room) = rest.rsplit_once('/').ok_or_else(|| {
            LinkError(format!(
                "\"{text}\" names no room: a share link looks like newsdesk://HOST:PORT/ROOM#TOKEN"
            ))
        })?;
        if !is_valid_room(room) {
            return Err(LinkError(format!(
                "\"{text}\" has an unusable room name \"{room}\" (lower-case letters, digits and - only)"
            )));
        }
        if !is_valid_token(token) {
            return Err(LinkError(format!(
                "\"{text}\" has an unusable token: it may have been cut short when copied"
            )));
        }
        let server = ServerAddress::from_parts(tls, server_part, text)?;
        Ok(ShareLink {
            server,
            room: room.to_string(),
            token: token.to_string(),
        })
    }
}

impl fmt::Display for ShareLink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}#{}", self.server, self.room, self.token)
    }
}

/// Debug output leaves the token out, so a link in a log or panic message does not leak the secret.
impl fmt::Debug for ShareLink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}#…", self.server, self.room)
    }
}

impl std::str::FromStr for ShareLink {
    type Err = LinkError;
    fn from_str(s: &str) -> Result<Self, LinkError> {
        ShareLink::parse(s)
    }
}

impl std::str::FromStr for ServerAddress {
    type Err = LinkError;
    fn from_str(s: &str) -> Result<Self, LinkError> {
        ServerAddress::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "abcdefghijklmnopqrstuvwxyz0_-A";

    #[test]
    fn round_trips_the_plain_form() {
        let text = format!("newsdesk://127.0.0.1:43123/0a1b2c#{TOKEN}");
        let link = ShareLink::parse(&text).unwrap();
        assert_eq!(link.server.host, "127.0.0.1");
        assert_eq!(link.server.port, 43123);
        assert!(!link.server.tls);
        assert_eq!(link.room, "0a1b2c");
        assert_eq!(link.token, TOKEN);
        assert_eq!(link.to_string(), text);
        assert_eq!(
            link.server.websocket_url(&link.room),
            "ws://127.0.0.1:43123/0a1b2c"
        );
    }

    #[test]
    fn accepts_ws_and_tls_forms() {
        let ws = ShareLink::parse(&format!("ws://desk.local:9000/room-1#{TOKEN}")).unwrap();
        assert_eq!(
            ws.to_string(),
            format!("newsdesk://desk.local:9000/room-1#{TOKEN}")
        );
        let wss = ShareLink::parse(&format!("wss://desk.example.org/sync/room-1#{TOKEN}")).unwrap();
        assert!(wss.server.tls);
        assert_eq!(wss.server.port, 443);
        assert_eq!(wss.server.prefix, "sync");
        assert_eq!(
            wss.server.websocket_url("room-1"),
            "wss://desk.example.org:443/sync/room-1"
        );
        let again = ShareLink::parse(&wss.to_string()).unwrap();
        assert_eq!(again, wss);
        let ipv6 = ShareLink::parse(&format!("newsdesk://[::1]:7000/r#{TOKEN}")).unwrap();
        assert_eq!(ipv6.server.host, "[::1]");
        assert_eq!(ipv6.server.port, 7000);
    }

    #[test]
    fn refuses_broken_links_with_a_reason() {
        let cases = [
            ("newsdesk://127.0.0.1:7000/room", "no token"),
            (
                &format!("newsdesk://127.0.0.1:7000#{TOKEN}") as &str,
                "names no room",
            ),
            (
                &format!("http://127.0.0.1:7000/r#{TOKEN}"),
                "not a Newsdesk link",
            ),
            (
                &format!("newsdesk://127.0.0.1:0/r#{TOKEN}"),
                "no usable port",
            ),
            (
                &format!("newsdesk://127.0.0.1:99999/r#{TOKEN}"),
                "no usable port",
            ),
            (
                &format!("newsdesk://127.0.0.1:7000/../etc#{TOKEN}"),
                "unusable path",
            ),
            (
                &format!("newsdesk://127.0.0.1:7000/Etc#{TOKEN}"),
                "unusable room",
            ),
            ("newsdesk://127.0.0.1:7000/r#short", "unusable token"),
            (&format!("newsdesk://:7000/r#{TOKEN}"), "no server host"),
            (&format!("newsdesk://[::1/r#{TOKEN}"), "closing ]"),
        ];
        for (text, expected) in cases {
            let error = ShareLink::parse(text).unwrap_err().to_string();
            assert!(error.contains(expected), "{text}: {error}");
        }
    }

    #[test]
    fn server_addresses() {
        let bare = ServerAddress::parse("127.0.0.1:7000").unwrap();
        assert_eq!(bare.to_string(), "newsdesk://127.0.0.1:7000");
        assert_eq!(
            ServerAddress::parse("ws://localhost").unwrap().port,
            DEFAULT_PORT
        );
        assert!(ServerAddress::parse(&format!("ws://h:1/r#{TOKEN}")).is_err());
    }

    #[test]
    fn debug_hides_the_token() {
        let link = ShareLink::parse(&format!("newsdesk://h:1/r#{TOKEN}")).unwrap();
        assert!(!format!("{link:?}").contains(TOKEN));
    }
}
