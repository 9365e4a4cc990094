//! The bundled Hunspell dictionaries (assets/dictionaries/, with their licences) and the
//! blog's language tag that picks one. They are compiled into the binary, so a fresh
//! machine needs nothing installed and `cargo run`, tests and an installed binary agree.
//!
//! Building a dictionary takes a moment (half a second in a debug build): it is built once
//! per process and language (`load`), which the editor calls on a background thread, and
//! read without waiting (`loaded`).

use spellbook::Dictionary;
use std::sync::{Arc, OnceLock};

/// A language with a bundled dictionary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Language {
    BritishEnglish,
    AmericanEnglish,
}

impl Language {
    /// The dictionary for a blog's BCP 47 language tag ("en-GB", "en_us"), if one is bundled.
    pub fn for_tag(tag: &str) -> Option<Self> {
        let normalised = tag.trim().replace('_', "-").to_ascii_lowercase();
        match normalised.as_str() {
            "en-gb" | "en-uk" => Some(Self::BritishEnglish),
            "en-us" => Some(Self::AmericanEnglish),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::BritishEnglish => "British English",
            Self::AmericanEnglish => "American English",
        }
    }

    fn sources(self) -> (&'static str, &'static str) {
        match self {
            Self::BritishEnglish => (
                include_str!("../../assets/dictionaries/en_GB.aff"),
                include_str!("../../assets/dictionaries/en_GB.dic"),
            ),
            Self::AmericanEnglish => (
                include_str!("../../assets/dictionaries/en_US.aff"),
                include_str!("../../assets/dictionaries/en_US.dic"),
            ),
        }
    }

    fn cell(self) -> &'static OnceLock<Loaded> {
        static BRITISH: OnceLock<Loaded> = OnceLock::new();
        static AMERICAN: OnceLock<Loaded> = OnceLock::new();
        match self {
            Self::BritishEnglish => &BRITISH,
            Self::AmericanEnglish => &AMERICAN,
        }
    }
}

/// A built dictionary, or why it could not be built, in words.
pub type Loaded = Result<Arc<Dictionary>, String>;

/// The language's dictionary, building it first if no one has (this blocks).
pub fn load(language: Language) -> Loaded {
    language
        .cell()
        .get_or_init(|| {
            let (aff, dic) = language.sources();
            Dictionary::new(aff, dic).map(Arc::new).map_err(|error| {
                format!(
                    "the {} dictionary could not be read ({error})",
                    language.name()
                )
            })
        })
        .clone()
}

/// The language's dictionary if it has been built; never waits.
pub fn loaded(language: Language) -> Option<Loaded> {
    language.cell().get().cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags_pick_the_bundled_dictionaries() {
        assert_eq!(Language::for_tag("en-GB"), Some(Language::BritishEnglish));
        assert_eq!(
            Language::for_tag(" en_us "),
            Some(Language::AmericanEnglish)
        );
        assert_eq!(Language::for_tag("fr-FR"), None);
        assert_eq!(Language::for_tag(""), None);
    }

    #[test]
    fn british_and_american_spellings_differ() {
        let british = load(Language::BritishEnglish).expect("the bundled dictionary builds");
        let american = load(Language::AmericanEnglish).expect("the bundled dictionary builds");
        assert!(british.check("colour") && !british.check("color"));
        assert!(american.check("color") && !american.check("colour"));
        // The curly apostrophe is read as the straight one.
        assert!(british.check("Turkey’s") && british.check("we’ve"));
        assert!(loaded(Language::BritishEnglish).is_some());
    }
}
