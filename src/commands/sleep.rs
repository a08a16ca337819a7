//! `spotdeck sleep 30m|end-of-track`: waits in the foreground, then pauses
//! whatever device is playing, driving the same timer as the TUI's `z`.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::app::sleep::{Observed, SleepAction, SleepTarget, SleepTimer};
use crate::config::Config;
use crate::spotify::model::{PlaybackState, RepeatState};
use crate::spotify::{ApiError, Client};
use crate::token::TokenSource;

/// Playback is read again this often while waiting…
const POLL: Duration = Duration::from_secs(5);
/// …and this often near the end or while fading.
const POLL_NEAR: Duration = Duration::from_secs(1);
/// The timer is stepped this often between reads.
const STEP: Duration = Duration::from_millis(250);

/// Playback as read at one moment.
#[derive(Debug, Default)]
struct Snapshot {
    playing: bool,
    item_uri: Option<String>,
    progress_ms: u64,
    duration_ms: Option<u64>,
    context_uri: Option<String>,
    last_in_context: bool,
    volume: Option<u8>,
    at: Option<Instant>,
}

impl Snapshot {
    fn observed(&self, now: Instant) -> Observed<'_> {
        let elapsed = match (self.playing, self.at) {
            (true, Some(at)) => now.saturating_duration_since(at).as_millis() as u64,
            _ => 0,
        };
        Observed {
            playing: self.playing,
            item_uri: self.item_uri.as_deref(),
            remaining_ms: self
                .duration_ms
                .map(|d| d.saturating_sub(self.progress_ms + elapsed)),
            context_uri: self.context_uri.as_deref(),
            last_in_context: self.last_in_context,
            volume: self.volume,
            busy: false,
        }
    }
}

async fn read(client: &Client, target: SleepTarget) -> Result<Snapshot, ApiError> {
    let Some(s) = client.playback_state().await? else {
        return Ok(Snapshot::default());
    };
    let at = Instant::now();
    let last_in_context = if target == SleepTarget::EndOfContext {
        s.repeat_state == RepeatState::Off && client.queue().await?.queue.is_empty()
    } else {
        false
    };
    Ok(snapshot(s, last_in_context, at))
}

fn snapshot(s: PlaybackState, last_in_context: bool, at: Instant) -> Snapshot {
    let item = s.item.as_ref().filter(|i| !i.uri().is_empty());
    Snapshot {
        playing: s.is_playing,
        item_uri: item.map(|i| i.uri().to_string()),
        progress_ms: s.progress_ms.unwrap_or(0),
        duration_ms: item.map(|i| i.duration_ms()).filter(|d| *d > 0),
        context_uri: s.context.map(|c| c.uri).filter(|u| !u.is_empty()),
        last_in_context,
        volume: s
            .device
            .filter(|d| d.supports_volume)
            .and_then(|d| d.volume_percent),
        at: Some(at),
    }
}

/// Runs the timer to its end; exit 0 once paused, 2 for a bad time, 1 when Spotify refuses.
pub async fn run(
    when: &str,
    fade_secs: u64,
    config: &Config,
    tokens: Arc<dyn TokenSource>,
) -> anyhow::Result<ExitCode> {
    let target = match SleepTarget::parse(when) {
        Ok(t) => t,
        Err(why) => {
            eprintln!("spotdeck: {why}");
            return Ok(ExitCode::from(2));
        }
    };
    let client = Client::new(&config.spotify.api_base, tokens)?;
    match wait_and_pause(&client, target, Duration::from_secs(fade_secs)).await {
        Ok(true) => {
            println!("Paused. Good night.");
            Ok(ExitCode::SUCCESS)
        }
        Ok(false) => {
            println!("Nothing was playing by then; nothing to pause.");
            Ok(ExitCode::SUCCESS)
        }
        Err(why) => {
            eprintln!("spotdeck: {why}");
            Ok(ExitCode::from(1))
        }
    }
}

/// Waits for the timer; true when it paused something.
async fn wait_and_pause(
    client: &Client,
    target: SleepTarget,
    fade: Duration,
) -> Result<bool, String> {
    let sentence = |e: ApiError| e.sentence();
    let mut snap = read(client, target).await.map_err(sentence)?;
    let mut timer = SleepTimer::new(target, fade, Instant::now(), &snap.observed(Instant::now()))?;
    eprintln!("spotdeck: pausing {} (ctrl-c cancels).", target.label());
    let mut next_read = Instant::now() + POLL;
    let mut paused = false;
    loop {
        let now = Instant::now();
        let actions = timer.step(now, &snap.observed(now));
        for a in actions {
            match a {
                SleepAction::Volume(v) => {
                    if let Err(e) = client.volume(v, None).await {
                        tracing::warn!("sleep timer could not set the volume: {}", e.sentence());
                    }
                }
                SleepAction::Pause => {
                    client.pause(None).await.map_err(sentence)?;
                    paused = true;
                }
                SleepAction::Finished => return Ok(paused),
            }
        }
        let near = timer
            .remaining(now, &snap.observed(now))
            .is_some_and(|left| left <= fade + POLL);
        if now >= next_read {
            snap = read(client, target).await.map_err(sentence)?;
            next_read = Instant::now() + if near { POLL_NEAR } else { POLL };
        }
        tokio::select! {
            _ = tokio::time::sleep(STEP) => {}
            _ = tokio::signal::ctrl_c() => {
                if let Some(v) = timer.cancel() {
                    let _ = client.volume(v, None).await;
                }
                return Err("cancelled; nothing was paused.".into());
            }
        }
    }
}
