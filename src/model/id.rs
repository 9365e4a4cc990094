//! Entry ids: stable, and safe as an HTML id, a URL fragment and a file name as they are.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A stable entry id, also the entry's anchor in the published page.
///
/// Restricted to ASCII letters, digits, `-` and `_`, starting with a letter, so that it
/// is safe in an HTML id, a URL fragment and a file without escaping.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntryId(String);

pub const MAX_ID_LEN: usize = 64;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "\"{0}\" is not a valid entry id: use 1 to 64 letters, digits, '-' or '_', starting with a letter"
)]
pub struct InvalidEntryId(pub String);

impl EntryId {
    pub fn new(text: impl Into<String>) -> Result<Self, InvalidEntryId> {
        let text = text.into();
        if Self::is_valid(&text) {
            Ok(Self(text))
        } else {
            Err(InvalidEntryId(text))
        }
    }

    pub fn is_valid(text: &str) -> bool {
        let mut chars = text.chars();
        matches!(chars.next(), Some(c) if c.is_ascii_alphabetic())
            && text.len() <= MAX_ID_LEN
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EntryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for EntryId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for EntryId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        EntryId::new(text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_must_be_safe_anchors() {
        assert!(EntryId::new("post-0932").is_ok());
        assert!(EntryId::new("a").is_ok());
        for bad in ["", "9am", "a b", "x\"y", "<script>", "é", &"a".repeat(65)] {
            assert!(EntryId::new(bad).is_err(), "{bad:?} accepted");
        }
    }
}
