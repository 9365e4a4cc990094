//! Which way a piece of text reads, from its first strong letter (the rule browsers use for
//! `dir="auto"`). egui lays text out left to right; right-to-left text (Arabic, Hebrew,
//! Persian, Urdu) is at least aligned to the right, where readers of it look first.

use egui::Align2;

/// Whether the first letter with a direction belongs to a right-to-left script.
pub fn is_right_to_left(text: &str) -> bool {
    text.chars()
        .find_map(|c| {
            if is_right_to_left_letter(c) {
                Some(true)
            } else if c.is_alphabetic() {
                Some(false)
            } else {
                None
            }
        })
        .unwrap_or(false)
}

/// The alignment for `text` in a text field: top right when it reads right to left.
pub fn text_align(text: &str) -> Align2 {
    if is_right_to_left(text) {
        Align2::RIGHT_TOP
    } else {
        Align2::LEFT_TOP
    }
}

/// Hebrew, Arabic, Syriac, Thaana, N'Ko, Samaritan, Mandaic and their presentation forms.
fn is_right_to_left_letter(c: char) -> bool {
    matches!(c, '\u{0590}'..='\u{08FF}' | '\u{FB1D}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
        && c.is_alphabetic()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_strong_letter_decides() {
        assert!(is_right_to_left("«السلام عليكم» said the minister"));
        assert!(is_right_to_left("12:30 — שלום"));
        assert!(is_right_to_left("گزارش"));
        assert!(!is_right_to_left("The minister said «السلام»"));
        assert!(!is_right_to_left("123 — …"));
        assert_eq!(text_align("اردو"), Align2::RIGHT_TOP);
        assert_eq!(text_align("Urdu"), Align2::LEFT_TOP);
    }
}
