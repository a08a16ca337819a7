//! Scripting subcommands: the controller without the TUI.

use std::process::ExitCode;
use std::sync::Arc;

use crate::cli::Command;
use crate::config::Config;
use crate::token::TokenSource;

/// Runs one scripting subcommand; prints plain text or JSON.
pub async fn run(
    _cmd: &Command,
    _json: bool,
    _config: &Config,
    _tokens: Arc<dyn TokenSource>,
) -> anyhow::Result<ExitCode> {
    anyhow::bail!("scripting subcommands are not built yet")
}
