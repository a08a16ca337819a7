//! Logging to a file (the terminal is the screen, so nothing goes to stdout).

use std::path::{Path, PathBuf};

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::EnvFilter;

/// Lines queued for the log-writing thread before a caller waits.
const LOG_QUEUE_LINES: usize = 1024;

/// Starts logging to `file` with `level` as an env-filter directive.
/// A missing directory is created private (0700) and the file is created
/// readable by the user only (0600).
/// Keep the returned guard alive until exit so the last lines are flushed.
pub fn init(file: &Path, level: &str) -> anyhow::Result<WorkerGuard> {
    let dir = file.parent().unwrap_or_else(|| Path::new("."));
    create_private(dir, file)?;
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "spotdeck.log".into());
    let appender = tracing_appender::rolling::never(dir, name);
    // The default queue of 128,000 lines is preallocated (about 4 MB, a
    // quarter of the app's memory); 1,024 lines is ample for a UI that logs
    // a few lines a second. When the writer falls that far behind, the
    // caller waits instead of losing lines.
    let (writer, guard) = tracing_appender::non_blocking::NonBlockingBuilder::default()
        .buffered_lines_limit(LOG_QUEUE_LINES)
        .lossy(false)
        .finish(appender);
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

#[cfg(unix)]
fn create_private(dir: &Path, file: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
    if !dir.is_dir() {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)?;
    }
    std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .mode(0o600)
        .open(file)
        .map(drop)
}

#[cfg(not(unix))]
fn create_private(dir: &Path, _file: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)
}

/// Makes spotdeck's own state directory private (0700), also when an older
/// version created it 0755. Only for the default directory, never a
/// directory named in `[log] file`.
pub fn make_state_dir_private(state_dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        if state_dir.is_dir() {
            std::fs::set_permissions(state_dir, std::fs::Permissions::from_mode(0o700))?;
        } else {
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(state_dir)?;
        }
    }
    #[cfg(not(unix))]
    std::fs::create_dir_all(state_dir)?;
    Ok(())
}

/// The log file to use: the configured one, or `spotdeck.log` in `state_dir`.
pub fn log_path(configured: &str, state_dir: &Path) -> PathBuf {
    if configured.is_empty() {
        state_dir.join("spotdeck.log")
    } else {
        PathBuf::from(configured)
    }
}
