//! Event hooks: `[hooks]` shell commands run on track change, play/pause and
//! device change, with the event in `SPOTDECK_*` environment variables.
//! They run in the background (never blocking the loop), their output goes
//! to the log, and a failing hook is reported on the status line once.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use tokio::sync::{mpsc, watch};

use super::NowPlaying;
use crate::app::event::Event;
use crate::config::HooksConfig;
use crate::domain::Playback;

/// A hook is stopped if it runs longer than this.
const HOOK_TIMEOUT: Duration = Duration::from_secs(60);

/// A player event a hook can run on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HookEvent {
    /// The playing item changed.
    TrackChange,
    /// Playback started or resumed.
    Play,
    /// Playback paused.
    Pause,
    /// Playback moved to another device.
    DeviceChange,
}

impl HookEvent {
    /// `SPOTDECK_EVENT` value.
    pub fn name(self) -> &'static str {
        match self {
            HookEvent::TrackChange => "track_change",
            HookEvent::Play => "play",
            HookEvent::Pause => "pause",
            HookEvent::DeviceChange => "device_change",
        }
    }

    /// The `[hooks]` key that holds its command.
    fn key(self) -> &'static str {
        match self {
            HookEvent::TrackChange => "on_track_change",
            HookEvent::Play | HookEvent::Pause => "on_play_pause",
            HookEvent::DeviceChange => "on_device_change",
        }
    }

    fn slot(self) -> usize {
        match self {
            HookEvent::TrackChange => 0,
            HookEvent::Play | HookEvent::Pause => 1,
            HookEvent::DeviceChange => 2,
        }
    }

    fn command(self, cfg: &HooksConfig) -> &str {
        match self {
            HookEvent::TrackChange => &cfg.on_track_change,
            HookEvent::Play | HookEvent::Pause => &cfg.on_play_pause,
            HookEvent::DeviceChange => &cfg.on_device_change,
        }
    }
}

/// True when any hook is configured.
pub(super) fn any(cfg: &HooksConfig) -> bool {
    [
        &cfg.on_track_change,
        &cfg.on_play_pause,
        &cfg.on_device_change,
    ]
    .iter()
    .any(|c| !c.trim().is_empty())
}

/// The events between two playback states, in the order hooks run.
pub fn hook_events(old: Option<&Playback>, new: Option<&Playback>) -> Vec<HookEvent> {
    let uri = |p: Option<&Playback>| p.and_then(|p| p.item.as_ref()).map(|t| t.uri.clone());
    let playing = |p: Option<&Playback>| p.is_some_and(|p| p.is_playing);
    let device = |p: Option<&Playback>| {
        p.and_then(|p| p.device.as_ref())
            .map(|d| (d.id.clone(), d.name.clone()))
    };
    let mut out = Vec::new();
    if uri(old) != uri(new) && uri(new).is_some() {
        out.push(HookEvent::TrackChange);
    }
    if playing(old) != playing(new) {
        out.push(if playing(new) {
            HookEvent::Play
        } else {
            HookEvent::Pause
        });
    }
    if device(old) != device(new) && device(new).is_some() {
        out.push(HookEvent::DeviceChange);
    }
    out
}

/// The environment a hook runs with.
pub fn hook_env(ev: HookEvent, pb: Option<&Playback>, now: Instant) -> Vec<(&'static str, String)> {
    let mut env = vec![("SPOTDECK_EVENT", ev.name().to_string())];
    let Some(pb) = pb else {
        env.push(("SPOTDECK_PLAYING", "false".into()));
        return env;
    };
    env.push(("SPOTDECK_PLAYING", pb.is_playing.to_string()));
    env.push(("SPOTDECK_POSITION_MS", pb.progress_at(now).to_string()));
    if let Some(t) = &pb.item {
        env.push(("SPOTDECK_TITLE", t.title.clone()));
        env.push(("SPOTDECK_ARTISTS", t.artist_line()));
        env.push(("SPOTDECK_ALBUM", t.album.clone()));
        env.push(("SPOTDECK_URI", t.uri.clone()));
        env.push(("SPOTDECK_DURATION_MS", t.duration_ms.to_string()));
        if let Some(img) = t.image_for(300) {
            env.push(("SPOTDECK_ART_URL", img.url.clone()));
        }
    }
    if let Some(d) = &pb.device {
        env.push(("SPOTDECK_DEVICE", d.name.clone()));
        if let Some(id) = &d.id {
            env.push(("SPOTDECK_DEVICE_ID", id.clone()));
        }
        if let Some(v) = d.volume {
            env.push(("SPOTDECK_VOLUME", v.to_string()));
        }
    }
    if let Some(c) = &pb.context_uri {
        env.push(("SPOTDECK_CONTEXT_URI", c.clone()));
    }
    env
}

/// Watches the view and runs the configured hooks on each event.
pub(super) async fn run(
    cfg: HooksConfig,
    mut view: watch::Receiver<NowPlaying>,
    events: mpsc::UnboundedSender<Event>,
) {
    let reported = Arc::new(Reported::default());
    let mut last: Option<Playback> = None;
    loop {
        let now = view.borrow_and_update().playback.clone();
        for ev in hook_events(last.as_ref(), now.as_ref()) {
            let command = ev.command(&cfg).trim().to_string();
            if command.is_empty() {
                continue;
            }
            let env = hook_env(ev, now.as_ref(), Instant::now());
            let reported = Arc::clone(&reported);
            let events = events.clone();
            tokio::spawn(async move {
                if let Err(why) = run_one(ev, &command, env).await {
                    tracing::warn!(hook = ev.key(), "{why}");
                    if reported.first(ev) {
                        super::notice(&events, format!("Hook {} {why}; see the log.", ev.key()));
                    }
                }
            });
        }
        last = now;
        if view.changed().await.is_err() {
            return;
        }
    }
}

/// Which hooks have had a failure reported (each is reported once).
#[derive(Debug, Default)]
struct Reported([AtomicBool; 3]);

impl Reported {
    /// True the first time `ev`'s hook fails.
    fn first(&self, ev: HookEvent) -> bool {
        !self.0[ev.slot()].swap(true, Ordering::Relaxed)
    }
}

/// Runs one hook to its end; the error says how it failed.
async fn run_one(
    ev: HookEvent,
    command: &str,
    env: Vec<(&'static str, String)>,
) -> Result<(), String> {
    let mut cmd = tokio::process::Command::new("sh");
    cmd.arg("-c")
        .arg(command)
        .envs(env)
        .stdin(std::process::Stdio::null())
        .kill_on_drop(true);
    let out = match tokio::time::timeout(HOOK_TIMEOUT, cmd.output()).await {
        Ok(Ok(out)) => out,
        Ok(Err(e)) => return Err(format!("could not start: {e}")),
        Err(_) => {
            return Err(format!(
                "ran longer than {} s and was stopped",
                HOOK_TIMEOUT.as_secs()
            ));
        }
    };
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    tracing::info!(
        hook = ev.key(),
        event = ev.name(),
        status = %out.status,
        stdout = %stdout.trim_end(),
        stderr = %stderr.trim_end(),
        "hook finished"
    );
    if out.status.success() {
        Ok(())
    } else {
        Err(format!("failed ({})", out.status))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Device, ItemKind, Repeat, Track};

    fn pb(uri: &str, playing: bool, device: &str) -> Playback {
        Playback {
            device: Some(Device {
                id: Some(device.into()),
                name: format!("Dev {device}"),
                kind: "Computer".into(),
                is_active: true,
                is_restricted: false,
                volume: Some(40),
                supports_volume: true,
            }),
            item: Some(Track {
                uri: uri.into(),
                title: "Golden Harbors".into(),
                artists: vec!["A".into(), "B".into()],
                album: "Al".into(),
                duration_ms: 150_000,
                kind: ItemKind::Track,
                images: vec![],
                is_playable: true,
            }),
            is_playing: playing,
            progress_ms: 1_000,
            fetched_at: Instant::now(),
            shuffle: false,
            repeat: Repeat::Off,
            context_uri: Some("spotify:album:x".into()),
            disallows: crate::domain::Disallows::default(),
        }
    }

    #[test]
    fn events_between_states() {
        let a = pb("spotify:track:1", false, "d1");
        assert_eq!(
            hook_events(None, Some(&a)),
            vec![HookEvent::TrackChange, HookEvent::DeviceChange]
        );
        assert!(hook_events(Some(&a), Some(&a)).is_empty());
        let b = pb("spotify:track:2", true, "d1");
        assert_eq!(
            hook_events(Some(&a), Some(&b)),
            vec![HookEvent::TrackChange, HookEvent::Play]
        );
        let c = pb("spotify:track:2", false, "d2");
        assert_eq!(
            hook_events(Some(&b), Some(&c)),
            vec![HookEvent::Pause, HookEvent::DeviceChange]
        );
        assert_eq!(hook_events(Some(&b), None), vec![HookEvent::Pause]);
    }

    #[test]
    fn env_carries_the_event() {
        let a = pb("spotify:track:1", true, "d1");
        let env = hook_env(HookEvent::TrackChange, Some(&a), Instant::now());
        let get = |k: &str| env.iter().find(|(n, _)| *n == k).map(|(_, v)| v.as_str());
        assert_eq!(get("SPOTDECK_EVENT"), Some("track_change"));
        assert_eq!(get("SPOTDECK_TITLE"), Some("Golden Harbors"));
        assert_eq!(get("SPOTDECK_ARTISTS"), Some("A, B"));
        assert_eq!(get("SPOTDECK_URI"), Some("spotify:track:1"));
        assert_eq!(get("SPOTDECK_DEVICE_ID"), Some("d1"));
        assert_eq!(get("SPOTDECK_VOLUME"), Some("40"));
        assert_eq!(get("SPOTDECK_PLAYING"), Some("true"));
    }

    #[tokio::test]
    async fn a_failing_hook_is_reported_once_and_output_is_kept_off_the_screen() {
        let cfg = HooksConfig {
            on_track_change: "echo on-stdout; exit 3".into(),
            ..HooksConfig::default()
        };
        let (tx, rx) = watch::channel(NowPlaying::default());
        let (events_tx, mut events_rx) = mpsc::unbounded_channel();
        let task = tokio::spawn(run(cfg, rx, events_tx));
        for n in 1..=3 {
            tx.send_replace(NowPlaying {
                playback: Some(pb(&format!("spotify:track:{n}"), true, "d1")),
                art: None,
            });
            tokio::task::yield_now().await;
        }
        let first = tokio::time::timeout(Duration::from_secs(10), events_rx.recv())
            .await
            .expect("a notice arrives")
            .expect("channel open");
        let Event::Notice(text) = first else {
            panic!("unexpected {first:?}");
        };
        assert!(text.contains("on_track_change"), "{text}");
        assert!(text.contains("exit status: 3"), "{text}");
        assert!(!text.contains("on-stdout"), "{text}");
        task.abort();
    }

    #[test]
    fn each_hook_is_reported_once() {
        let r = Reported::default();
        assert!(r.first(HookEvent::TrackChange));
        assert!(!r.first(HookEvent::TrackChange));
        assert!(r.first(HookEvent::Pause));
        assert!(!r.first(HookEvent::Play), "play and pause share one hook");
        assert!(r.first(HookEvent::DeviceChange));
    }
}
