//! The poller: sleeps until the next due poll of the reducer's plan, then
//! says so; re-reads the plan whenever it changes.

use std::time::Duration;

use tokio::sync::{mpsc, watch};

use crate::app::action::PollPlan;
use crate::app::event::PollKind;

/// Runs until the plan's sender or the receiver of `tx` is gone.
pub async fn run(mut plan_rx: watch::Receiver<PollPlan>, tx: mpsc::UnboundedSender<PollKind>) {
    loop {
        let plan = *plan_rx.borrow_and_update();
        let (at, kind) = if plan.playback_at <= plan.devices_at {
            (plan.playback_at, PollKind::Playback)
        } else {
            (plan.devices_at, PollKind::Devices)
        };
        tokio::select! {
            _ = tokio::time::sleep_until(at.into()) => {
                if tx.send(kind).is_err() {
                    return;
                }
                // The loop answers with a new plan; re-check after a while regardless.
                if let Ok(Err(_)) =
                    tokio::time::timeout(Duration::from_secs(5), plan_rx.changed()).await
                {
                    return;
                }
            }
            changed = plan_rx.changed() => {
                if changed.is_err() {
                    return;
                }
            }
        }
    }
}
