//! Making text from the network safe to show: names, titles and
//! descriptions come from other people and may carry terminal escapes.
//!
//! [`clean_line`] is for one field on one line (the TUI, one-line CLI
//! output); [`clean_text`] keeps line breaks for multi-line CLI output. Both
//! replace every character that can move the cursor, start an escape
//! sequence, reorder text or hide in it, and cut overlong lines.

use std::borrow::Cow;

/// What a replaced character becomes.
pub const REPLACEMENT: char = '\u{FFFD}';

/// Longest line shown, in characters; longer ones end in `…`.
pub const MAX_LINE_CHARS: usize = 1000;

/// True for characters that must not reach a terminal as they are: C0
/// controls (tab and newline included), DEL, C1 controls, bidirectional
/// overrides, embeddings, isolates and marks, zero-width spaces and the BOM,
/// and the Unicode line and paragraph separators. The zero-width joiner is
/// kept: emoji sequences need it and it cannot move or reorder text.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'
                | '\u{200B}'
                | '\u{200C}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{2069}'
                | '\u{FEFF}'
        )
}

/// One line: every unsafe character (line breaks too) replaced by
/// [`REPLACEMENT`], cut to [`MAX_LINE_CHARS`].
pub fn clean_line(s: &str) -> Cow<'_, str> {
    clean(s, false)
}

/// Several lines: like [`clean_line`] for each line, keeping `\n`.
pub fn clean_text(s: &str) -> Cow<'_, str> {
    clean(s, true)
}

/// JSON text with every unsafe character that an encoder leaves raw (C1
/// controls, bidi and zero-width characters) written as a `\uXXXX` escape:
/// the same data, but nothing a terminal acts on. They can only occur inside
/// strings, where the escape means the same.
pub fn escape_json(json: &str) -> Cow<'_, str> {
    let raw = |c: char| is_unsafe(c) && c != '\n';
    if !json.chars().any(raw) {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if raw(c) {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

fn clean(s: &str, keep_newlines: bool) -> Cow<'_, str> {
    let needs_work = s
        .split('\n')
        .any(|line| line.chars().any(is_unsafe) || line.chars().nth(MAX_LINE_CHARS).is_some())
        || (!keep_newlines && s.contains('\n'));
    if !needs_work {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len().min(64 * 1024));
    let mut in_line = 0usize;
    let mut cut = false;
    for c in s.chars() {
        if keep_newlines && c == '\n' {
            out.push('\n');
            in_line = 0;
            cut = false;
            continue;
        }
        if cut {
            continue;
        }
        if in_line == MAX_LINE_CHARS {
            out.push('…');
            cut = true;
            continue;
        }
        in_line += 1;
        out.push(if is_unsafe(c) { REPLACEMENT } else { c });
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_controls_and_invisible_characters_are_replaced() {
        let hostile = "a\u{1b}]52;c;aGk=\u{7}b\u{9b}c\u{7f}d\u{202E}e\u{200B}f\rg\th";
        let clean = clean_line(hostile);
        assert_eq!(
            clean,
            "a\u{FFFD}]52;c;aGk=\u{FFFD}b\u{FFFD}c\u{FFFD}d\u{FFFD}e\u{FFFD}f\u{FFFD}g\u{FFFD}h"
        );
        assert!(!clean.chars().any(is_unsafe));
        assert_eq!(clean_line("two\nlines"), "two\u{FFFD}lines");
        assert_eq!(clean_text("two\nli\u{1b}nes\n"), "two\nli\u{FFFD}nes\n");
    }

    #[test]
    fn ordinary_text_is_borrowed_unchanged() {
        for s in ["Björk — Jóga", "東京事変", "👨\u{200D}👩\u{200D}👧", ""] {
            assert!(matches!(clean_line(s), Cow::Borrowed(_)), "{s}");
        }
    }

    #[test]
    fn json_keeps_its_meaning() {
        let v = serde_json::json!({"name": "a\u{9b}b\u{202e}c\u{1b}"});
        let text = serde_json::to_string_pretty(&v).unwrap();
        let safe = escape_json(&text);
        assert!(!safe.chars().any(|c| is_unsafe(c) && c != '\n'), "{safe}");
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn long_lines_are_cut() {
        let long = "x".repeat(MAX_LINE_CHARS * 3);
        let c = clean_line(&long);
        assert_eq!(c.chars().count(), MAX_LINE_CHARS + 1);
        assert!(c.ends_with('…'));
        let two = format!("{long}\nshort");
        let c = clean_text(&two);
        assert!(c.ends_with("…\nshort"), "{}", &c[c.len() - 20..]);
    }
}
