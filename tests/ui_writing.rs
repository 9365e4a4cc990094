//! The writing aids as an editor meets them: misspelt words underlined in the fields,
//! suggestions on a right-click, "Add to dictionary" and "Ignore", the blog's language
//! picking the dictionary, curly quotes and dashes as you type, and word counts.

use chrono::{TimeZone, Utc};
use common::ui::*;
use egui::epaint::{Galley, Shape};
use egui::text::CCursor;
use egui::{Key, Modifiers, PointerButton, Pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use newsdesk::model::{Entry, EntryId, EntryStatus, LiveBlog, Media};
use newsdesk::ui::NewsdeskApp;
use std::sync::Arc;

mod common;

/// A blog in `language` with one published post whose body is `body`.
fn blog(language: &str, body: &str) -> LiveBlog {
    let now = Utc.with_ymd_and_hms(2025, 2, 18, 14, 0, 0).unwrap();
    let mut blog = LiveBlog::new("Talks in Riyadh", now);
    blog.settings.language = language.into();
    let mut entry = Entry::new_post(post(), now);
    entry.body = body.into();
    entry.status = EntryStatus::Published;
    blog.entries.push_back(Arc::new(entry));
    blog
}

fn post() -> EntryId {
    id("post-1")
}

fn body(h: &Harness<'_, NewsdeskApp>) -> String {
    h.state().blog().entry(&post()).unwrap().body.clone()
}

/// The galley a field draws `text` with, and where it is on screen.
fn galley_showing(h: &Harness<'_, NewsdeskApp>, text: &str) -> Option<(Pos2, Arc<Galley>)> {
    fn visit(shape: &Shape, text: &str, found: &mut Option<(Pos2, Arc<Galley>)>) {
        match shape {
            Shape::Text(shape) if shape.galley.job.text == text => {
                *found = Some((shape.pos, Arc::clone(&shape.galley)));
            }
            Shape::Vec(shapes) => shapes.iter().for_each(|s| visit(s, text, found)),
            _ => {}
        }
    }
    let mut found = None;
    for clipped in &h.output().shapes {
        visit(&clipped.shape, text, &mut found);
    }
    found
}

/// The words with a red wavy line painted under them in the field showing `text`, in
/// reading order: read back from what was painted, as the editor sees it.
fn underlined(h: &Harness<'_, NewsdeskApp>, text: &str) -> Vec<String> {
    let (pos, galley) = galley_showing(h, text).expect("a field shows the text");
    let field = galley.rect.translate(pos.to_vec2()).expand(4.0);
    let red = egui::epaint::ColorMode::Solid(egui::Visuals::light().error_fg_color);
    let mut lines = Vec::new();
    fn visit(shape: &Shape, red: &egui::epaint::ColorMode, lines: &mut Vec<egui::Rect>) {
        match shape {
            Shape::Path(path)
                if !path.closed && path.points.len() > 2 && path.stroke.color == *red =>
            {
                lines.push(egui::Rect::from_points(&path.points));
            }
            Shape::Vec(shapes) => shapes.iter().for_each(|s| visit(s, red, lines)),
            _ => {}
        }
    }
    for clipped in &h.output().shapes {
        visit(&clipped.shape, &red, &mut lines);
    }
    eprintln!("field {field:?} lines {lines:?}");
    lines.retain(|line| field.contains_rect(*line));
    lines.sort_by(|a, b| (a.min.y, a.min.x).partial_cmp(&(b.min.y, b.min.x)).unwrap());
    let chars: Vec<char> = text.chars().collect();
    lines
        .into_iter()
        .map(|line| {
            // Just above the wave is the word it underlines.
            let y = line.center().y - 6.0;
            let at = |x: f32| usize::from(galley.cursor_from_pos(egui::pos2(x, y) - pos).index);
            chars[at(line.min.x + 0.5)..at(line.max.x - 0.5)]
                .iter()
                .collect()
        })
        .collect()
}

/// Right-clicks inside `word` in the field showing `text`.
fn right_click_word(h: &mut Harness<'_, NewsdeskApp>, text: &str, word: &str) {
    let (pos, galley) = galley_showing(h, text).expect("a field shows the text");
    let start = text.find(word).expect("the word is in the text");
    let inside = text[..start].chars().count() + 1;
    let at = pos
        + galley
            .pos_from_cursor(CCursor::new(inside))
            .center()
            .to_vec2();
    h.hover_at(at);
    h.run();
    for pressed in [true, false] {
        h.event(egui::Event::PointerButton {
            pos: at,
            button: PointerButton::Secondary,
            pressed,
            modifiers: Modifiers::NONE,
        });
    }
    h.run();
}

fn type_into_body(h: &mut Harness<'_, NewsdeskApp>, text: &str) {
    h.get_by_label("Body").focus();
    h.run();
    h.key_press(Key::End);
    h.key_press_modifiers(CTRL, Key::End);
    h.run();
    h.get_by_label("Body").type_text(text);
    h.run();
}

// ---- Spellcheck ------------------------------------------------------------------------

#[test]
fn misspelt_words_are_underlined_and_names_numbers_acronyms_and_urls_are_not() {
    let text = "We’ve heard the talks were usefull, NATO’s chief said at 14:47 \
                (https://news.example/storry) and @SkyNews agreed. Seperately, `codde` ran.";
    let h = harness(NewsdeskApp::new_for_test(blog("en-GB", text)));
    assert_eq!(underlined(&h, text), ["usefull", "Seperately"]);
    h.get_by_label("Spelling: British English");
}

#[test]
fn typing_a_misspelling_underlines_it_at_once_and_correcting_it_clears_it() {
    let mut h = harness(NewsdeskApp::new_for_test(blog("en-GB", "Talks")));
    type_into_body(&mut h, " continnue");
    assert_eq!(body(&h), "Talks continnue");
    assert_eq!(underlined(&h, "Talks continnue"), ["continnue"]);
    replace_text(&mut h, "Body", "Talks continue");
    assert!(underlined(&h, "Talks continue").is_empty());
}

#[test]
fn the_headline_and_caption_are_checked_too() {
    let mut blog = blog("en-GB", "Fine words");
    let entry = Arc::make_mut(&mut blog.entries[0]);
    entry.headline = "Lavrov speeks to reporters".into();
    entry.media = Some(Media::Image {
        url: "https://example.org/a.jpg".into(),
        alt: "A man at a lecturn".into(),
        caption: "Pictuer: Reuters".into(),
    });
    let h = harness(NewsdeskApp::new_for_test(blog));
    assert_eq!(
        underlined(&h, "Lavrov speeks to reporters"),
        ["Lavrov", "speeks"]
    );
    assert_eq!(underlined(&h, "Pictuer: Reuters"), ["Pictuer"]);
    assert_eq!(underlined(&h, "A man at a lecturn"), ["lecturn"]);
    // The URL field is not prose.
    assert!(underlined(&h, "https://example.org/a.jpg").is_empty());
}

#[test]
fn choosing_a_suggestion_replaces_the_word_and_undo_brings_it_back() {
    let text = "The talks were usefull today";
    let mut h = harness(NewsdeskApp::new_for_test(blog("en-GB", text)));
    right_click_word(&mut h, text, "usefull");
    // The menu: suggestions by name, then the two other choices.
    h.get_by_label("Add to dictionary");
    h.get_by_label("Ignore");
    h.get_by_label("useful").click();
    h.run();
    assert_eq!(body(&h), "The talks were useful today");
    assert!(underlined(&h, "The talks were useful today").is_empty());
    assert!(
        h.query_by_label("Add to dictionary").is_none(),
        "the menu closed"
    );

    h.key_press_modifiers(CTRL, Key::Z);
    h.run();
    assert_eq!(body(&h), text);
    assert_eq!(underlined(&h, text), ["usefull"]);
}

#[test]
fn add_to_dictionary_keeps_the_word_in_the_users_preferences() {
    let text = "Zelenskyy’s aides met Zelenskyy";
    let mut h = harness(NewsdeskApp::new_for_test(blog("en-GB", text)));
    assert_eq!(underlined(&h, text), ["Zelenskyy’s", "Zelenskyy"]);
    right_click_word(&mut h, text, "Zelenskyy’s");
    h.get_by_label("Add to dictionary").click();
    h.run();
    // Both forms are accepted, the document did not change, and the word is in the
    // preferences eframe keeps between runs.
    assert!(underlined(&h, text).is_empty());
    assert_eq!(body(&h), text);
    assert!(!h.state().is_dirty());
    let prefs = &h.state().state.writing;
    assert!(prefs.personal_dictionary.contains("Zelenskyy"));
    let stored = ron::to_string(&h.state().state).expect("preferences serialise");
    assert!(stored.contains("Zelenskyy"), "{stored}");

    // The next run starts from those preferences: the word stays accepted.
    let mut next = NewsdeskApp::new_for_test(blog("en-GB", text));
    next.state = ron::from_str(&stored).expect("preferences read back");
    let h = harness(next);
    assert!(underlined(&h, text).is_empty());
}

#[test]
fn ignore_accepts_the_word_for_this_session_only() {
    let text = "Peskov said so";
    let mut h = harness(NewsdeskApp::new_for_test(blog("en-GB", text)));
    assert_eq!(underlined(&h, text), ["Peskov"]);
    right_click_word(&mut h, text, "Peskov");
    h.get_by_label("Ignore").click();
    h.run();
    assert!(underlined(&h, text).is_empty());
    assert!(h.state().state.writing.personal_dictionary.is_empty());
}

#[test]
fn right_clicking_a_correct_word_opens_no_menu() {
    let text = "The talks were usefull";
    let mut h = harness(NewsdeskApp::new_for_test(blog("en-GB", text)));
    right_click_word(&mut h, text, "talks");
    assert!(h.query_by_label("Add to dictionary").is_none());
    // The same click on the misspelt word does open it.
    right_click_word(&mut h, text, "usefull");
    h.get_by_label("Add to dictionary");
}

#[test]
fn the_blogs_language_picks_the_dictionary() {
    let text = "The colour of the color";
    let h = harness(NewsdeskApp::new_for_test(blog("en-GB", text)));
    assert_eq!(underlined(&h, text), ["color"]);
    let h = harness(NewsdeskApp::new_for_test(blog("en-US", text)));
    assert_eq!(underlined(&h, text), ["colour"]);
    h.get_by_label("Spelling: American English");
}

#[test]
fn a_language_without_a_dictionary_turns_spellcheck_off_with_a_note() {
    let text = "Les négociations continnuent";
    let h = harness(NewsdeskApp::new_for_test(blog("fr-FR", text)));
    assert!(underlined(&h, text).is_empty());
    h.get_by_label_contains(
        "Spellcheck is off: there is no dictionary for the blog's language “fr-FR”",
    );
}

#[test]
fn the_spellcheck_switch_turns_underlines_off_and_on() {
    let text = "The talks were usefull";
    let mut h = harness(NewsdeskApp::new_for_test(blog("en-GB", text)));
    h.get_by_label("Check spelling").click();
    h.run();
    assert!(!h.state().state.writing.spellcheck);
    assert!(underlined(&h, text).is_empty());
    h.get_by_label("Check spelling").click();
    h.run();
    assert_eq!(underlined(&h, text), ["usefull"]);
}

// ---- Typography ------------------------------------------------------------------------

#[test]
fn straight_quotes_dashes_and_dots_become_the_houses_as_you_type_in_one_undo_step() {
    let mut h = harness(NewsdeskApp::new_for_test(blog("en-GB", "Draft")));
    type_into_body(&mut h, " -- he said \"we're ready\"...");
    assert_eq!(body(&h), "Draft – he said “we’re ready”…");
    // The cursor stayed at the end: more typing lands after the ellipsis.
    h.get_by_label("Body").type_text(" Then 'no'");
    h.run();
    assert_eq!(body(&h), "Draft – he said “we’re ready”… Then ‘no’");
    // The replacements were part of the typing, not extra undo steps.
    h.key_press_modifiers(CTRL, Key::Z);
    h.run();
    assert_eq!(body(&h), "Draft");
}

#[test]
fn urls_code_and_link_targets_keep_their_straight_characters() {
    let mut h = harness(NewsdeskApp::new_for_test(blog("en-GB", "")));
    type_into_body(
        &mut h,
        "See `it's` and [\"this\"](https://x.org/a--b \"t\") at https://x.org/?q='1'&s=2",
    );
    assert_eq!(
        body(&h),
        "See `it's` and [“this”](https://x.org/a--b \"t\") at https://x.org/?q='1'&s=2"
    );
}

#[test]
fn the_headline_gets_curly_quotes_but_the_time_field_does_not() {
    let mut h = harness(NewsdeskApp::new_for_test(blog("en-GB", "Body")));
    replace_text(&mut h, "Headline", "Lavrov: 'useful' talks");
    assert_eq!(
        h.state().blog().entry(&post()).unwrap().headline,
        "Lavrov: ‘useful’ talks"
    );
    // The time field is not prose: what is typed there stays as typed.
    replace_text(&mut h, "at", "14...");
    assert_eq!(h.get_by_label("at").value().as_deref(), Some("14..."));
}

#[test]
fn the_smart_typography_switch_leaves_typing_as_typed() {
    let mut h = harness(NewsdeskApp::new_for_test(blog("en-GB", "Draft")));
    h.get_by_label("Smart quotes and dashes").click();
    h.run();
    assert!(!h.state().state.writing.smart_typography);
    type_into_body(&mut h, " \"as typed\" -- ...");
    assert_eq!(body(&h), "Draft \"as typed\" -- ...");
}

// ---- Word counts -----------------------------------------------------------------------

#[test]
fn word_counts_for_the_entry_and_the_published_blog_follow_typing() {
    let mut blog = blog("en-GB", "One two three");
    let now = blog.settings.coverage_start;
    let mut draft = Entry::new_post(id("post-2"), now);
    draft.body = "Draft words are not on the page".into();
    blog.entries.push_back(Arc::new(draft));
    let mut published = Entry::new_post(id("post-3"), now);
    published.body = "Four five".into();
    published.status = EntryStatus::Published;
    blog.entries.push_back(Arc::new(published));

    let mut h = harness(NewsdeskApp::new_for_test(blog));
    h.get_by_label("3 words · 1 min read");
    h.get_by_label("Published: 5 words · 1 min read");

    type_into_body(&mut h, " and four more words");
    h.get_by_label("7 words · 1 min read");
    h.get_by_label("Published: 9 words · 1 min read");

    // A long post: its reading time grows with it.
    replace_text(&mut h, "Body", &"word ".repeat(500));
    h.get_by_label("500 words · 3 min read");
    h.get_by_label("Published: 502 words · 3 min read");
}
