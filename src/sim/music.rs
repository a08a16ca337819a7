//! The searchable part of the demo catalogue: some sixty more artists with
//! albums and singles (accented and non-Latin names among them) and three
//! more podcasts, generated deterministically after the original twelve
//! artists and "The Terminal Hour" so their indices and ids never move.

use super::catalog::{Album, Artist, Catalog, Episode, ItemRef, Show, Track};
use super::ids::{base62_id, mix};

impl Catalog {
    /// Looks an artist up by id.
    pub fn artist_index(&self, id: &str) -> Option<usize> {
        self.artists.iter().position(|a| a.id == id)
    }

    /// Looks a show up by id.
    pub fn show_index(&self, id: &str) -> Option<usize> {
        self.shows.iter().position(|s| s.id == id)
    }

    /// Looks an episode up by id.
    pub fn episode_index(&self, id: &str) -> Option<usize> {
        self.episodes.iter().position(|e| e.id == id)
    }

    /// Albums of an artist, newest release first.
    pub fn albums_of(&self, artist: usize) -> Vec<usize> {
        let mut v: Vec<usize> = (0..self.albums.len())
            .filter(|&a| self.albums[a].artist == artist)
            .collect();
        v.sort_by(|a, b| {
            self.albums[*b]
                .release_date
                .cmp(&self.albums[*a].release_date)
        });
        v
    }

    /// Episodes of a show, newest first.
    pub fn episodes_of(&self, show: usize) -> Vec<usize> {
        (0..self.episodes.len())
            .filter(|&e| self.episodes[e].show == show)
            .collect()
    }

    /// What an album, artist or show context plays, in order; `None` for
    /// an unknown id or another kind of URI.
    pub fn context_items(&self, uri: &str) -> Option<Vec<ItemRef>> {
        let parts: Vec<&str> = uri.split(':').collect();
        let tracks = |ids: &[usize]| ids.iter().map(|&t| ItemRef::Track(t)).collect();
        match parts.as_slice() {
            ["spotify", "album", id] => Some(tracks(&self.albums[self.album_index(id)?].tracks)),
            ["spotify", "artist", id] => {
                let a = self.artist_index(id)?;
                let all: Vec<usize> = self
                    .albums_of(a)
                    .into_iter()
                    .flat_map(|al| self.albums[al].tracks.clone())
                    .collect();
                Some(tracks(&all))
            }
            ["spotify", "show", id] => Some(
                self.episodes_of(self.show_index(id)?)
                    .into_iter()
                    .map(ItemRef::Episode)
                    .collect(),
            ),
            _ => None,
        }
    }
}

/// Word lists of one naming style: title = `first[i] + sep + second[j]`.
struct Style {
    first: &'static [&'static str],
    second: &'static [&'static str],
    sep: &'static str,
}

const ENGLISH: Style = Style {
    first: &[
        "Northern",
        "Broken",
        "Lucky",
        "Summer",
        "Glass",
        "Secret",
        "Wild",
        "Falling",
        "Amber",
        "Hidden",
        "Burning",
        "Lonely",
        "Bright",
        "Gentle",
        "Frozen",
        "Sleepless",
        "Golden",
        "Electric",
        "Paper",
        "Velvet",
    ],
    second: &[
        "Highways",
        "Mirrors",
        "Parades",
        "Echoes",
        "Horses",
        "Tides",
        "Lanterns",
        "Harbors",
        "Canyons",
        "Islands",
        "Bridges",
        "Rooftops",
        "Mornings",
        "Embers",
        "Ghosts",
        "Daydreams",
        "Postcards",
        "Signals",
    ],
    sep: " ",
};

const SPANISH: Style = Style {
    first: &[
        "Canción",
        "Corazón",
        "Mañana",
        "Niño",
        "Sueño",
        "Lágrimas",
        "Camión",
        "Jardín",
        "Río",
        "Azúcar",
        "Pájaro",
        "Limón",
    ],
    second: &[
        "de Invierno",
        "del Mar",
        "Eléctrico",
        "Dorado",
        "sin Nombre",
        "de Papel",
        "en Llamas",
        "Perdido",
    ],
    sep: " ",
};

const FRENCH: Style = Style {
    first: &[
        "Été", "Rêve", "Fenêtre", "Lumière", "Château", "Forêt", "Café", "Mélodie", "Étoile",
        "Cœur",
    ],
    second: &[
        "Indien",
        "Bleu",
        "d'Hiver",
        "Électrique",
        "Perdu",
        "de Minuit",
        "Doré",
        "Fragile",
    ],
    sep: " ",
};

const NORDIC: Style = Style {
    first: &[
        "Sjöstjärna",
        "Ögonblick",
        "Fjällvind",
        "Ängel",
        "Nordljus",
        "Strømmen",
        "Øyeblikk",
        "Åska",
    ],
    second: &[
        "i Natt",
        "Över Havet",
        "Långsamt",
        "på Isen",
        "Hjärta",
        "Mørke",
    ],
    sep: " ",
};

const RUSSIAN: Style = Style {
    first: &[
        "Ночной",
        "Белый",
        "Тихий",
        "Далёкий",
        "Красный",
        "Последний",
    ],
    second: &["Поезд", "Город", "Снег", "Берег", "Ветер", "Свет"],
    sep: " ",
};

const JAPANESE: Style = Style {
    first: &["夜の", "東京の", "青い", "静かな", "遠い", "最後の"],
    second: &["街", "雨", "海", "光", "夢", "風"],
    sep: "",
};

const KOREAN: Style = Style {
    first: &["서울의", "푸른", "조용한", "마지막", "하얀"],
    second: &["밤", "바다", "노래", "별", "바람"],
    sep: " ",
};

const GREEK: Style = Style {
    first: &["Θάλασσα", "Νύχτα", "Φως", "Αστέρι", "Ήλιος"],
    second: &["της Αθήνας", "του Βορρά", "Μπλε", "Χρυσό"],
    sep: " ",
};

const STYLES: [&Style; 8] = [
    &ENGLISH, &SPANISH, &FRENCH, &NORDIC, &RUSSIAN, &JAPANESE, &KOREAN, &GREEK,
];

/// Hand-named artists: (name, style index in [`STYLES`], genre).
const NAMED: [(&str, usize, &str); 14] = [
    ("Los Niños del Mañana", 1, "latin indie"),
    ("Café Azúcar", 1, "cumbia"),
    ("Élodie Lumière", 2, "chanson"),
    ("Les Fenêtres Bleues", 2, "french pop"),
    ("Søren Åkesson", 3, "nordic folk"),
    ("Zoë Ångström", 3, "electropop"),
    ("Ночные Огни", 4, "russian post-punk"),
    ("Белый Ветер", 4, "russian indie"),
    ("東京ハーバー", 5, "city pop"),
    ("坂本 光", 5, "ambient"),
    ("서울 라이트", 6, "k-indie"),
    ("Θάλασσα Blue", 7, "greek jazz"),
    ("Mötörwave", 0, "synthwave"),
    ("Beyoncé Karaoke Club", 0, "pop"),
];

const NAME_FIRST: [&str; 13] = [
    "Amber", "Cobalt", "Wild", "Glass", "Iron", "Lunar", "Crimson", "Tidal", "Feral", "Gentle",
    "Arctic", "Copper", "Hazel",
];
const NAME_SECOND: [&str; 12] = [
    "Foxes",
    "Parade",
    "Machines",
    "Ghosts",
    "Collective",
    "Owls",
    "Harbour",
    "Brothers",
    "Club",
    "Ensemble",
    "Tapes",
    "Orchestra",
];
const GENRES: [&str; 10] = [
    "indie rock",
    "dream pop",
    "shoegaze",
    "folk",
    "post-rock",
    "synthpop",
    "garage rock",
    "ambient",
    "lo-fi",
    "alt-country",
];

/// How many generated artists follow the hand-named ones (at most 13 × 12).
const GENERATED_ARTISTS: usize = 50;

/// Genre of artist `i` (over the whole catalogue).
pub fn genre(i: usize) -> &'static str {
    let first = FIRST_NEW_ARTIST;
    if i >= first && i - first < NAMED.len() {
        return NAMED[i - first].2;
    }
    GENRES[(mix(i as u64 ^ 0x6e) % GENRES.len() as u64) as usize]
}

/// Index of the first artist added here (after the original twelve).
const FIRST_NEW_ARTIST: usize = 12;

fn style_of(i: usize) -> &'static Style {
    match i.checked_sub(FIRST_NEW_ARTIST) {
        Some(k) if k < NAMED.len() => STYLES[NAMED[k].1],
        _ => &ENGLISH,
    }
}

fn title(style: &Style, a: usize, b: usize) -> String {
    format!(
        "{}{}{}",
        style.first[a % style.first.len()],
        style.sep,
        style.second[b % style.second.len()]
    )
}

fn date(h: u64) -> String {
    let year = 1998 + h % 28;
    let month = 1 + (h >> 8) % 12;
    let day = 1 + (h >> 16) % 28;
    format!("{year}-{month:02}-{day:02}")
}

/// Appends the generated artists, their albums and singles, and their tracks.
pub(super) fn extend(artists: &mut Vec<Artist>, albums: &mut Vec<Album>, tracks: &mut Vec<Track>) {
    let mut names: Vec<String> = NAMED.iter().map(|n| n.0.to_string()).collect();
    // Every (first, second) pair once: k ↦ (k mod 13, (k div 13 + 5·(k mod 13)) mod 12).
    for k in 0..GENERATED_ARTISTS {
        let (f, q) = (k % NAME_FIRST.len(), k / NAME_FIRST.len());
        let first = NAME_FIRST[f];
        let second = NAME_SECOND[(q + 5 * f) % NAME_SECOND.len()];
        names.push(if k % 4 == 1 {
            format!("The {first} {second}")
        } else {
            format!("{first} {second}")
        });
    }
    for name in names {
        let ar = artists.len();
        artists.push(Artist {
            id: base62_id("artist", ar as u64),
            name,
        });
        let style = style_of(ar);
        let h = mix(ar as u64 * 31 + 5);
        let full = 2 + (h % 3) as usize;
        let singles = 1 + ((h >> 8) % 3) as usize;
        for n in 0..full + singles {
            let ai = albums.len();
            let ha = mix(ai as u64 * 7 + 3);
            let count = if n < full {
                7 + (ha % 8) as usize
            } else {
                1 + (ha % 2) as usize
            };
            let name = title(style, ai * 3 + n, ai * 5 + ar);
            let mut idxs = Vec::with_capacity(count);
            for t in 0..count {
                let ti = tracks.len();
                let ht = mix(ti as u64 + 17);
                let track_name = if count <= 2 && t == 0 {
                    name.clone()
                } else {
                    title(style, ti * 7 + ai, ti * 11 + t)
                };
                tracks.push(Track {
                    id: base62_id("track", ti as u64),
                    name: track_name,
                    album: ai,
                    duration_ms: 120_000 + (ht % 200_000),
                    track_number: t + 1,
                    explicit: ht.is_multiple_of(11),
                    popularity: 10 + (ht >> 20) % 85,
                });
                idxs.push(ti);
            }
            albums.push(Album {
                id: base62_id("album", ai as u64),
                name,
                artist: ar,
                release_date: date(ha >> 4),
                tracks: idxs,
            });
        }
    }
}

/// (name, publisher, description, episode topics, count).
const SHOWS: [(&str, &str, &str, &[&str], usize); 3] = [
    (
        "Café Crème Conversations",
        "Radio Lumière",
        "Deux amis, un café, et la musique de la semaine.",
        &[
            "Les Années Électro",
            "Chanson Française Aujourd'hui",
            "Le Jazz à Paris",
            "Été Indien",
            "Les Fêtes de Fin d'Année",
        ],
        10,
    ),
    (
        "深夜ラジオ Tokyo Late Night",
        "Harbor FM",
        "City pop, rain and small talk after midnight.",
        &["夜の街", "City Pop Deep Cuts", "東京の雨", "Vinyl Hunting"],
        8,
    ),
    (
        "Rate Limits & Coffee",
        "spotdeck Radio",
        "A weekly show about APIs, quotas and the people who hit them.",
        &[
            "Retry-After, Explained",
            "Cursor Paging Without Tears",
            "Offsets and Other Lies",
            "The 2026 Development Mode",
            "ETags in Practice",
            "Tokens That Expire",
        ],
        60,
    ),
];

/// Appends three more podcasts and their episodes (newest first per show).
pub(super) fn extend_shows(shows: &mut Vec<Show>, episodes: &mut Vec<Episode>) {
    // 2026-11-20 as days since the epoch; episodes go back week by week.
    let newest_day: i64 = 20_777;
    for (name, publisher, description, topics, count) in SHOWS {
        let si = shows.len();
        shows.push(Show {
            id: base62_id("show", si as u64),
            name: name.to_string(),
            publisher: publisher.to_string(),
            description: description.to_string(),
        });
        for n in 0..count {
            let i = episodes.len();
            let number = count - n;
            let topic = topics[n % topics.len()];
            let day = newest_day - (n as i64) * 7 - si as i64;
            episodes.push(Episode {
                id: base62_id("episode", i as u64),
                name: format!("Ep. {number}: {topic}"),
                duration_ms: 1_200_000 + mix(i as u64) % 3_000_000,
                release_date: super::ids::iso8601(day * 86_400)
                    .get(..10)
                    .unwrap_or("2026-01-01")
                    .to_string(),
                show: si,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::catalog::Catalog;

    #[test]
    fn the_catalogue_is_big_and_multilingual() {
        let c = Catalog::demo();
        assert!(c.tracks.len() >= 2_200, "{} tracks", c.tracks.len());
        assert_eq!((c.artists.len(), c.albums.len()), (76, 326));
        assert!(c.artists.iter().any(|a| a.name == "Zoë Ångström"));
        assert!(c.tracks.iter().any(|t| t.name.contains("東京")));
        assert!(c.tracks.iter().any(|t| t.name.contains("Ночной")));
        assert_eq!(c.shows.len(), 4);
        assert_eq!(c.episodes.iter().filter(|e| e.show == 3).count(), 60);
        // Every album's artist exists, and every id is unique.
        let mut ids: Vec<&str> = c.tracks.iter().map(|t| t.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), c.tracks.len());
        assert!(c.albums.iter().all(|a| a.artist < c.artists.len()));
        assert!(c.albums.iter().any(|a| a.tracks.len() <= 2));
    }
}
