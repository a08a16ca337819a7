//! Scripting subcommands: the controller without the TUI.
//!
//! [`execute`] runs one subcommand against a [`Client`] and returns what to
//! print, so it can be tested without a terminal; [`run`] wires it to the
//! process (stdout, stderr, exit code). The `format_*` functions are pure.

pub mod sleep;

use std::process::ExitCode;
use std::sync::Arc;

use serde::Serialize;

use crate::cli::{Command, OnOff, QueueAction, RepeatArg};
use crate::config::Config;
use crate::domain::{format_duration, items_text};
use crate::spotify::client::PLAYLISTS_PAGE_LIMIT;
use crate::spotify::ids;
use crate::spotify::model::{
    Device, PlayableItem, PlaybackState, Playlist, PlaylistItem, Queue, RecentlyPlayed,
    RepeatState, SimplifiedPlaylist,
};
use crate::spotify::{ApiError, Client, PlayArgs};
use crate::text;
use crate::token::TokenSource;

/// Runs one scripting subcommand; prints plain text or JSON. Failures print
/// their sentence on stderr (with `--json`, `{"error": {...}}` on stdout) and
/// exit with a code per kind (see [`crate::cli_output::error_kind`]).
pub async fn run(
    cmd: &Command,
    json: bool,
    config: &Config,
    tokens: Arc<dyn TokenSource>,
) -> anyhow::Result<ExitCode> {
    let client = Client::new(&config.spotify.api_base, tokens.clone())?;
    let result = execute(cmd, json, &client).await;
    if let Some(problem) = tokens.persist_problem() {
        eprintln!("spotdeck: warning: {problem}");
    }
    // Text from the network is made safe to print before it reaches the terminal.
    let result = result.map(|out| {
        let out = out.trim_end();
        if json {
            text::escape_json(out).into_owned()
        } else {
            text::clean_text(out).into_owned()
        }
    });
    Ok(crate::cli_output::finish(result, json))
}

fn to_json<T: Serialize>(v: &T) -> Result<String, ApiError> {
    serde_json::to_string_pretty(v).map_err(|e| ApiError::Decode(e.to_string()))
}

fn ok_json(json: bool, plain: impl Into<String>) -> Result<String, ApiError> {
    if json {
        to_json(&serde_json::json!({ "ok": true }))
    } else {
        Ok(plain.into())
    }
}

/// Runs `cmd` and returns the text for stdout.
pub async fn execute(cmd: &Command, json: bool, c: &Client) -> Result<String, ApiError> {
    match cmd {
        Command::Status => {
            let s = c.playback_state().await?;
            if json {
                to_json(&s)
            } else {
                Ok(format_status(s.as_ref()))
            }
        }
        Command::Devices => {
            let d = c.devices().await?;
            if json {
                to_json(&d)
            } else {
                Ok(format_devices(&d))
            }
        }
        Command::Play { uris, device } => {
            let args = play_args(uris, device.clone())?;
            match c.play(&args).await {
                // Resuming what already plays is refused (reason UNKNOWN): say so.
                Err(e @ ApiError::Restricted { .. }) if uris.is_empty() => {
                    return already(c, e, true, json).await;
                }
                r => r?,
            }
            ok_json(
                json,
                if uris.is_empty() {
                    "Resumed"
                } else {
                    "Playing"
                },
            )
        }
        Command::Pause => {
            match c.pause(None).await {
                // Pausing what is paused is refused (reason UNKNOWN): say so.
                Err(e @ ApiError::Restricted { .. }) => return already(c, e, false, json).await,
                r => r?,
            }
            ok_json(json, "Paused")
        }
        Command::Next => {
            c.next(None).await?;
            ok_json(json, "Skipped to the next track")
        }
        Command::Prev => {
            c.previous(None).await?;
            ok_json(json, "Skipped to the previous track")
        }
        Command::Seek { position } => {
            let target = parse_seek(position).map_err(ApiError::InvalidArgument)?;
            let s = c.playback_state().await?.ok_or(ApiError::NoActiveDevice)?;
            let item = s.item.as_ref().map(|i| (i.name(), i.duration_ms()));
            let ms = seek_target(target, s.progress_ms.unwrap_or(0), item)
                .map_err(ApiError::InvalidArgument)?;
            c.seek(ms, None).await?;
            ok_json(json, format!("Seeked to {}", format_duration(ms)))
        }
        Command::Volume { percent } => {
            c.volume(*percent, None).await?;
            ok_json(json, format!("Volume {percent}%"))
        }
        Command::Shuffle { state } => {
            let on = *state == OnOff::On;
            c.shuffle(on, None).await?;
            ok_json(json, if on { "Shuffle on" } else { "Shuffle off" })
        }
        Command::Repeat { mode } => {
            let m = match mode {
                RepeatArg::Off => RepeatState::Off,
                RepeatArg::Track => RepeatState::Track,
                RepeatArg::Context => RepeatState::Context,
            };
            c.repeat(m, None).await?;
            ok_json(json, format!("Repeat {}", m.as_str()))
        }
        Command::Transfer { device, paused } => {
            let devices = c.devices().await?;
            let d = resolve_device(&devices, device).map_err(ApiError::InvalidArgument)?;
            let id = d.id.clone().ok_or_else(|| {
                ApiError::InvalidArgument(format!(
                    "device {:?} has no id and cannot be targeted",
                    d.name
                ))
            })?;
            c.transfer(&id, !paused).await?;
            ok_json(json, format!("Playback moved to {}", d.name))
        }
        Command::Queue { action: None } => {
            let q = c.queue().await?;
            if json {
                to_json(&q)
            } else {
                Ok(format_queue(&q))
            }
        }
        Command::Queue {
            action: Some(QueueAction::Add { uri, device }),
        } => {
            let u = ids::playable_uri(uri).ok_or_else(|| {
                ApiError::InvalidArgument(format!("not a track or episode URI: {uri}"))
            })?;
            c.add_to_queue(&u, device.as_deref()).await?;
            ok_json(json, format!("Queued {u}"))
        }
        Command::Recent { limit } => {
            let r = c.recently_played(*limit, None, None).await?;
            if json {
                to_json(&r)
            } else {
                Ok(format_recent(&r))
            }
        }
        Command::Playlists => {
            let all = all_my_playlists(c).await?;
            if json {
                to_json(&all)
            } else {
                Ok(format_playlists(&all))
            }
        }
        Command::Playlist { id } => {
            let pid = ids::parse_id("playlist", id).ok_or_else(|| {
                ApiError::InvalidArgument(format!("not a playlist id, URI or URL: {id}"))
            })?;
            let (p, items) = playlist_with_items(c, &pid).await?;
            if json {
                to_json(&serde_json::json!({ "playlist": p, "items": items }))
            } else {
                Ok(format_playlist(&p, &items))
            }
        }
        other => match crate::library_commands::execute(other, json, c).await {
            Some(result) => result,
            None => Err(ApiError::InvalidArgument(format!(
                "{other:?} is not a scripting subcommand"
            ))),
        },
    }
}

/// Every playlist of the user, page by page.
pub async fn all_my_playlists(c: &Client) -> Result<Vec<SimplifiedPlaylist>, ApiError> {
    let mut out = Vec::new();
    let mut offset = 0;
    loop {
        let page = c.my_playlists(offset, PLAYLISTS_PAGE_LIMIT).await?;
        out.extend(page.items);
        offset += PLAYLISTS_PAGE_LIMIT;
        if page.next.is_none() || offset >= page.total {
            return Ok(out);
        }
    }
}

/// After a refused pause (`playing` false) or resume (`playing` true): when
/// the player is already in that state the command succeeds with "Already
/// paused"/"Already playing"; otherwise the refusal stands.
async fn already(
    c: &Client,
    refused: ApiError,
    playing: bool,
    json: bool,
) -> Result<String, ApiError> {
    match c.playback_state().await {
        Ok(Some(s)) if s.is_playing == playing => ok_json(
            json,
            if playing {
                "Already playing"
            } else {
                "Already paused"
            },
        ),
        _ => Err(refused),
    }
}

/// A playlist and all its items.
pub async fn playlist_with_items(
    c: &Client,
    id: &str,
) -> Result<(Playlist, Vec<PlaylistItem>), ApiError> {
    let mut p = c.playlist(id).await?;
    let mut items = match p.items.take() {
        Some(first) if first.offset == 0 => first.items,
        _ => Vec::new(),
    };
    let total = p.total();
    loop {
        if total.is_some_and(|t| items.len() as u32 >= t) {
            break;
        }
        let page = c.playlist_items(id, items.len() as u32, None).await?;
        let got = page.items.len();
        let page_total = page.total;
        items.extend(page.items);
        if got == 0 || items.len() as u32 >= page_total {
            break;
        }
    }
    Ok((p, items))
}

/// Builds play arguments: none = resume; one album/playlist/artist/show =
/// a context; otherwise track/episode URIs (URIs or open.spotify.com URLs).
pub fn play_args(uris: &[String], device_id: Option<String>) -> Result<PlayArgs, ApiError> {
    let mut args = PlayArgs {
        device_id,
        ..PlayArgs::default()
    };
    if let [one] = uris
        && let Some(ctx) = ids::context_uri(one)
    {
        args.context_uri = Some(ctx);
        return Ok(args);
    }
    for u in uris {
        let p = ids::playable_uri(u).ok_or_else(|| {
            ApiError::InvalidArgument(format!(
                "not a track or episode URI: {u} (a single album/playlist/artist/show URI plays as a context)"
            ))
        })?;
        args.uris.push(p);
    }
    Ok(args)
}

/// A parsed `seek` argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeekArg {
    /// Go to this position (ms).
    Absolute(u64),
    /// Move by this many ms.
    Relative(i64),
}

/// Parses `90`, `1:30`, `1:02:03`, `+10`, `-10`, `+0:30`.
pub fn parse_seek(s: &str) -> Result<SeekArg, String> {
    let s = s.trim();
    let (sign, body) = match s.as_bytes().first() {
        Some(b'+') => (Some(1i64), &s[1..]),
        Some(b'-') => (Some(-1i64), &s[1..]),
        _ => (None, s),
    };
    let bad = || format!("cannot read {s:?} as a position: use seconds, m:ss, +N or -N");
    if body.is_empty() {
        return Err(bad());
    }
    let mut secs: u64 = 0;
    let parts: Vec<&str> = body.split(':').collect();
    if parts.len() > 3 {
        return Err(bad());
    }
    for (i, p) in parts.iter().enumerate() {
        let v: u64 = p.parse().map_err(|_| bad())?;
        if i > 0 && v >= 60 {
            return Err(bad());
        }
        secs = secs
            .checked_mul(60)
            .and_then(|x| x.checked_add(v))
            .ok_or_else(bad)?;
    }
    let ms = secs.checked_mul(1000).ok_or_else(bad)?;
    Ok(match sign {
        Some(sg) => SeekArg::Relative(sg * i64::try_from(ms).map_err(|_| bad())?),
        None => SeekArg::Absolute(ms),
    })
}

/// The position a `seek` goes to, given the current position and the playing
/// item's name and duration. A position at or past the end is refused with a
/// sentence: Spotify would skip to the next track instead.
pub fn seek_target(
    arg: SeekArg,
    progress_ms: u64,
    item: Option<(&str, u64)>,
) -> Result<u64, String> {
    let ms = match arg {
        SeekArg::Absolute(ms) => ms,
        SeekArg::Relative(delta) => progress_ms.saturating_add_signed(delta),
    };
    match item {
        Some((name, duration)) if duration > 0 && ms >= duration => Err(format!(
            "{} is past the end of “{}” ({}); nothing was sent.",
            format_duration(ms),
            crate::text::clean_line(name),
            format_duration(duration)
        )),
        _ => Ok(ms),
    }
}

/// Finds a device by exact id, exact name, or a unique part of its name
/// (case-insensitive).
pub fn resolve_device<'a>(devices: &'a [Device], query: &str) -> Result<&'a Device, String> {
    if let Some(d) = devices.iter().find(|d| d.id.as_deref() == Some(query)) {
        return Ok(d);
    }
    let q = query.to_lowercase();
    if let Some(d) = devices.iter().find(|d| d.name.to_lowercase() == q) {
        return Ok(d);
    }
    let hits: Vec<&Device> = devices
        .iter()
        .filter(|d| d.name.to_lowercase().contains(&q))
        .collect();
    match hits.as_slice() {
        [one] => Ok(one),
        [] => Err(format!(
            "no device matches {query:?}; see `spotdeck devices`"
        )),
        many => Err(format!(
            "{query:?} matches several devices: {}",
            many.iter()
                .map(|d| d.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

fn item_line(item: &PlayableItem) -> String {
    let mut line = item.display();
    if item.is_local() {
        line.push_str(" [local]");
    } else if !item.playable() {
        line.push_str(" [unavailable]");
    }
    line
}

/// `status` as text.
pub fn format_status(s: Option<&PlaybackState>) -> String {
    let Some(s) = s else {
        return "Nothing is playing (no active device).".into();
    };
    let mut out = String::new();
    let state = if s.is_playing { "Playing" } else { "Paused" };
    match &s.item {
        Some(item) if !matches!(item, PlayableItem::Unknown) => {
            out.push_str(&format!("{state}: {}\n", item_line(item)));
            let coll = item.collection_name();
            if !coll.is_empty() {
                out.push_str(&format!("From: {coll}\n"));
            }
            out.push_str(&format!(
                "Position: {} / {}\n",
                format_duration(s.progress_ms.unwrap_or(0)),
                format_duration(item.duration_ms())
            ));
        }
        _ => out.push_str(&format!(
            "{state}: (no track information — {})\n",
            s.currently_playing_type
        )),
    }
    if let Some(d) = &s.device {
        let vol = d.volume_percent.map_or("?".to_owned(), |v| format!("{v}%"));
        out.push_str(&format!("Device: {} ({}), volume {vol}\n", d.name, d.kind));
    }
    out.push_str(&format!(
        "Shuffle: {}, repeat: {}\n",
        if s.shuffle_state { "on" } else { "off" },
        s.repeat_state.as_str()
    ));
    out
}

/// `devices` as text, one per line; `*` marks the active one.
pub fn format_devices(devices: &[Device]) -> String {
    if devices.is_empty() {
        return "No devices found. Open Spotify on a device first.".into();
    }
    devices
        .iter()
        .map(|d| {
            let mark = if d.is_active { '*' } else { ' ' };
            let vol = d.volume_percent.map_or("-".to_owned(), |v| format!("{v}%"));
            let id = d.id.as_deref().unwrap_or("(no id)");
            let restricted = if d.is_restricted { " restricted" } else { "" };
            format!(
                "{mark} {}  [{}] vol {vol}{restricted}  {id}\n",
                d.name, d.kind
            )
        })
        .collect()
}

/// `queue` as text.
pub fn format_queue(q: &Queue) -> String {
    let mut out = match &q.currently_playing {
        Some(i) => format!("Now: {}\n", item_line(i)),
        None => "Now: nothing\n".to_owned(),
    };
    if q.queue.is_empty() {
        out.push_str("The queue is empty.\n");
    }
    for (n, i) in q.queue.iter().enumerate() {
        out.push_str(&format!("{:>3}. {}\n", n + 1, item_line(i)));
    }
    out
}

/// `recent` as text.
pub fn format_recent(r: &RecentlyPlayed) -> String {
    if r.items.is_empty() {
        return "Nothing played recently.".into();
    }
    r.items
        .iter()
        .map(|h| {
            let when = h
                .played_at
                .get(..16)
                .unwrap_or(&h.played_at)
                .replace('T', " ");
            format!("{when}  {} — {}\n", h.track.name, h.track.artist_names())
        })
        .collect()
}

/// `playlists` as text.
pub fn format_playlists(ps: &[SimplifiedPlaylist]) -> String {
    if ps.is_empty() {
        return "No playlists.".into();
    }
    ps.iter()
        .map(|p| {
            format!(
                "{}  ({}, by {})  {}\n",
                p.name,
                items_text(p.total() as usize),
                p.owner.label(),
                p.id
            )
        })
        .collect()
}

/// `playlist ID` as text: header, then numbered items.
pub fn format_playlist(p: &Playlist, items: &[PlaylistItem]) -> String {
    let mut out = format!(
        "{} — by {} ({})\n",
        p.name,
        p.owner.label(),
        items_text(items.len())
    );
    if let Some(d) = p.description.as_deref().filter(|d| !d.is_empty()) {
        out.push_str(&format!("{d}\n"));
    }
    for (n, it) in items.iter().enumerate() {
        let line = match &it.item {
            Some(i) => format!("{}  {}", item_line(i), format_duration(i.duration_ms())),
            None => "(unavailable)".into(),
        };
        out.push_str(&format!("{:>4}. {line}\n", n + 1));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spotify::model::Track;

    #[test]
    fn seek_arguments_parse() {
        assert_eq!(parse_seek("90"), Ok(SeekArg::Absolute(90_000)));
        assert_eq!(parse_seek("1:30"), Ok(SeekArg::Absolute(90_000)));
        assert_eq!(parse_seek("1:02:03"), Ok(SeekArg::Absolute(3_723_000)));
        assert_eq!(parse_seek("+10"), Ok(SeekArg::Relative(10_000)));
        assert_eq!(parse_seek("-0:15"), Ok(SeekArg::Relative(-15_000)));
        for bad in ["", "+", "1:60", "abc", "1:2:3:4", "-x"] {
            assert!(parse_seek(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_seek_at_or_past_the_end_is_refused_and_names_the_length() {
        let item = Some(("Golden Harbors", 150_000));
        assert_eq!(seek_target(SeekArg::Absolute(5_000), 0, item), Ok(5_000));
        let why = seek_target(SeekArg::Absolute(5_940_000), 0, item).unwrap_err();
        assert!(
            why.contains("past the end") && why.contains("2:30"),
            "{why}"
        );
        assert!(seek_target(SeekArg::Absolute(150_000), 0, item).is_err());
        assert!(seek_target(SeekArg::Relative(30_000), 130_000, item).is_err());
        assert_eq!(seek_target(SeekArg::Relative(-30_000), 10_000, item), Ok(0));
        assert_eq!(
            seek_target(SeekArg::Absolute(9_000_000), 0, None),
            Ok(9_000_000)
        );
    }

    fn dev(id: Option<&str>, name: &str) -> Device {
        Device {
            id: id.map(str::to_owned),
            name: name.into(),
            ..Device::default()
        }
    }

    #[test]
    fn devices_resolve_by_id_or_unique_name() {
        let ds = vec![
            dev(Some("a1"), "Kitchen Speaker"),
            dev(Some("b2"), "Laptop"),
            dev(None, "Living Room Speaker"),
        ];
        assert_eq!(resolve_device(&ds, "b2").unwrap().name, "Laptop");
        assert_eq!(
            resolve_device(&ds, "kitchen").unwrap().name,
            "Kitchen Speaker"
        );
        assert!(
            resolve_device(&ds, "speaker")
                .unwrap_err()
                .contains("several")
        );
        assert!(resolve_device(&ds, "tv").is_err());
    }

    #[test]
    fn formats_are_readable() {
        assert_eq!(format_duration(61_000), "1:01");
        assert_eq!(format_duration(3_723_000), "1:02:03");
        assert_eq!(
            format_status(None),
            "Nothing is playing (no active device)."
        );
        let t = Track {
            name: "Song".into(),
            duration_ms: 200_000,
            ..Track::default()
        };
        let s = PlaybackState {
            is_playing: true,
            progress_ms: Some(65_000),
            item: Some(PlayableItem::Track(t)),
            device: Some(Device {
                volume_percent: None,
                ..dev(Some("x"), "Phone")
            }),
            ..PlaybackState::default()
        };
        let text = format_status(Some(&s));
        assert!(text.starts_with("Playing: Song\n"), "{text}");
        assert!(text.contains("Position: 1:05 / 3:20"));
        assert!(text.contains("Device: Phone (), volume ?"));
        assert!(format_devices(&[dev(None, "Sonos")]).contains("(no id)"));
    }

    #[test]
    fn play_arguments_pick_context_or_uris() {
        let a = play_args(&["spotify:playlist:abc".into()], None).unwrap();
        assert_eq!(a.context_uri.as_deref(), Some("spotify:playlist:abc"));
        let a = play_args(
            &[
                "spotify:track:a".into(),
                "https://open.spotify.com/track/b".into(),
            ],
            Some("d".into()),
        )
        .unwrap();
        assert_eq!(a.uris, vec!["spotify:track:a", "spotify:track:b"]);
        assert_eq!(a.device_id.as_deref(), Some("d"));
        assert!(play_args(&["spotify:album:a".into(), "spotify:track:b".into()], None).is_err());
        assert_eq!(play_args(&[], None).unwrap(), PlayArgs::default());
    }
}
