//! The application: state, the `update` reducer and the event loop.

use crate::session::Session;

/// Opens the terminal and runs the player until the user quits.
pub async fn run_tui(_session: Session) -> anyhow::Result<()> {
    anyhow::bail!("the player is not built yet")
}
