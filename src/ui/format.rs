//! Text formatting helpers: durations, relative times, truncation.

/// `m:ss` (or `h:mm:ss`) for milliseconds.
pub fn duration(ms: u64) -> String {
    let s = ms / 1000;
    let (h, m, s) = (s / 3600, (s / 60) % 60, s % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

/// Parses an RFC 3339 UTC timestamp (`2026-01-02T03:04:05.678Z`) into Unix seconds.
pub fn parse_rfc3339(ts: &str) -> Option<i64> {
    let b = ts.as_bytes();
    if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> { ts.get(r)?.parse().ok() };
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, s) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) {
        return None;
    }
    // Days from civil date (Howard Hinnant's algorithm).
    let y2 = if mo <= 2 { y - 1 } else { y };
    let era = y2.div_euclid(400);
    let yoe = y2 - era * 400;
    let mp = (mo + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + h * 3600 + mi * 60 + s)
}

/// "just now", "5 min ago", "3 h ago", "2 d ago".
pub fn relative(then_unix: i64, now_unix: i64) -> String {
    let d = (now_unix - then_unix).max(0);
    match d {
        0..=59 => "just now".into(),
        60..=3599 => format!("{} min ago", d / 60),
        3600..=86_399 => format!("{} h ago", d / 3600),
        _ => format!("{} d ago", d / 86_400),
    }
}

/// Truncates to `width` display columns with an ellipsis.
pub fn truncate(text: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthChar;
    let total: usize = text.chars().map(|c| c.width().unwrap_or(0)).sum();
    if total <= width {
        return text.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        used += w;
        out.push(c);
    }
    // "Living Room…", not "Living Room …".
    out.truncate(out.trim_end().len());
    out.push('…');
    out
}

/// Splits `text` into a first line of at most `first` columns and, when it
/// does not fit, a second of at most `width` columns ending in an ellipsis
/// if even two lines are too short. Breaks between words where it can.
pub fn wrap2(text: &str, first: usize, width: usize) -> (String, Option<String>) {
    use unicode_width::UnicodeWidthStr;
    if UnicodeWidthStr::width(text) <= first {
        return (text.to_string(), None);
    }
    let mut line = String::new();
    let mut rest = text;
    for (i, word) in text.split_inclusive(' ').enumerate() {
        if UnicodeWidthStr::width(format!("{line}{}", word.trim_end()).as_str()) > first {
            if i == 0 {
                // One word longer than the line: break inside it.
                let head = truncate(text, first);
                let head = head.trim_end_matches('…').to_string();
                let tail = &text[head.len()..];
                return (head, Some(truncate(tail, width)));
            }
            break;
        }
        line.push_str(word);
        rest = &rest[word.len()..];
    }
    (line.trim_end().to_string(), Some(truncate(rest, width)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(duration(0), "0:00");
        assert_eq!(duration(215_000), "3:35");
        assert_eq!(duration(3_725_000), "1:02:05");
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(
            parse_rfc3339("2026-11-25T21:00:00.123Z"),
            Some(1_795_640_400)
        );
        assert_eq!(parse_rfc3339("garbage"), None);
        assert_eq!(relative(0, 30), "just now");
        assert_eq!(relative(0, 600), "10 min ago");
        assert_eq!(relative(0, 7200), "2 h ago");
        assert_eq!(truncate("hello world", 6), "hello…");
        assert_eq!(truncate("hi", 6), "hi");
    }

    #[test]
    fn wraps_to_two_lines_between_words() {
        assert_eq!(wrap2("short", 10, 10), ("short".into(), None));
        assert_eq!(
            wrap2("Could not set public to no or collaborative", 20, 40),
            (
                "Could not set public".into(),
                Some("to no or collaborative".into())
            )
        );
        let (a, b) = wrap2("one two three four five six", 8, 8);
        assert_eq!(a, "one two");
        assert_eq!(b.as_deref(), Some("three f…"));
        let (a, b) = wrap2("abcdefghijkl", 5, 10);
        assert_eq!((a.as_str(), b.as_deref()), ("abcd", Some("efghijkl")));
    }
}
