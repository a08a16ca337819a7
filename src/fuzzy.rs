//! Filter-as-you-type: ranks rows against typed text with `nucleo-matcher`.
//!
//! Words of the filter are matched separately (all must match, in any
//! field); case and accents are ignored. The fzf operators work: `'word`
//! exact, `^word` prefix, `word$` suffix, `!word` excludes.

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

use crate::domain::{PlaylistEntry, PlaylistSummary};

/// A row that can be filtered: the text it is matched on.
pub trait Haystack {
    /// Appends the searchable text to `out` (fields separated by spaces).
    fn haystack(&self, out: &mut String);
}

impl Haystack for PlaylistSummary {
    fn haystack(&self, out: &mut String) {
        out.push_str(&self.name);
        out.push(' ');
        out.push_str(&self.owner_name);
    }
}

impl Haystack for PlaylistEntry {
    fn haystack(&self, out: &mut String) {
        let t = &self.track;
        out.push_str(&t.title);
        for a in &t.artists {
            out.push(' ');
            out.push_str(a);
        }
        out.push(' ');
        out.push_str(&t.album);
    }
}

impl Haystack for String {
    fn haystack(&self, out: &mut String) {
        out.push_str(self);
    }
}

/// Rows from which the scoring is split over two threads: below it a
/// thread costs more than it saves.
const PARALLEL_ROWS: usize = 4096;

/// Positions shown for `filter`: every position (holes included) when the
/// filter is blank, otherwise the received rows that match, best match
/// first and in list order among equals.
pub fn view<T: Haystack + Sync>(slots: &[Option<T>], filter: &str) -> Vec<usize> {
    let pattern = Pattern::parse(filter, CaseMatching::Ignore, Normalization::Smart);
    if pattern.atoms.is_empty() {
        return (0..slots.len()).collect();
    }
    let mut hits = if slots.len() >= PARALLEL_ROWS {
        // Two halves on two threads; the result is the same as one pass.
        let (a, b) = slots.split_at(slots.len() / 2);
        std::thread::scope(|scope| {
            let second = scope.spawn(|| score_rows(b, a.len(), &pattern));
            let mut hits = score_rows(a, 0, &pattern);
            match second.join() {
                Ok(more) => hits.extend(more),
                Err(_) => hits.extend(score_rows(b, a.len(), &pattern)),
            }
            hits
        })
    } else {
        score_rows(slots, 0, &pattern)
    };
    // Stable: equal scores keep list order.
    hits.sort_by_key(|&(score, _)| std::cmp::Reverse(score));
    hits.into_iter().map(|(_, i)| i).collect()
}

/// `(score, position)` of the rows of `slots` that match, positions counted
/// from `first`, in list order.
fn score_rows<T: Haystack>(
    slots: &[Option<T>],
    first: usize,
    pattern: &Pattern,
) -> Vec<(u32, usize)> {
    let mut config = Config::DEFAULT;
    // Between equal matches, the one nearer the start of the row wins.
    config.prefer_prefix = true;
    let mut matcher = Matcher::new(config);
    let mut text = String::new();
    let mut chars: Vec<char> = Vec::new();
    let mut folded = String::new();
    slots
        .iter()
        .enumerate()
        .filter_map(|(i, slot)| {
            let row = slot.as_ref()?;
            text.clear();
            row.haystack(&mut text);
            // Non-ASCII rows are slow to match (`Utf32Str::new` splits them
            // into grapheme clusters): fold accents first ("Café" → "Cafe",
            // as the pattern's normalisation does), so most rows take the
            // ASCII path; the rest are matched by code point.
            let hay = if text.is_ascii() {
                Utf32Str::Ascii(text.as_bytes())
            } else {
                folded.clear();
                folded.extend(text.chars().map(nucleo_matcher::chars::normalize));
                if folded.is_ascii() {
                    Utf32Str::Ascii(folded.as_bytes())
                } else {
                    chars.clear();
                    chars.extend(folded.chars());
                    Utf32Str::Unicode(&chars)
                }
            };
            let score = pattern.score(hay, &mut matcher)?;
            Some((score, first + i))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(names: &[&str]) -> Vec<Option<String>> {
        names.iter().map(|n| Some((*n).to_string())).collect()
    }

    #[test]
    fn blank_filter_shows_every_position_with_holes() {
        let slots = vec![Some("a".to_string()), None, Some("b".to_string())];
        assert_eq!(view(&slots, ""), vec![0, 1, 2]);
        assert_eq!(view(&slots, "   "), vec![0, 1, 2]);
    }

    #[test]
    fn holes_never_match() {
        let slots = vec![None, Some("Sunday Morning".to_string()), None];
        assert_eq!(view(&slots, "sun"), vec![1]);
    }

    #[test]
    fn ignores_case_and_accents() {
        let slots = rows(&["MOTÖRHEAD live", "jazz", "Café del Mar"]);
        assert_eq!(view(&slots, "motor"), vec![0]);
        assert_eq!(view(&slots, "ROCK"), Vec::<usize>::new());
        assert_eq!(view(&slots, "cafe"), vec![2]);
    }

    #[test]
    fn ranks_the_closer_match_first() {
        let slots = rows(&[
            "Songs about a dull Sunday",
            "Sound of the unknown day",
            "Sunday",
            "Nothing alike",
        ]);
        let v = view(&slots, "sunday");
        assert_eq!(v.first(), Some(&2), "exact word first: {v:?}");
        assert!(v.contains(&0) && !v.contains(&3), "{v:?}");
        let rank = |i: usize| v.iter().position(|&x| x == i);
        assert!(rank(0) < rank(1), "contiguous beats scattered: {v:?}");
    }

    #[test]
    fn two_threads_rank_like_one() {
        let names: Vec<String> = (0..PARALLEL_ROWS + 100)
            .map(|i| format!("Song {i} by Artist {}", i % 37))
            .collect();
        let slots: Vec<Option<String>> = names.iter().cloned().map(Some).collect();
        for filter in ["song 12", "artist 3", "9 by", "!1 song"] {
            let parallel = view(&slots, filter);
            let pattern = Pattern::parse(filter, CaseMatching::Ignore, Normalization::Smart);
            let mut one = score_rows(&slots, 0, &pattern);
            one.sort_by_key(|&(score, _)| std::cmp::Reverse(score));
            let one: Vec<usize> = one.into_iter().map(|(_, i)| i).collect();
            assert_eq!(parallel, one, "{filter}");
            assert!(!one.is_empty(), "{filter}");
        }
    }

    #[test]
    fn equal_scores_keep_list_order() {
        let slots = rows(&["Rock one", "Rock two", "Rock three"]);
        assert_eq!(view(&slots, "rock"), vec![0, 1, 2]);
    }

    #[test]
    fn words_match_across_fields_and_operators_work() {
        let entry = |title: &str, artist: &str, album: &str| {
            Some(PlaylistEntry {
                track: crate::domain::Track {
                    uri: String::new(),
                    title: title.into(),
                    artists: vec![artist.into()],
                    album: album.into(),
                    duration_ms: 0,
                    kind: crate::domain::ItemKind::Track,
                    images: vec![],
                    is_playable: true,
                },
                added_at: None,
                added_by: None,
            })
        };
        let slots = vec![
            entry("Help!", "The Beatles", "Help!"),
            entry("Help Me", "Joni Mitchell", "Court and Spark"),
            entry("Yesterday", "The Beatles", "Help!"),
        ];
        assert_eq!(view(&slots, "beatles help").len(), 2);
        assert_eq!(view(&slots, "joni help"), vec![1]);
        assert_eq!(view(&slots, "help !beatles"), vec![1]);
        assert_eq!(view(&slots, "^yes"), vec![2]);
    }
}
