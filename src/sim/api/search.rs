//! `GET /search`: case- and accent-insensitive word matching over names,
//! artists and albums, with `artist:`, `album:`, `track:`, `year:` and
//! `genre:` field filters, one paging object per requested type (limit
//! 1–10, default 5; offset 0–1000).

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::IntoResponse;
use serde_json::{Map, Value};

use super::super::Shared;
use super::super::errors::{ApiError, ApiResult};
use super::super::ids::mix;
use super::super::music;
use super::super::state::SimState;
use super::{Caller, Page, Q, authenticate, objects, page, paging};

type Params = Query<Vec<(String, String)>>;

const TYPES: [&str; 7] = [
    "album",
    "artist",
    "playlist",
    "track",
    "show",
    "episode",
    "audiobook",
];

/// Lower-cases and strips diacritics (é → e, ß → ss, ё → е, ά → α).
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().flat_map(char::to_lowercase) {
        let base = match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
            'æ' => "ae",
            'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
            'ď' | 'đ' => "d",
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
            'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
            'ñ' | 'ń' | 'ņ' | 'ň' => "n",
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => "o",
            'œ' => "oe",
            'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
            'ý' | 'ÿ' | 'ŷ' => "y",
            'ś' | 'ŝ' | 'ş' | 'š' => "s",
            'ß' => "ss",
            'ź' | 'ż' | 'ž' => "z",
            'ğ' | 'ĝ' | 'ġ' | 'ģ' => "g",
            'ł' => "l",
            'ť' | 'ţ' => "t",
            'ř' | 'ŕ' => "r",
            'ё' => "е",
            'ά' => "α",
            'έ' => "ε",
            'ή' => "η",
            'ί' | 'ϊ' | 'ΐ' => "ι",
            'ό' => "ο",
            'ύ' | 'ϋ' | 'ΰ' => "υ",
            'ώ' => "ω",
            'ς' => "σ",
            _ => {
                out.push(c);
                continue;
            }
        };
        out.push_str(base);
    }
    out
}

/// True for scripts written without spaces between words (CJK, kana, Hangul).
fn unspaced(c: char) -> bool {
    ('\u{2E80}'..='\u{9FFF}').contains(&c) || ('\u{AC00}'..='\u{D7AF}').contains(&c)
}

/// Does the folded word `w` match the folded text `hay`? A word matches the
/// start of a word of `hay`; in CJK and Hangul text it matches anywhere.
fn word_matches(hay: &str, w: &str) -> bool {
    if w.chars().any(unspaced) {
        return hay.contains(w);
    }
    hay.split(|c: char| !c.is_alphanumeric() && c != '\'')
        .any(|hw| hw.starts_with(w))
}

/// A parsed search query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchQuery {
    /// Free words, folded.
    pub words: Vec<String>,
    /// `field:value` filters (field lower-case, value folded words).
    pub filters: Vec<(String, Vec<String>)>,
}

/// Splits a query into words and field filters; quotes group words.
pub fn parse_query(q: &str) -> SearchQuery {
    let mut tokens: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for c in q.chars() {
        match c {
            '"' => quoted = !quoted,
            c if c.is_whitespace() && !quoted => {
                if !cur.is_empty() {
                    tokens.push(std::mem::take(&mut cur));
                }
            }
            c => cur.push(c),
        }
    }
    if !cur.is_empty() {
        tokens.push(cur);
    }
    let split =
        |s: &str| -> Vec<String> { fold(s).split_whitespace().map(str::to_string).collect() };
    let mut out = SearchQuery::default();
    for t in tokens {
        match t.split_once(':') {
            Some((field, value))
                if [
                    "artist", "album", "track", "year", "genre", "tag", "isrc", "upc",
                ]
                .contains(&field.to_ascii_lowercase().as_str()) =>
            {
                out.filters.push((field.to_ascii_lowercase(), split(value)));
            }
            _ => out.words.extend(split(&t)),
        }
    }
    out
}

fn all_match(hay: &str, words: &[String]) -> bool {
    words.iter().all(|w| word_matches(hay, w))
}

fn year_matches(date: &str, spec: &[String]) -> bool {
    let Some(spec) = spec.first() else {
        return true;
    };
    let Ok(year) = date.get(..4).unwrap_or("").parse::<u32>() else {
        return false;
    };
    match spec.split_once('-') {
        Some((a, b)) => match (a.parse::<u32>(), b.parse::<u32>()) {
            (Ok(a), Ok(b)) => (a..=b).contains(&year),
            _ => false,
        },
        None => spec.parse::<u32>() == Ok(year),
    }
}

/// One searchable object: its folded text and the fields filters check.
#[derive(Default)]
struct Candidate<'a> {
    /// Folded name (words found here rank first).
    name: String,
    /// Folded artist name(s), when `artist:` applies.
    artist: Option<String>,
    /// Folded album name, when `album:` applies.
    album: Option<String>,
    /// Genre, when `genre:` applies.
    genre: Option<&'static str>,
    /// Other folded text free words may match (publisher, description).
    extra: String,
    /// Release date, when `year:` applies.
    date: Option<&'a str>,
    /// Whether `track:` applies (tracks only).
    is_track: bool,
    /// Popularity for ranking.
    rank: u64,
}

impl Candidate<'_> {
    /// A score (higher is better), or `None` when the query does not match.
    fn score(&self, q: &SearchQuery) -> Option<(usize, u64)> {
        let opt = |o: &Option<String>| o.as_deref().unwrap_or("").to_string();
        let all = format!(
            "{} {} {} {}",
            self.name,
            opt(&self.artist),
            opt(&self.album),
            self.extra
        );
        if !all_match(&all, &q.words) {
            return None;
        }
        for (f, v) in &q.filters {
            let ok = match f.as_str() {
                "year" => self.date.is_some_and(|d| year_matches(d, v)),
                "artist" => self.artist.as_deref().is_some_and(|h| all_match(h, v)),
                "album" => self.album.as_deref().is_some_and(|h| all_match(h, v)),
                "track" => self.is_track && all_match(&self.name, v),
                "genre" => self.genre.is_some_and(|g| all_match(g, v)),
                _ => false,
            };
            if !ok {
                return None;
            }
        }
        let in_name = q
            .words
            .iter()
            .filter(|w| word_matches(&self.name, w))
            .count();
        Some((in_name, self.rank))
    }
}

/// Indices of matching objects, best first.
fn rank<'a>(cands: impl Iterator<Item = Candidate<'a>>, q: &SearchQuery) -> Vec<usize> {
    let mut hits: Vec<((usize, u64), usize)> = cands
        .enumerate()
        .filter_map(|(i, c)| c.score(q).map(|s| (s, i)))
        .collect();
    hits.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    hits.into_iter().map(|(_, i)| i).collect()
}

/// Matching indices for one type, best first (playlists: ids).
enum Hits {
    Indices(Vec<usize>),
    Playlists(Vec<String>),
}

impl Hits {
    fn len(&self) -> usize {
        match self {
            Hits::Indices(v) => v.len(),
            Hits::Playlists(v) => v.len(),
        }
    }
}

fn find(st: &SimState, kind: &str, q: &SearchQuery) -> Hits {
    let c = &st.catalog;
    let artist_of = |al: usize| fold(&c.artists[c.albums[al].artist].name);
    let hits = match kind {
        "track" => rank(
            c.tracks.iter().enumerate().map(|(i, t)| Candidate {
                name: fold(&t.name),
                artist: Some(artist_of(t.album)),
                album: Some(fold(&c.albums[t.album].name)),
                genre: Some(music::genre(c.albums[t.album].artist)),
                date: Some(c.albums[t.album].release_date.as_str()),
                is_track: true,
                rank: t.popularity + mix(i as u64) % 2,
                ..Candidate::default()
            }),
            q,
        ),
        "album" => rank(
            c.albums.iter().enumerate().map(|(i, al)| Candidate {
                name: fold(&al.name),
                artist: Some(artist_of(i)),
                album: Some(fold(&al.name)),
                date: Some(al.release_date.as_str()),
                rank: mix(i as u64) % 100,
                ..Candidate::default()
            }),
            q,
        ),
        "artist" => rank(
            c.artists.iter().enumerate().map(|(i, a)| Candidate {
                name: fold(&a.name),
                artist: Some(fold(&a.name)),
                genre: Some(music::genre(i)),
                rank: mix(i as u64 ^ 0xa47) % 100,
                ..Candidate::default()
            }),
            q,
        ),
        "show" => rank(
            c.shows.iter().map(|s| Candidate {
                name: fold(&s.name),
                extra: fold(&format!("{} {}", s.publisher, s.description)),
                ..Candidate::default()
            }),
            q,
        ),
        "episode" => rank(
            c.episodes.iter().map(|e| Candidate {
                name: fold(&e.name),
                extra: fold(&c.shows[e.show].name),
                ..Candidate::default()
            }),
            q,
        ),
        "playlist" => {
            let mut ps: Vec<_> = st.playlists.values().filter(|p| p.public).collect();
            ps.sort_by(|a, b| b.followers.cmp(&a.followers).then(a.id.cmp(&b.id)));
            let idx = rank(
                ps.iter().map(|p| Candidate {
                    name: fold(&p.name),
                    extra: fold(&format!("{} {}", p.description, p.owner_name)),
                    ..Candidate::default()
                }),
                q,
            );
            return Hits::Playlists(idx.into_iter().map(|i| ps[i].id.clone()).collect());
        }
        _ => Vec::new(),
    };
    Hits::Indices(hits)
}

fn render(st: &SimState, kind: &str, hits: &Hits, pg: Page, caller: &Caller) -> Vec<Value> {
    match hits {
        Hits::Playlists(ids) => ids
            .iter()
            .skip(pg.offset)
            .take(pg.limit)
            .filter_map(|id| st.playlists.get(id))
            .map(|p| super::playlists::simplified_json(st, p))
            .collect(),
        Hits::Indices(v) => v
            .iter()
            .skip(pg.offset)
            .take(pg.limit)
            .map(|&i| match kind {
                "track" => objects::track(st, i),
                "album" => objects::simplified_album(st, i),
                "artist" => objects::artist(st, i),
                "show" => objects::simplified_show(st, i),
                _ => objects::simplified_episode(st, i, caller),
            })
            .collect(),
    }
}

/// `GET /search?q=…&type=track,album,…&limit=N&offset=N`.
pub async fn search(
    State(sh): State<Arc<Shared>>,
    headers: HeaderMap,
    Query(q): Params,
) -> ApiResult {
    let q = Q(q);
    let st = sh.lock();
    let caller = authenticate(&st, &headers)?;
    let text = q.get("q").unwrap_or("").trim();
    if text.is_empty() {
        return Err(ApiError::bad_request("No search query"));
    }
    let types: Vec<&str> = q
        .get("type")
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .collect();
    if types.is_empty() {
        return Err(ApiError::bad_request("Missing parameter type"));
    }
    if let Some(bad) = types.iter().find(|t| !TYPES.contains(t)) {
        return Err(ApiError::bad_request(format!(
            "Bad search type field {bad}"
        )));
    }
    let pg = page(&q, 5, 10, 1000)?;
    let parsed = parse_query(text);
    let url = format!("{}/v1/search", st.base);
    let mut out = Map::new();
    for kind in types {
        let hits = if kind == "audiobook" {
            Hits::Indices(Vec::new())
        } else {
            find(&st, kind, &parsed)
        };
        let items = render(&st, kind, &hits, pg, &caller);
        let link_q = Q(vec![
            ("q".into(), text.to_string()),
            ("type".into(), kind.to_string()),
        ]);
        out.insert(
            format!("{kind}s"),
            paging(&url, &link_q, pg, hits.len(), items),
        );
    }
    Ok(axum::Json(Value::Object(out)).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_ignores_case_and_accents() {
        assert_eq!(fold("Élodie Lumière"), "elodie lumiere");
        assert_eq!(fold("Zoë ÅNGSTRÖM"), "zoe angstrom");
        assert_eq!(fold("Straße"), "strasse");
        assert_eq!(fold("Далёкий"), "далекий");
        assert_eq!(fold("Θάλασσα"), "θαλασσα");
        assert!(word_matches(&fold("東京の雨"), &fold("東京")));
        assert!(word_matches("golden harbors", "harb"));
        assert!(!word_matches("golden harbors", "arbor"));
    }

    #[test]
    fn queries_split_into_words_and_filters() {
        let q = parse_query(r#"Golden artist:"Velvet Harbor" year:2015-2020"#);
        assert_eq!(q.words, vec!["golden"]);
        assert_eq!(
            q.filters,
            vec![
                (
                    "artist".to_string(),
                    vec!["velvet".to_string(), "harbor".to_string()]
                ),
                ("year".to_string(), vec!["2015-2020".to_string()]),
            ]
        );
        assert!(year_matches("2019-05-17", &["2015-2020".into()]));
        assert!(!year_matches("2021-01-01", &["2015-2020".into()]));
        assert!(year_matches("2021-01-01", &["2021".into()]));
    }

    #[test]
    fn search_finds_by_name_artist_album_and_filters() {
        let st = SimState::demo("http://x".into(), false);
        let track_names = |q: &str| -> Vec<String> {
            match find(&st, "track", &parse_query(q)) {
                Hits::Indices(v) => v
                    .iter()
                    .map(|&i| st.catalog.tracks[i].name.clone())
                    .collect(),
                Hits::Playlists(_) => Vec::new(),
            }
        };
        // Accent-insensitive over artist names: "zoe angstrom" finds Zoë Ångström's tracks.
        let zoe = st.catalog.artist_index(
            &st.catalog
                .artists
                .iter()
                .find(|a| a.name == "Zoë Ångström")
                .map(|a| a.id.clone())
                .unwrap_or_default(),
        );
        assert!(zoe.is_some());
        let hits = find(&st, "track", &parse_query("zoe angstrom"));
        let Hits::Indices(hits) = hits else {
            panic!("indices")
        };
        assert!(!hits.is_empty());
        assert!(
            hits.iter()
                .all(|&t| Some(st.catalog.albums[st.catalog.tracks[t].album].artist) == zoe)
        );
        // Non-Latin words match inside CJK titles.
        let tokyo = track_names("東京");
        assert!(tokyo.iter().any(|n| n.contains("東京")), "{tokyo:?}");
        assert!(tokyo.len() < st.catalog.tracks.len() / 10);
        // Field filters narrow: track: only over titles, year: over release dates.
        let all = track_names("golden");
        let by_year = track_names("golden year:2019");
        assert!(!by_year.is_empty() && by_year.len() < all.len());
        assert!(track_names("artist:golden").len() < all.len());
        assert!(track_names("nothingmatchesthis").is_empty());
        // The artist search finds the artist itself.
        let Hits::Indices(a) = find(&st, "artist", &parse_query("ELODIE")) else {
            panic!()
        };
        assert_eq!(a.len(), 1);
        // Playlists: public ones only, by name.
        let Hits::Playlists(p) = find(&st, "playlist", &parse_query("morning")) else {
            panic!()
        };
        assert_eq!(p, vec![super::super::super::PLAYLIST_MORNING.to_string()]);
        let Hits::Playlists(p) = find(&st, "playlist", &parse_query("sunday")) else {
            panic!()
        };
        assert!(p.is_empty(), "private playlists are not found");
    }
}
