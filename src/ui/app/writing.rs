//! The writing aids in the shell: each frame the dictionary for the blog's language and
//! the published blog's word count are kept current; spelling-menu choices and the
//! writing-aids switches are carried out here.

use super::NewsdeskApp;
use crate::ui::widgets::writing_aids::WritingChoice;
use crate::writing::counts::Revisions;
use crate::writing::words::strip_possessive;
use std::time::Duration;

impl NewsdeskApp {
    pub(super) fn writing_frame(&mut self, ctx: &egui::Context) {
        let language = self.doc.blog().settings.language.clone();
        self.writing.frame(ctx, &language, &self.state.writing);
        if self.files.is_opening() {
            return;
        }
        let session = &self.doc.session;
        let (shape, status) = session.counts_key();
        let revisions = Revisions {
            any: session.revision(),
            shape_and_status: (shape, status),
        };
        let typing_in = self
            .view
            .selected
            .clone()
            .and_then(|id| self.doc.position(&id));
        let again = self.writing.blog_count.refresh(
            self.doc.blog(),
            revisions,
            typing_in,
            Self::now_seconds(ctx),
        );
        if let Some(seconds) = again {
            ctx.request_repaint_after(Duration::from_secs_f64(seconds));
        }
    }

    pub(super) fn run_writing_choice(&mut self, choice: WritingChoice) {
        let prefs = &mut self.state.writing;
        match choice {
            // "Zelenskyy’s" adds "Zelenskyy", which accepts both.
            WritingChoice::AddToDictionary(word) => {
                prefs
                    .personal_dictionary
                    .insert(strip_possessive(&word).to_owned());
            }
            WritingChoice::Ignore(word) => self.writing.ignore(strip_possessive(&word)),
            WritingChoice::SetSpellcheck(on) => prefs.spellcheck = on,
            WritingChoice::SetSmartTypography(on) => prefs.smart_typography = on,
        }
    }
}
