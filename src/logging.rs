//! Logging to a file (the terminal is the screen, so nothing goes to stdout).

use std::path::{Path, PathBuf};

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::EnvFilter;

/// Starts logging to `file` with `level` as an env-filter directive.
/// Keep the returned guard alive until exit so the last lines are flushed.
pub fn init(file: &Path, level: &str) -> anyhow::Result<WorkerGuard> {
    let dir = file.parent().unwrap_or_else(|| Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "spotdeck.log".into());
    let appender = tracing_appender::rolling::never(dir, name);
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let filter = EnvFilter::try_new(format!("{level},hyper=warn,reqwest=warn,h2=warn"))
        .or_else(|_| EnvFilter::try_new("info"))?;
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(false)
        .with_target(true)
        .try_init()
        .map_err(|e| anyhow::anyhow!("logging already initialised: {e}"))?;
    Ok(guard)
}

/// The log file to use: the configured one, or `spotdeck.log` in `state_dir`.
pub fn log_path(configured: &str, state_dir: &Path) -> PathBuf {
    if configured.is_empty() {
        state_dir.join("spotdeck.log")
    } else {
        PathBuf::from(configured)
    }
}
