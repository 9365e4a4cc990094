//! The list of published files and a hash of each, kept beside the site as
//! `.newsdesk-publish.json`: a publish writes only files whose bytes changed, and removes
//! only files it published itself.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub(crate) const MANIFEST_FILE: &str = ".newsdesk-publish.json";

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Manifest {
    /// File name to the BLAKE3 hash of its bytes, hex.
    pub files: BTreeMap<String, String>,
}

impl Manifest {
    /// A manifest from its bytes; anything unreadable counts as none (every file is then
    /// written again, which is safe).
    pub fn parse(bytes: &[u8]) -> Self {
        serde_json::from_slice(bytes).unwrap_or_default()
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec_pretty(self).unwrap_or_default()
    }

    pub fn hash(bytes: &[u8]) -> String {
        blake3::hash(bytes).to_hex().to_string()
    }
}

/// Whether `name` is a file a publish writes, and so may remove when it is no longer
/// part of the site: nothing else in a shared folder or bucket is ever touched.
pub(crate) fn is_site_file(name: &str) -> bool {
    matches!(name, "index.html" | "feed.atom" | "feed.json")
        || name
            .strip_prefix("page-")
            .and_then(|rest| rest.strip_suffix(".html"))
            .is_some_and(|number| !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()))
}

/// The media type and cache lifetime a host should serve a file with. Short lifetimes:
/// a live page changes by the minute.
pub(crate) fn content_type(name: &str) -> &'static str {
    if name.ends_with(".atom") {
        "application/atom+xml; charset=utf-8"
    } else if name.ends_with(".json") {
        "application/feed+json; charset=utf-8"
    } else if name.ends_with(".jpg") || name.ends_with(".jpeg") {
        "image/jpeg"
    } else if name.ends_with(".png") {
        "image/png"
    } else if name.ends_with(".gif") {
        "image/gif"
    } else if name.ends_with(".webp") {
        "image/webp"
    } else {
        "text/html; charset=utf-8"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_site_files_may_be_removed() {
        for name in [
            "index.html",
            "page-2.html",
            "page-130.html",
            "feed.json",
            "feed.atom",
        ] {
            assert!(is_site_file(name), "{name}");
        }
        for name in [
            "page-.html",
            "page-2.htm",
            "about.html",
            "../index.html",
            "page-x.html",
        ] {
            assert!(!is_site_file(name), "{name}");
        }
    }
}
