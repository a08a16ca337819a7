//! Spotify ids, URIs (`spotify:playlist:…`) and open.spotify.com URLs.

/// Extracts the id of a `kind` (e.g. `playlist`) from a bare id, a URI
/// (`spotify:playlist:ID`, also the legacy `spotify:user:U:playlist:ID`) or
/// an open.spotify.com URL (with or without `intl-xx/` and a query).
pub fn parse_id(kind: &str, input: &str) -> Option<String> {
    let s = input.trim();
    if let Some(rest) = s.strip_prefix("spotify:") {
        let parts: Vec<&str> = rest.split(':').collect();
        return match parts.as_slice() {
            [k, id] if *k == kind => valid(id),
            ["user", _, k, id] if *k == kind => valid(id),
            _ => None,
        };
    }
    if s.starts_with("http://") || s.starts_with("https://") {
        let url = url::Url::parse(s).ok()?;
        if url.host_str() != Some("open.spotify.com") {
            return None;
        }
        let segs: Vec<&str> = url.path_segments()?.filter(|x| !x.is_empty()).collect();
        let pos = segs.iter().position(|x| *x == kind)?;
        return segs.get(pos + 1).and_then(|id| valid(id));
    }
    valid(s)
}

/// The URI for an id of `kind`.
pub fn uri(kind: &str, id: &str) -> String {
    format!("spotify:{kind}:{id}")
}

fn valid(id: &str) -> Option<String> {
    (!id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric())).then(|| id.to_owned())
}

/// True for `spotify:track:…` and `spotify:episode:…`.
pub fn is_playable_uri(s: &str) -> bool {
    parse_id("track", s).is_some() && s.starts_with("spotify:track:")
        || parse_id("episode", s).is_some() && s.starts_with("spotify:episode:")
}

/// Normalizes a track/episode reference (URI or open.spotify.com URL) to a URI.
pub fn playable_uri(s: &str) -> Option<String> {
    ["track", "episode"].into_iter().find_map(|k| {
        parse_id(k, s)
            .filter(|_| s.contains(k))
            .map(|id| uri(k, &id))
    })
}

/// Normalizes a context reference (album, playlist, artist, show) to a URI.
pub fn context_uri(s: &str) -> Option<String> {
    ["album", "playlist", "artist", "show"]
        .into_iter()
        .find_map(|k| {
            parse_id(k, s)
                .filter(|_| s.contains(k))
                .map(|id| uri(k, &id))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_ids_uris_and_urls() {
        let id = "37i9dQZF1DXcBWIGoYBM5M";
        assert_eq!(parse_id("playlist", id).as_deref(), Some(id));
        assert_eq!(
            parse_id("playlist", &format!("spotify:playlist:{id}")).as_deref(),
            Some(id)
        );
        assert_eq!(
            parse_id("playlist", &format!("spotify:user:bob:playlist:{id}")).as_deref(),
            Some(id)
        );
        assert_eq!(
            parse_id(
                "playlist",
                &format!("https://open.spotify.com/intl-de/playlist/{id}?si=x")
            )
            .as_deref(),
            Some(id)
        );
        assert_eq!(parse_id("playlist", "spotify:album:abc"), None);
        assert_eq!(
            parse_id("playlist", "https://evil.example/playlist/abc"),
            None
        );
        assert_eq!(parse_id("playlist", "a b"), None);
        assert_eq!(
            playable_uri("https://open.spotify.com/track/abc123").as_deref(),
            Some("spotify:track:abc123")
        );
        assert_eq!(
            context_uri("spotify:album:x1").as_deref(),
            Some("spotify:album:x1")
        );
        assert!(is_playable_uri("spotify:episode:e1"));
        assert!(!is_playable_uri("spotify:album:e1"));
    }
}
