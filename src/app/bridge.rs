//! The bridge between the app's actions and the Web API worker: turns
//! [`Action`]s into client calls and answers into [`Event`]s, converting wire
//! models into the app's domain types.

use std::sync::Arc;

use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use super::action::Action;
use super::event::Event;
use crate::config::Config;
use crate::token::TokenSource;

/// Starts the bridge task.
pub fn spawn(
    _config: &Config,
    _tokens: Arc<dyn TokenSource>,
    mut actions: mpsc::UnboundedReceiver<Action>,
    _events: mpsc::UnboundedSender<Event>,
    cancel: CancellationToken,
) -> anyhow::Result<JoinHandle<()>> {
    Ok(tokio::spawn(async move {
        loop {
            tokio::select! {
                _ = cancel.cancelled() => return,
                a = actions.recv() => if a.is_none() { return },
            }
        }
    }))
}
