//! `org.mpris.MediaPlayer2.spotdeck` on the session bus. Properties are read
//! from the view the screen shows; `PropertiesChanged` (and `Seeked`) is
//! emitted when the view changes; methods and setters become
//! [`RemoteCommand`]s for the reducer.

use std::time::Instant;

use mpris_server::zbus::{self, fdo};
use mpris_server::{
    LoopStatus, Metadata, PlaybackRate, PlaybackStatus, PlayerInterface, Property, RootInterface,
    Server, Signal, Time, TrackId, Volume,
};
use tokio::sync::{mpsc, watch};

use super::NowPlaying;
use crate::app::event::{Event, RemoteCommand};
use crate::app::intent::Intent;
use crate::domain::{Disallow, Playback, Repeat, Track};

/// Bus name suffix: `org.mpris.MediaPlayer2.spotdeck`.
const NAME: &str = "spotdeck";
/// A position jump larger than this (beyond the interpolated position) is a seek.
const SEEK_JUMP_MS: u64 = 2_000;

/// What the bus object reads and writes through.
#[derive(Debug, Clone)]
struct Player {
    view: watch::Receiver<NowPlaying>,
    events: mpsc::UnboundedSender<Event>,
}

impl Player {
    fn send(&self, cmd: RemoteCommand) -> fdo::Result<()> {
        self.events
            .send(Event::Desktop(cmd))
            .map_err(|_| fdo::Error::Failed("spotdeck is closing".into()))
    }

    fn playback(&self) -> Option<Playback> {
        self.view.borrow().playback.clone()
    }
}

/// Serves the bus object until the view's sender is dropped. Without a bus
/// (or when the name cannot be had) it logs once and returns.
pub(super) async fn run(
    mut view: watch::Receiver<NowPlaying>,
    events: mpsc::UnboundedSender<Event>,
) {
    let player = Player {
        view: view.clone(),
        events,
    };
    let server = match Server::new(NAME, player.clone()).await {
        Ok(s) => s,
        Err(first) => {
            // Another spotdeck has the name: take a per-process one.
            let suffix = format!("{NAME}.instance{}", std::process::id());
            match Server::new(&suffix, player).await {
                Ok(s) => s,
                Err(e) => {
                    tracing::info!("MPRIS is off: {first}; {e}");
                    return;
                }
            }
        }
    };
    tracing::info!(name = %server.bus_name(), "MPRIS ready");
    let mut last = view.borrow_and_update().playback.clone();
    let mut shown = Props::of(last.as_ref());
    loop {
        if view.changed().await.is_err() {
            return;
        }
        let now_pb = view.borrow_and_update().playback.clone();
        let props = Props::of(now_pb.as_ref());
        let changed = shown.changes(&props, now_pb.as_ref());
        if !changed.is_empty()
            && let Err(e) = server.properties_changed(changed).await
        {
            tracing::debug!("MPRIS PropertiesChanged failed: {e}");
        }
        if let Some(position) = seeked(last.as_ref(), now_pb.as_ref(), Instant::now())
            && let Err(e) = server.emit(Signal::Seeked { position }).await
        {
            tracing::debug!("MPRIS Seeked failed: {e}");
        }
        shown = props;
        last = now_pb;
    }
}

/// The new position when playback jumped within the same item.
fn seeked(old: Option<&Playback>, new: Option<&Playback>, now: Instant) -> Option<Time> {
    let (old, new) = (old?, new?);
    let same = old.item.as_ref().map(|t| &t.uri) == new.item.as_ref().map(|t| &t.uri);
    let (was, is) = (old.progress_at(now), new.progress_at(now));
    (same && new.item.is_some() && was.abs_diff(is) > SEEK_JUMP_MS).then(|| millis(is))
}

fn millis(ms: u64) -> Time {
    Time::from_millis(i64::try_from(ms).unwrap_or(i64::MAX))
}

/// The MPRIS track id of an item: an object path made from its URI.
pub fn track_id(uri: &str) -> TrackId {
    let tail: String = uri
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    TrackId::try_from(format!("/org/spotdeck/track/{tail}")).unwrap_or(TrackId::NO_TRACK)
}

/// MPRIS metadata of an item.
fn metadata(track: Option<&Track>) -> Metadata {
    let Some(t) = track else {
        return Metadata::builder().trackid(TrackId::NO_TRACK).build();
    };
    let mut b = Metadata::builder()
        .trackid(track_id(&t.uri))
        .title(t.title.clone())
        .artist(t.artists.clone())
        .album(t.album.clone())
        .length(millis(t.duration_ms))
        .url(t.uri.clone());
    if let Some(img) = t.image_for(300) {
        b = b.art_url(img.url.clone());
    }
    b.build()
}

fn status(pb: Option<&Playback>) -> PlaybackStatus {
    match pb {
        Some(p) if p.is_playing => PlaybackStatus::Playing,
        Some(p) if p.item.is_some() => PlaybackStatus::Paused,
        _ => PlaybackStatus::Stopped,
    }
}

fn loop_status(r: Repeat) -> LoopStatus {
    match r {
        Repeat::Off => LoopStatus::None,
        Repeat::Track => LoopStatus::Track,
        Repeat::Context => LoopStatus::Playlist,
    }
}

fn volume(pb: Option<&Playback>) -> Volume {
    pb.and_then(|p| p.device.as_ref())
        .and_then(|d| d.volume)
        .map_or(0.0, |v| f64::from(v) / 100.0)
}

/// The published properties, to tell which changed.
#[derive(Debug, Clone, PartialEq)]
struct Props {
    status: PlaybackStatus,
    loop_status: LoopStatus,
    shuffle: bool,
    item: Option<Track>,
    volume: Volume,
    can_next: bool,
    can_prev: bool,
    can_seek: bool,
}

impl Props {
    fn of(pb: Option<&Playback>) -> Props {
        let allowed = |what: Disallow| pb.is_some_and(|p| !p.disallows.contains(what));
        Props {
            status: status(pb),
            loop_status: loop_status(pb.map_or(Repeat::Off, |p| p.repeat)),
            shuffle: pb.is_some_and(|p| p.shuffle),
            item: pb.and_then(|p| p.item.clone()),
            volume: volume(pb),
            can_next: allowed(Disallow::SkippingNext),
            can_prev: allowed(Disallow::SkippingPrev),
            can_seek: allowed(Disallow::Seeking) && pb.is_some_and(|p| p.item.is_some()),
        }
    }

    /// The properties that differ in `new`.
    fn changes(&self, new: &Props, pb: Option<&Playback>) -> Vec<Property> {
        let mut out = Vec::new();
        if self.status != new.status {
            out.push(Property::PlaybackStatus(new.status));
        }
        if self.loop_status != new.loop_status {
            out.push(Property::LoopStatus(new.loop_status));
        }
        if self.shuffle != new.shuffle {
            out.push(Property::Shuffle(new.shuffle));
        }
        if self.item != new.item {
            out.push(Property::Metadata(metadata(
                pb.and_then(|p| p.item.as_ref()),
            )));
        }
        if self.volume != new.volume {
            out.push(Property::Volume(new.volume));
        }
        if self.can_next != new.can_next {
            out.push(Property::CanGoNext(new.can_next));
        }
        if self.can_prev != new.can_prev {
            out.push(Property::CanGoPrevious(new.can_prev));
        }
        if self.can_seek != new.can_seek {
            out.push(Property::CanSeek(new.can_seek));
        }
        out
    }
}

impl RootInterface for Player {
    async fn raise(&self) -> fdo::Result<()> {
        Err(fdo::Error::NotSupported(
            "spotdeck runs in a terminal".into(),
        ))
    }

    async fn quit(&self) -> fdo::Result<()> {
        self.send(RemoteCommand::Intent(Intent::Quit))
    }

    async fn can_quit(&self) -> fdo::Result<bool> {
        Ok(true)
    }

    async fn fullscreen(&self) -> fdo::Result<bool> {
        Ok(false)
    }

    async fn set_fullscreen(&self, _fullscreen: bool) -> zbus::Result<()> {
        Ok(())
    }

    async fn can_set_fullscreen(&self) -> fdo::Result<bool> {
        Ok(false)
    }

    async fn can_raise(&self) -> fdo::Result<bool> {
        Ok(false)
    }

    async fn has_track_list(&self) -> fdo::Result<bool> {
        Ok(false)
    }

    async fn identity(&self) -> fdo::Result<String> {
        Ok("spotdeck".into())
    }

    async fn desktop_entry(&self) -> fdo::Result<String> {
        Ok("spotdeck".into())
    }

    async fn supported_uri_schemes(&self) -> fdo::Result<Vec<String>> {
        Ok(Vec::new())
    }

    async fn supported_mime_types(&self) -> fdo::Result<Vec<String>> {
        Ok(Vec::new())
    }
}

impl PlayerInterface for Player {
    async fn next(&self) -> fdo::Result<()> {
        self.send(RemoteCommand::Intent(Intent::Next))
    }

    async fn previous(&self) -> fdo::Result<()> {
        self.send(RemoteCommand::Intent(Intent::Previous))
    }

    async fn pause(&self) -> fdo::Result<()> {
        self.send(RemoteCommand::Pause)
    }

    async fn play_pause(&self) -> fdo::Result<()> {
        self.send(RemoteCommand::Intent(Intent::PlayPause))
    }

    async fn stop(&self) -> fdo::Result<()> {
        self.send(RemoteCommand::Pause)
    }

    async fn play(&self) -> fdo::Result<()> {
        self.send(RemoteCommand::Play)
    }

    async fn seek(&self, offset: Time) -> fdo::Result<()> {
        self.send(RemoteCommand::SeekBy(offset.as_millis()))
    }

    async fn set_position(&self, track: TrackId, position: Time) -> fdo::Result<()> {
        // The spec: ignore a position for an item that is no longer playing.
        let current = self
            .playback()
            .and_then(|p| p.item)
            .map(|t| track_id(&t.uri));
        if current.as_ref() != Some(&track) || position.is_negative() {
            return Ok(());
        }
        self.send(RemoteCommand::SetPosition(
            u64::try_from(position.as_millis()).unwrap_or(0),
        ))
    }

    async fn open_uri(&self, _uri: String) -> fdo::Result<()> {
        Err(fdo::Error::NotSupported("OpenUri is not supported".into()))
    }

    async fn playback_status(&self) -> fdo::Result<PlaybackStatus> {
        Ok(status(self.playback().as_ref()))
    }

    async fn loop_status(&self) -> fdo::Result<LoopStatus> {
        Ok(loop_status(
            self.playback().map_or(Repeat::Off, |p| p.repeat),
        ))
    }

    async fn set_loop_status(&self, status: LoopStatus) -> zbus::Result<()> {
        let mode = match status {
            LoopStatus::None => Repeat::Off,
            LoopStatus::Track => Repeat::Track,
            LoopStatus::Playlist => Repeat::Context,
        };
        self.send(RemoteCommand::Repeat(mode))
            .map_err(zbus::Error::from)
    }

    async fn rate(&self) -> fdo::Result<PlaybackRate> {
        Ok(1.0)
    }

    async fn set_rate(&self, _rate: PlaybackRate) -> zbus::Result<()> {
        Ok(())
    }

    async fn shuffle(&self) -> fdo::Result<bool> {
        Ok(self.playback().is_some_and(|p| p.shuffle))
    }

    async fn set_shuffle(&self, shuffle: bool) -> zbus::Result<()> {
        self.send(RemoteCommand::Shuffle(shuffle))
            .map_err(zbus::Error::from)
    }

    async fn metadata(&self) -> fdo::Result<Metadata> {
        Ok(metadata(self.playback().and_then(|p| p.item).as_ref()))
    }

    async fn volume(&self) -> fdo::Result<Volume> {
        Ok(volume(self.playback().as_ref()))
    }

    async fn set_volume(&self, volume: Volume) -> zbus::Result<()> {
        let percent = (volume.clamp(0.0, 1.0) * 100.0).round() as u8;
        self.send(RemoteCommand::Volume(percent))
            .map_err(zbus::Error::from)
    }

    async fn position(&self) -> fdo::Result<Time> {
        Ok(millis(
            self.playback().map_or(0, |p| p.progress_at(Instant::now())),
        ))
    }

    async fn minimum_rate(&self) -> fdo::Result<PlaybackRate> {
        Ok(1.0)
    }

    async fn maximum_rate(&self) -> fdo::Result<PlaybackRate> {
        Ok(1.0)
    }

    async fn can_go_next(&self) -> fdo::Result<bool> {
        Ok(Props::of(self.playback().as_ref()).can_next)
    }

    async fn can_go_previous(&self) -> fdo::Result<bool> {
        Ok(Props::of(self.playback().as_ref()).can_prev)
    }

    async fn can_play(&self) -> fdo::Result<bool> {
        Ok(true)
    }

    async fn can_pause(&self) -> fdo::Result<bool> {
        Ok(true)
    }

    async fn can_seek(&self) -> fdo::Result<bool> {
        Ok(Props::of(self.playback().as_ref()).can_seek)
    }

    async fn can_control(&self) -> fdo::Result<bool> {
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn track_ids_are_object_paths() {
        let id = track_id("spotify:track:4uLU6hMCjMI75M1A2tKUQC");
        assert_eq!(
            id.as_str(),
            "/org/spotdeck/track/spotify_track_4uLU6hMCjMI75M1A2tKUQC"
        );
        let local = track_id("spotify:local:The+Artist:Album:A+Title%3A:215");
        assert!(
            local
                .as_str()
                .starts_with("/org/spotdeck/track/spotify_local_")
        );
    }

    #[test]
    fn a_jump_in_position_is_a_seek() {
        let now = Instant::now();
        let track = Track {
            uri: "spotify:track:1".into(),
            title: "T".into(),
            artists: vec![],
            album: String::new(),
            duration_ms: 200_000,
            kind: crate::domain::ItemKind::Track,
            images: vec![],
            is_playable: true,
        };
        let pb = Playback {
            device: None,
            item: Some(track),
            is_playing: false,
            progress_ms: 10_000,
            fetched_at: now,
            shuffle: false,
            repeat: Repeat::Off,
            context_uri: None,
            disallows: crate::domain::Disallows::default(),
        };
        let later = Playback {
            progress_ms: 90_000,
            ..pb.clone()
        };
        assert_eq!(
            seeked(Some(&pb), Some(&later), now),
            Some(Time::from_millis(90_000))
        );
        let drift = Playback {
            progress_ms: 10_500,
            ..pb.clone()
        };
        assert_eq!(seeked(Some(&pb), Some(&drift), now), None);
    }
}
