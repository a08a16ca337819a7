//! Commands from the desktop (MPRIS, media keys) and notes from hooks. They
//! reuse the key paths, so optimistic updates, rollbacks and the rate
//! limiter apply to them exactly as to keys.

use std::time::Instant;

use super::on_intent;
use super::player::{player_command, seek_to, set_repeat, set_volume};
use crate::app::action::Action;
use crate::app::event::RemoteCommand;
use crate::app::intent::Intent;
use crate::app::state::AppState;

/// Applies one command from the desktop.
pub(super) fn on_desktop(
    state: &mut AppState,
    cmd: RemoteCommand,
    now: Instant,
    out: &mut Vec<Action>,
) {
    state.dirty = true;
    tracing::debug!(?cmd, "desktop command");
    let playing = state.playback.as_ref().map(|p| p.is_playing);
    match cmd {
        RemoteCommand::Intent(intent) => on_intent(state, intent, now, out),
        RemoteCommand::Play => {
            if playing != Some(true) {
                player_command(state, Intent::PlayPause, now, out);
            }
        }
        RemoteCommand::Pause => {
            if playing == Some(true) {
                player_command(state, Intent::PlayPause, now, out);
            }
        }
        _ if playing.is_none() => state.info("Nothing is playing.", now),
        RemoteCommand::SeekBy(delta) => {
            let pos = state
                .playback
                .as_ref()
                .map_or(0, |p| p.progress_at(now))
                .saturating_add_signed(delta);
            seek_to(state, pos, now, out);
        }
        RemoteCommand::SetPosition(ms) => seek_to(state, ms, now, out),
        RemoteCommand::Volume(v) => set_volume(state, v.min(100), now, out),
        RemoteCommand::Shuffle(on) => {
            if state.playback.as_ref().is_some_and(|p| p.shuffle != on) {
                player_command(state, Intent::Shuffle, now, out);
            }
        }
        RemoteCommand::Repeat(mode) => {
            if state.playback.as_ref().is_some_and(|p| p.repeat != mode) {
                set_repeat(state, mode, now, out);
            }
        }
    }
}
