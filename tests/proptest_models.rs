//! The JSON models never panic on hostile input: every fixture body, mutated
//! a few thousand times with a seeded RNG (byte flips, truncation, splices,
//! value swaps), and arbitrary bytes from proptest, go through every
//! response deserializer. Errors are fine; panics and hangs are not.
//! The same deserializers are the `models` cargo-fuzz target (`fuzz/`).

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use spotdeck::domain::decode_local_uri;
use spotdeck::spotify::convert;
use spotdeck::spotify::error::{OAuthErrorBody, RegularErrorBody};
use spotdeck::spotify::ids::parse_id;
use spotdeck::spotify::model::{
    CoverImages, CurrentlyPlaying, Devices, FeaturedPlaylists, LocalFileUri, Page, PlayableItem,
    PlaybackState, Playlist, PlaylistItem, Queue, RecentlyPlayed, SimplifiedPlaylist, SnapshotId,
    User, percent_plus_decode,
};

fn fixtures_dir() -> PathBuf {
    if let Ok(d) = std::env::var("SPOTDECK_FIXTURES") {
        return PathBuf::from(d);
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/reference/fixtures")
}

/// Runs every model deserializer over `bytes`; returns how many accepted it.
fn decode_all(bytes: &[u8]) -> usize {
    fn ok<T: serde::de::DeserializeOwned>(b: &[u8]) -> usize {
        usize::from(serde_json::from_slice::<T>(b).is_ok())
    }
    ok::<PlaybackState>(bytes)
        + ok::<CurrentlyPlaying>(bytes)
        + ok::<Devices>(bytes)
        + ok::<Queue>(bytes)
        + ok::<RecentlyPlayed>(bytes)
        + ok::<User>(bytes)
        + ok::<Playlist>(bytes)
        + ok::<Page<PlaylistItem>>(bytes)
        + ok::<Page<SimplifiedPlaylist>>(bytes)
        + ok::<FeaturedPlaylists>(bytes)
        + ok::<CoverImages>(bytes)
        + ok::<SnapshotId>(bytes)
        + ok::<PlayableItem>(bytes)
        + ok::<RegularErrorBody>(bytes)
        + ok::<OAuthErrorBody>(bytes)
        + to_domain(bytes)
}

/// Also runs the model → domain conversion the app applies to every item.
fn to_domain(bytes: &[u8]) -> usize {
    let mut n = 0;
    if let Ok(item) = serde_json::from_slice::<PlayableItem>(bytes) {
        let t = convert::track(item);
        decode_local_uri(&t.uri);
        n += 1;
    }
    if let Ok(page) = serde_json::from_slice::<Page<PlaylistItem>>(bytes) {
        for it in page.items.into_iter().filter_map(|e| e.item) {
            convert::track(it);
        }
        n += 1;
    }
    n
}

/// String parsers that see user input or URIs from the API.
fn parse_strings(s: &str) {
    percent_plus_decode(s);
    decode_local_uri(s);
    LocalFileUri::parse(s);
    for kind in ["playlist", "track", "episode", "user"] {
        parse_id(kind, s);
    }
}

fn fixtures() -> Vec<(String, Vec<u8>)> {
    let dir = fixtures_dir();
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("fixtures dir {}: {e}", dir.display()))
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| {
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
            (name.unwrap_or_default(), std::fs::read(&p).expect("read"))
        })
        .collect();
    out.sort();
    assert!(
        out.len() >= 10,
        "expected the recorded fixtures in {}",
        dir.display()
    );
    out
}

/// JSON fragments spliced in to hit type confusion: nulls, wrong types, huge numbers.
const SPLICES: &[&str] = &[
    "null",
    "0",
    "-1",
    "1e400",
    "18446744073709551616",
    "\"\"",
    "\"\\ud800\"",
    "[]",
    "{}",
    "[null]",
    "true",
    "{\"type\":\"episode\"}",
    "{\"type\":\"track\",\"is_local\":true}",
    "\"spotify:local:%ZZ:%:+:x\"",
];

fn mutate(rng: &mut StdRng, src: &[u8]) -> Vec<u8> {
    let mut b = src.to_vec();
    for _ in 0..rng.random_range(1..=4) {
        if b.is_empty() {
            b.extend_from_slice(b"{}");
        }
        let i = rng.random_range(0..b.len());
        match rng.random_range(0..6) {
            0 => b[i] ^= 1 << rng.random_range(0..8),
            1 => b.truncate(i),
            2 => {
                let s = SPLICES[rng.random_range(0..SPLICES.len())].as_bytes();
                b.splice(i..i, s.iter().copied());
            }
            3 => {
                // Replace the value after a colon with a splice.
                if let Some(colon) = b[i..].iter().position(|&c| c == b':') {
                    let start = i + colon + 1;
                    let end = b[start..]
                        .iter()
                        .position(|&c| c == b',' || c == b'}')
                        .map_or(b.len(), |e| start + e);
                    let s = SPLICES[rng.random_range(0..SPLICES.len())].as_bytes();
                    b.splice(start..end, s.iter().copied());
                }
            }
            4 => {
                let j = rng.random_range(i..=b.len());
                b.drain(i..j);
            }
            _ => {
                // Duplicate a chunk (repeated keys, nested arrays).
                let j = rng.random_range(i..=b.len().min(i + 200));
                let chunk: Vec<u8> = b[i..j].to_vec();
                b.splice(i..i, chunk);
            }
        }
    }
    b
}

#[test]
fn fixtures_decode_somewhere_unmutated() {
    // Sanity: the harness really exercises the deserializers.
    for (name, body) in fixtures() {
        if name.starts_with("token_") {
            continue;
        }
        assert!(decode_all(&body) > 0, "{name} decodes as no model");
    }
}

#[test]
fn mutated_fixtures_never_panic() {
    let mut rng = StdRng::seed_from_u64(0x5907_DECC);
    let fx = fixtures();
    let mut accepted = 0usize;
    let rounds = 4_000;
    for n in 0..rounds {
        let (_, body) = &fx[n % fx.len()];
        let m = mutate(&mut rng, body);
        accepted += decode_all(&m);
    }
    // Some mutations keep the body valid (e.g. a flipped bit inside a string).
    assert!(accepted > 0, "no mutated body was accepted by any model");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        decode_all(&bytes);
    }

    #[test]
    fn arbitrary_json_text_never_panics(s in "[\\[\\]{}\":,0-9a-z_ .\\-eE\\\\u]{0,300}") {
        decode_all(s.as_bytes());
    }

    #[test]
    fn uri_and_id_parsers_never_panic(s in "(spotify:(local|track|playlist|user):|https://open\\.spotify\\.com/)?[%+:/?=a-zA-Z0-9\u{e9}\u{1F600}]{0,80}") {
        parse_strings(&s);
    }
}
