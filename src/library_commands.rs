//! Scripting subcommands for finding and keeping music: `search`, `liked`,
//! `like` / `unlike`, `album`, `artist`, `follow` / `unfollow`. Ids, URIs and
//! open.spotify.com links are accepted alike.

use serde::Serialize;
use serde_json::json;

use crate::cli::Command;
use crate::domain::format_duration as fmt_ms;
use crate::spotify::client::library::{ARTIST_ALBUMS_LIMIT, LIBRARY_PAGE_LIMIT};
use crate::spotify::ids;
use crate::spotify::model::{Album, Artist, Saved, SearchResults, Track};
use crate::spotify::{ApiError, Client, SearchType};

/// What `like`/`unlike` accept, in the order a link or URI is tried.
const SAVEABLE: [&str; 7] = [
    "track", "album", "episode", "show", "artist", "playlist", "user",
];

/// Normalizes what `like` accepts to a URI: a track, album, episode, show,
/// artist, playlist or user URI or link; a bare id is a track.
pub fn saveable_uri(input: &str) -> Option<String> {
    let s = input.trim();
    if !s.contains(':') && !s.contains('/') {
        return ids::parse_id("track", s).map(|id| ids::uri("track", &id));
    }
    SAVEABLE.into_iter().find_map(|k| {
        ids::parse_id(k, s)
            .filter(|_| s.contains(k))
            .map(|id| ids::uri(k, &id))
    })
}

fn parse_ids(kind: &str, input: &str) -> Result<String, ApiError> {
    let article = if kind.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    ids::parse_id(kind, input).ok_or_else(|| {
        ApiError::InvalidArgument(format!("not {article} {kind} id, URI or URL: {input}"))
    })
}

fn to_json<T: Serialize>(v: &T) -> Result<String, ApiError> {
    serde_json::to_string_pretty(v).map_err(|e| ApiError::Decode(e.to_string()))
}

/// `search` types from `track,album,…`.
pub fn parse_types(s: &str) -> Result<Vec<SearchType>, ApiError> {
    let mut out = Vec::new();
    for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let t = SearchType::parse(part).ok_or_else(|| {
            ApiError::InvalidArgument(format!(
                "unknown search type {part:?}: use track, album, artist, playlist, show or episode"
            ))
        })?;
        if !out.contains(&t) {
            out.push(t);
        }
    }
    if out.is_empty() {
        return Err(ApiError::InvalidArgument("no search type given".into()));
    }
    Ok(out)
}

/// Runs a library subcommand; `None` when `cmd` is not one.
pub async fn execute(cmd: &Command, json: bool, c: &Client) -> Option<Result<String, ApiError>> {
    Some(match cmd {
        Command::Search {
            query,
            types,
            limit,
        } => search(c, &query.join(" "), types, *limit, json).await,
        Command::Liked { limit } => liked(c, *limit, json).await,
        Command::Like { uris } => change(c, uris, true, json).await,
        Command::Unlike { uris } => change(c, uris, false, json).await,
        Command::Album { id } => album(c, id, json).await,
        Command::Artist { id } => artist(c, id, json).await,
        Command::Follow { playlist } => follow(c, playlist, true, json).await,
        Command::Unfollow { playlist } => follow(c, playlist, false, json).await,
        _ => return None,
    })
}

async fn search(
    c: &Client,
    query: &str,
    types: &str,
    limit: u32,
    json: bool,
) -> Result<String, ApiError> {
    let types = parse_types(types)?;
    let r = c.search(query, &types, 0, limit).await?;
    if json {
        to_json(&r)
    } else {
        Ok(format_search(&r))
    }
}

async fn liked(c: &Client, limit: Option<u32>, json: bool) -> Result<String, ApiError> {
    let want = limit.unwrap_or(u32::MAX);
    let mut all: Vec<Saved<Track>> = Vec::new();
    while (all.len() as u32) < want {
        let page_size = (want - all.len() as u32).min(LIBRARY_PAGE_LIMIT);
        let page = c.saved_tracks(all.len() as u32, page_size).await?;
        let got = page.items.len();
        all.extend(page.items);
        if got == 0 || page.next.is_none() || all.len() as u32 >= page.total {
            break;
        }
    }
    if json {
        return to_json(&all);
    }
    if all.is_empty() {
        return Ok("No Liked Songs yet.".into());
    }
    let mut out = format!("Liked Songs ({})\n", count(all.len(), "song"));
    for (n, s) in all.iter().enumerate() {
        out.push_str(&format!("{:>5}. {}\n", n + 1, track_line(&s.item)));
    }
    Ok(out)
}

async fn change(c: &Client, inputs: &[String], save: bool, json: bool) -> Result<String, ApiError> {
    let uris = inputs
        .iter()
        .map(|u| {
            saveable_uri(u).ok_or_else(|| {
                ApiError::InvalidArgument(format!(
                    "not a track, album, episode, show, artist or playlist URI or link: {u}"
                ))
            })
        })
        .collect::<Result<Vec<String>, ApiError>>()?;
    if save {
        c.save_to_library(&uris).await?;
    } else {
        c.remove_from_library(&uris).await?;
    }
    if json {
        return to_json(&json!({ "ok": true, "uris": uris }));
    }
    let what = count(uris.len(), "item");
    Ok(if save {
        format!("Saved {what} to your library")
    } else {
        format!("Removed {what} from your library")
    })
}

async fn album(c: &Client, input: &str, json: bool) -> Result<String, ApiError> {
    let id = parse_ids("album", input)?;
    let mut a = c.album(&id).await?;
    let mut tracks = a.tracks.take().map(|p| p.items).unwrap_or_default();
    while (tracks.len() as u32) < a.total_tracks {
        let page = c
            .album_tracks(&id, tracks.len() as u32, LIBRARY_PAGE_LIMIT)
            .await?;
        if page.items.is_empty() {
            break;
        }
        tracks.extend(page.items);
    }
    if json {
        return to_json(&json!({ "album": a, "tracks": tracks }));
    }
    let mut out = format!("{}\n", album_line(&a));
    if let Some(label) = a.label.as_deref().filter(|l| !l.is_empty()) {
        out.push_str(&format!("Label: {label}\n"));
    }
    for t in &tracks {
        out.push_str(&format!(
            "{:>3}. {}  {}  {}\n",
            t.track_number,
            t.name,
            fmt_ms(t.duration_ms),
            t.uri
        ));
    }
    Ok(out)
}

async fn artist(c: &Client, input: &str, json: bool) -> Result<String, ApiError> {
    let id = parse_ids("artist", input)?;
    let a = c.artist(&id).await?;
    let mut albums: Vec<Album> = Vec::new();
    loop {
        let page = c
            .artist_albums(&id, albums.len() as u32, ARTIST_ALBUMS_LIMIT)
            .await?;
        let got = page.items.len();
        albums.extend(page.items);
        if got == 0 || page.next.is_none() || albums.len() as u32 >= page.total {
            break;
        }
    }
    // Development-mode apps lost top tracks: say so instead of failing.
    let top = c.artist_top_tracks(&id).await;
    if json {
        let top = match &top {
            Ok(t) => json!(t),
            Err(_) => serde_json::Value::Null,
        };
        return to_json(&json!({ "artist": a, "albums": albums, "top_tracks": top }));
    }
    let mut out = format!("{}\n", artist_line(&a));
    match top {
        Ok(t) if !t.is_empty() => {
            out.push_str("Top tracks:\n");
            for t in t.iter().take(5) {
                out.push_str(&format!("  {}\n", track_line(t)));
            }
        }
        Ok(_) => {}
        Err(e) => out.push_str(&format!(
            "Top tracks are not available to this app ({}).\n",
            e.sentence()
        )),
    }
    out.push_str(&format!("Albums and singles ({}):\n", albums.len()));
    for al in &albums {
        out.push_str(&format!(
            "  {}  {} ({}, {})  {}\n",
            al.year().unwrap_or("    "),
            al.name,
            al.album_type,
            count(al.total_tracks as usize, "track"),
            al.uri
        ));
    }
    Ok(out)
}

async fn follow(c: &Client, input: &str, on: bool, json: bool) -> Result<String, ApiError> {
    let id = parse_ids("playlist", input)?;
    if on {
        c.follow_playlist(&id).await?;
    } else {
        c.unfollow_playlist(&id).await?;
    }
    if json {
        return to_json(&json!({ "ok": true, "uri": ids::uri("playlist", &id) }));
    }
    Ok(if on {
        format!("Following playlist {id}")
    } else {
        format!("No longer following playlist {id}")
    })
}

/// "1 song", "3 songs".
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// "Title — Artists · Album  3:12  URI".
fn track_line(t: &Track) -> String {
    let mut line = t.name.clone();
    let artists = t.artist_names();
    if !artists.is_empty() {
        line.push_str(&format!(" — {artists}"));
    }
    if !t.album.name.is_empty() {
        line.push_str(&format!(" · {}", t.album.name));
    }
    format!("{line}  {}  {}", fmt_ms(t.duration_ms), t.uri)
}

/// "Album — Artists (2019, album, 8 tracks)  URI".
fn album_line(a: &Album) -> String {
    let mut facts: Vec<String> = Vec::new();
    if let Some(y) = a.year() {
        facts.push(y.to_string());
    }
    if !a.album_type.is_empty() {
        facts.push(a.album_type.clone());
    }
    facts.push(count(a.total_tracks as usize, "track"));
    format!(
        "{} — {} ({})  {}",
        a.name,
        a.artist_names(),
        facts.join(", "),
        a.uri
    )
}

/// "Artist — genres · 1,234 followers  URI".
fn artist_line(a: &Artist) -> String {
    let mut line = a.name.clone();
    if !a.genres.is_empty() {
        line.push_str(&format!(" — {}", a.genres.join(", ")));
    }
    if let Some(f) = &a.followers {
        line.push_str(&format!(" · {}", count(f.total as usize, "follower")));
    }
    format!("{line}  {}", a.uri)
}

fn section<T>(
    out: &mut String,
    title: &str,
    page: Option<&crate::spotify::model::Page<T>>,
    line: impl Fn(&T) -> String,
) {
    let Some(p) = page else { return };
    out.push_str(&format!("{title} ({} of {})\n", p.items.len(), p.total));
    if p.items.is_empty() {
        out.push_str("  nothing found\n");
    }
    for it in &p.items {
        out.push_str(&format!("  {}\n", line(it)));
    }
}

/// `search` as text: one section per requested type.
pub fn format_search(r: &SearchResults) -> String {
    let mut out = String::new();
    section(&mut out, "Tracks", r.tracks.as_ref(), track_line);
    section(&mut out, "Albums", r.albums.as_ref(), album_line);
    section(&mut out, "Artists", r.artists.as_ref(), artist_line);
    section(&mut out, "Playlists", r.playlists.as_ref(), |p| {
        format!(
            "{} — by {} ({})  spotify:playlist:{}",
            p.name,
            p.owner.label(),
            count(p.total() as usize, "item"),
            p.id
        )
    });
    section(&mut out, "Shows", r.shows.as_ref(), |s| {
        let by = s.publisher.as_deref().unwrap_or("");
        if by.is_empty() {
            format!("{}  {}", s.name, s.uri)
        } else {
            format!("{} — {by}  {}", s.name, s.uri)
        }
    });
    section(&mut out, "Episodes", r.episodes.as_ref(), |e| {
        format!(
            "{}  {}  {}",
            e.episode.name,
            fmt_ms(e.episode.duration_ms),
            e.episode.uri
        )
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_uris_and_links_are_accepted_alike() {
        let id = "4uLU6hMCjMI75M1A2tKUQC";
        for input in [
            id.to_string(),
            format!("spotify:track:{id}"),
            format!("https://open.spotify.com/track/{id}?si=abc"),
        ] {
            assert_eq!(
                saveable_uri(&input).as_deref(),
                Some(format!("spotify:track:{id}").as_str()),
                "{input}"
            );
        }
        assert_eq!(
            saveable_uri(&format!("https://open.spotify.com/intl-de/album/{id}")).as_deref(),
            Some(format!("spotify:album:{id}").as_str())
        );
        assert_eq!(
            saveable_uri(&format!("spotify:artist:{id}")).as_deref(),
            Some(format!("spotify:artist:{id}").as_str())
        );
        assert_eq!(
            saveable_uri(&format!("spotify:user:bob:playlist:{id}")).as_deref(),
            Some(format!("spotify:playlist:{id}").as_str())
        );
        assert_eq!(saveable_uri("https://evil.example/track/abc"), None);
        assert_eq!(saveable_uri("spotify:audiobook:abc"), None);
        assert_eq!(saveable_uri("not an id"), None);
        assert!(
            parse_ids("playlist", "x y")
                .unwrap_err()
                .sentence()
                .contains("a playlist")
        );
    }

    #[test]
    fn search_types_parse() {
        assert_eq!(
            parse_types("track, albums,track").unwrap(),
            vec![SearchType::Track, SearchType::Album]
        );
        assert!(parse_types("audiobook").is_err());
        assert!(parse_types(",").is_err());
    }

    #[test]
    fn counts_read_well() {
        assert_eq!(count(1, "item"), "1 item");
        assert_eq!(count(3, "item"), "3 items");
        assert_eq!(count(0, "song"), "0 songs");
    }

    #[test]
    fn search_text_has_a_section_per_type() {
        let r: SearchResults = serde_json::from_value(json!({
            "tracks": {"items": [{"name": "Golden Harbors", "uri": "spotify:track:a", "duration_ms": 61000,
                       "artists": [{"name": "Velvet Harbor"}], "album": {"name": "Low Tide Radio"}}],
                       "total": 12},
            "artists": {"items": [], "total": 0},
        }))
        .unwrap();
        let text = format_search(&r);
        assert!(text.contains("Tracks (1 of 12)"), "{text}");
        assert!(
            text.contains("Golden Harbors — Velvet Harbor · Low Tide Radio  1:01  spotify:track:a")
        );
        assert!(text.contains("Artists (0 of 0)\n  nothing found"));
        assert!(!text.contains("Albums"));
    }
}
