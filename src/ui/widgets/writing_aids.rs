//! The writing aids' state in the editor: the user's preferences (spellcheck, smart
//! typography, their own dictionary; kept by eframe with the other preferences, never in
//! the document), and what lives only while the editor runs: the dictionary as it loads
//! on a background thread, words ignored for the session, and the word counts' caches.

use crate::model::{ContentStamp, Entry, EntryId};
use crate::writing::counts::{BlogWordCount, WordCount, WordCounter};
use crate::writing::dictionaries::{self, Language};
use crate::writing::spelling::SpellChecker;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::time::Duration;

/// The writing aids' preferences.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct WritingPrefs {
    /// Underline misspelt words as the editor types.
    pub spellcheck: bool,
    /// Curly quotes, dashes and ellipses as the editor types.
    pub smart_typography: bool,
    /// Words the user added to the dictionary ("Add to dictionary"), for every blog.
    pub personal_dictionary: BTreeSet<String>,
}

impl Default for WritingPrefs {
    fn default() -> Self {
        Self {
            spellcheck: true,
            smart_typography: true,
            personal_dictionary: BTreeSet::new(),
        }
    }
}

/// What the user chose in the spelling menu or the writing-aids line. Applied by the app
/// after the frame, like every other `Action`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WritingChoice {
    AddToDictionary(String),
    Ignore(String),
    SetSpellcheck(bool),
    SetSmartTypography(bool),
}

/// Where spellchecking stands.
enum Speller {
    Off,
    /// The blog's language has no bundled dictionary (or it failed to build): why, in words.
    Unavailable(String),
    Loading(Language),
    Ready(Box<SpellChecker>),
}

/// The writing aids while the editor runs.
pub struct WritingAids {
    speller: Speller,
    /// Words ignored until the editor closes, kept here so a change of language keeps them.
    ignored: BTreeSet<String>,
    /// The personal dictionary as last given to the checker.
    personal: BTreeSet<String>,
    /// Build the dictionary on the UI thread instead of in the background: tests want the
    /// same screen on every run, not underlines that arrive mid-test.
    load_on_ui_thread: bool,
    entry_count: Option<(EntryId, ContentStamp, WordCount)>,
    entry_counter: WordCounter,
    pub blog_count: BlogWordCount,
}

impl Default for WritingAids {
    fn default() -> Self {
        Self {
            speller: Speller::Off,
            ignored: BTreeSet::new(),
            personal: BTreeSet::new(),
            load_on_ui_thread: false,
            entry_count: None,
            entry_counter: WordCounter::default(),
            blog_count: BlogWordCount::default(),
        }
    }
}

impl WritingAids {
    /// Dictionaries are built on the calling thread when needed (for tests).
    pub fn load_on_ui_thread(&mut self) {
        self.load_on_ui_thread = true;
    }

    /// Once a frame, before fields are drawn: follows the preferences and the blog's
    /// language, and picks up a dictionary that has finished loading.
    pub fn frame(&mut self, ctx: &egui::Context, language_tag: &str, prefs: &WritingPrefs) {
        if !prefs.spellcheck {
            self.speller = Speller::Off;
            return;
        }
        let Some(language) = Language::for_tag(language_tag) else {
            self.speller = Speller::Unavailable(format!(
                "Spellcheck is off: there is no dictionary for the blog's language “{}” \
                 (British and American English are bundled).",
                language_tag.trim()
            ));
            return;
        };
        match &mut self.speller {
            Speller::Ready(checker) if checker.language() == language => {
                if self.personal != prefs.personal_dictionary {
                    self.personal = prefs.personal_dictionary.clone();
                    checker.set_personal_words(&self.personal);
                }
                return;
            }
            Speller::Loading(loading) if *loading == language => {}
            _ => {
                self.speller = Speller::Loading(language);
                if !self.load_on_ui_thread {
                    start_loading(ctx, language);
                }
            }
        }
        let loaded = if self.load_on_ui_thread {
            Some(dictionaries::load(language))
        } else {
            dictionaries::loaded(language)
        };
        match loaded {
            Some(Ok(dictionary)) => {
                let mut checker = SpellChecker::new(language, dictionary);
                self.personal = prefs.personal_dictionary.clone();
                checker.set_personal_words(&self.personal);
                for word in &self.ignored {
                    checker.ignore(word);
                }
                self.speller = Speller::Ready(Box::new(checker));
            }
            Some(Err(problem)) => {
                self.speller = Speller::Unavailable(format!("Spellcheck is off: {problem}."));
            }
            // The loading thread asks for a frame when it is done; this is a safety net.
            None => ctx.request_repaint_after(Duration::from_millis(250)),
        }
    }

    /// The checker, once the dictionary is there and spellcheck is on.
    pub fn checker(&mut self) -> Option<&mut SpellChecker> {
        match &mut self.speller {
            Speller::Ready(checker) => Some(checker.as_mut()),
            _ => None,
        }
    }

    /// Accepts `word` until the editor closes.
    pub fn ignore(&mut self, word: &str) {
        self.ignored.insert(word.to_owned());
        if let Some(checker) = self.checker() {
            checker.ignore(word);
        }
    }

    /// A line for the editor about spellcheck: which dictionary, still loading, or why off.
    pub fn spelling_note(&self) -> Option<String> {
        match &self.speller {
            Speller::Off => None,
            Speller::Unavailable(why) => Some(why.clone()),
            Speller::Loading(language) => {
                Some(format!("Loading the {} dictionary…", language.name()))
            }
            Speller::Ready(checker) => Some(format!("Spelling: {}", checker.language().name())),
        }
    }

    /// The entry's word count, counted again only when its content changed.
    pub fn entry_count(&mut self, entry: &Entry) -> WordCount {
        let stamp = entry.content_stamp();
        match &self.entry_count {
            Some((id, counted_stamp, count)) if *id == entry.id && *counted_stamp == stamp => {
                *count
            }
            _ => {
                let count = self.entry_counter.count(entry);
                self.entry_count = Some((entry.id.clone(), stamp, count));
                count
            }
        }
    }
}

fn start_loading(ctx: &egui::Context, language: Language) {
    let ctx = ctx.clone();
    let spawned = std::thread::Builder::new()
        .name("dictionary".into())
        .spawn(move || {
            crate::background::lower_current_thread_priority();
            // The result is kept by `dictionaries` for every later caller.
            let _ = dictionaries::load(language);
            ctx.request_repaint();
        });
    if spawned.is_err() {
        // No thread to be had: build it here, once; the editor waits a moment.
        let _ = dictionaries::load(language);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dictionary_arrives_from_the_background_and_unknown_languages_say_why() {
        let ctx = egui::Context::default();
        let prefs = WritingPrefs::default();
        let mut aids = WritingAids::default();
        for _ in 0..500 {
            aids.frame(&ctx, "en-US", &prefs);
            if aids.checker().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        assert_eq!(
            aids.spelling_note().as_deref(),
            Some("Spelling: American English")
        );
        aids.frame(&ctx, "de-DE", &prefs);
        assert!(aids.checker().is_none());
        let note = aids.spelling_note().unwrap_or_default();
        assert!(note.starts_with("Spellcheck is off"), "{note}");
        let off = WritingPrefs {
            spellcheck: false,
            ..WritingPrefs::default()
        };
        aids.frame(&ctx, "en-US", &off);
        assert_eq!(aids.spelling_note(), None);
    }
}
