//! The stored login: `tokens.json` in the platform data directory, readable
//! only by the user (file 0600, directory 0700) and replaced atomically.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::config::{AuthFlow, Dirs};
use crate::token::{AccessToken, Secret};

/// Longest access-token lifetime believed (Spotify's is one hour).
pub const MAX_TOKEN_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);

/// File name of the token store inside the data directory.
pub const TOKENS_FILE: &str = "tokens.json";

/// What a login produced, as stored on disk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredLogin {
    /// Client id of the app that obtained the tokens.
    pub client_id: String,
    /// Flow that obtained the tokens (decides how to renew them).
    pub flow: AuthFlow,
    /// The bearer token.
    pub access_token: Secret,
    /// Long-lived token used to get new access tokens, when the flow has one.
    #[serde(default)]
    pub refresh_token: Option<Secret>,
    /// Absolute expiry of the access token in seconds since the Unix epoch.
    #[serde(default)]
    pub expires_at: Option<u64>,
    /// Granted scopes.
    #[serde(default)]
    pub scopes: Vec<String>,
}

impl StoredLogin {
    /// Expiry as a `SystemTime`; a value past what the clock can hold
    /// counts as already expired (so the token is renewed, never trusted).
    pub fn expires_at_time(&self) -> Option<SystemTime> {
        self.expires_at.map(|s| {
            UNIX_EPOCH
                .checked_add(Duration::from_secs(s))
                .unwrap_or(UNIX_EPOCH)
        })
    }

    /// Sets the expiry to `expires_in` from `now`, at most
    /// [`MAX_TOKEN_LIFETIME`] (the value comes from the network).
    pub fn set_expires_in(&mut self, now: SystemTime, expires_in: Option<Duration>) {
        self.expires_at = expires_in.map(|d| {
            let d = d.min(MAX_TOKEN_LIFETIME);
            unix_secs(now.checked_add(d).unwrap_or(now))
        });
    }

    /// True when the access token expires within `margin` of `now` (or has).
    pub fn expires_within(&self, now: SystemTime, margin: Duration) -> bool {
        self.expires_at_time().is_some_and(|t| t <= now + margin)
    }

    /// True when the login can still yield a token without user interaction:
    /// it has a refresh token, or its access token lives past `margin`.
    pub fn is_usable(&self, now: SystemTime, margin: Duration) -> bool {
        self.refresh_token.is_some() || !self.expires_within(now, margin)
    }

    /// The access token as the API client sees it.
    pub fn to_access_token(&self) -> AccessToken {
        AccessToken {
            value: self.access_token.clone(),
            expires_at: self.expires_at_time(),
            scopes: self.scopes.clone(),
        }
    }
}

/// Seconds since the Unix epoch (0 for times before it).
pub fn unix_secs(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// A problem reading or writing the token file.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// File system error.
    #[error("token file {path}: {source}")]
    Io {
        /// The path involved.
        path: PathBuf,
        /// Underlying error.
        source: std::io::Error,
    },
    /// The file exists but is not a valid token file.
    #[error(
        "the token file {path} is damaged ({message}); run `spotdeck login` to log in again (it replaces the file)"
    )]
    Corrupt {
        /// The path involved.
        path: PathBuf,
        /// Parser message (never contains the file's content).
        message: String,
    },
}

/// An exclusive advisory lock on the token store, shared by every spotdeck
/// process of the user; released when dropped.
#[derive(Debug)]
pub struct StoreLock {
    _file: std::fs::File,
}

/// The token file.
#[derive(Debug, Clone)]
pub struct TokenStore {
    path: PathBuf,
}

impl TokenStore {
    /// The store in the platform data directory.
    pub fn new(dirs: &Dirs) -> Self {
        Self::at(dirs.data.join(TOKENS_FILE))
    }

    /// A store at an explicit file path.
    pub fn at(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    /// The file path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Reads the stored login; `None` when there is no file.
    pub fn load(&self) -> Result<Option<StoredLogin>, StoreError> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => {
                return Err(StoreError::Io {
                    path: self.path.clone(),
                    source,
                });
            }
        };
        serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| StoreError::Corrupt {
                path: self.path.clone(),
                // Category and position only: serde's message could quote a token.
                message: format!("{:?} error at line {}", e.classify(), e.line()),
            })
    }

    /// Writes the login atomically (temporary file in the same directory,
    /// then rename), creating the directory with mode 0700 and the file with
    /// mode 0600.
    pub fn save(&self, login: &StoredLogin) -> Result<(), StoreError> {
        let io_err = |source| StoreError::Io {
            path: self.path.clone(),
            source,
        };
        let dir = self
            .path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or_else(|| Path::new("."));
        create_private_dir(dir).map_err(io_err)?;
        let json = serde_json::to_vec_pretty(login).map_err(|e| io_err(e.into()))?;
        let tmp = dir.join(format!(
            ".{TOKENS_FILE}.{}.{}.tmp",
            std::process::id(),
            rand::random::<u32>()
        ));
        let written =
            write_private_file(&tmp, &json).and_then(|()| std::fs::rename(&tmp, &self.path));
        if let Err(e) = written {
            let _ = std::fs::remove_file(&tmp);
            return Err(io_err(e));
        }
        tracing::debug!(path = %self.path.display(), "stored login written");
        Ok(())
    }

    /// The lock file next to the token file (never deleted: removing a lock
    /// file lets two processes lock different files).
    pub fn lock_path(&self) -> PathBuf {
        let mut name = self
            .path
            .file_name()
            .map(|n| n.to_os_string())
            .unwrap_or_else(|| TOKENS_FILE.into());
        name.push(".lock");
        self.path.with_file_name(name)
    }

    /// Takes the store's advisory lock, waiting up to `timeout` for another
    /// process to release it. Refreshes hold it from re-reading the file to
    /// writing the renewed login, so two processes never spend the same
    /// refresh token.
    pub async fn lock(&self, timeout: Duration) -> Result<StoreLock, StoreError> {
        let path = self.lock_path();
        let io_err = |source| StoreError::Io {
            path: path.clone(),
            source,
        };
        if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            create_private_dir(dir).map_err(io_err)?;
        }
        let file = open_lock_file(&path).map_err(io_err)?;
        let deadline = std::time::Instant::now() + timeout;
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(StoreLock { _file: file }),
                Err(std::fs::TryLockError::WouldBlock) if std::time::Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
                Err(std::fs::TryLockError::WouldBlock) => {
                    return Err(io_err(std::io::Error::new(
                        std::io::ErrorKind::TimedOut,
                        "another spotdeck process kept the token lock too long",
                    )));
                }
                Err(std::fs::TryLockError::Error(e)) => return Err(io_err(e)),
            }
        }
    }

    /// Deletes the file only if it still holds the refresh token `refresh`
    /// (what this process read or wrote); `Ok(false)` when it holds
    /// something else or nothing.
    pub fn delete_if_holds(&self, refresh: Option<&Secret>) -> Result<bool, StoreError> {
        match self.load() {
            Ok(Some(l)) if l.refresh_token.as_ref() == refresh => self.delete(),
            Ok(_) => Ok(false),
            Err(StoreError::Corrupt { .. }) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Deletes the file; `Ok(false)` when there was none.
    pub fn delete(&self) -> Result<bool, StoreError> {
        match std::fs::remove_file(&self.path) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(source) => Err(StoreError::Io {
                path: self.path.clone(),
                source,
            }),
        }
    }
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    if dir.is_dir() {
        return Ok(());
    }
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)
}

/// Opens (creating, 0600) the lock file; read-only when the directory does
/// not allow creating it (`flock` works on a read-only descriptor).
fn open_lock_file(path: &Path) -> std::io::Result<std::fs::File> {
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    match opts.open(path) {
        Ok(f) => Ok(f),
        Err(e) => std::fs::File::open(path).map_err(|_| e),
    }
}

fn write_private_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut file = opts.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> StoredLogin {
        StoredLogin {
            client_id: "cid".into(),
            flow: AuthFlow::Pkce,
            access_token: Secret::new("AT-1"),
            refresh_token: Some(Secret::new("RT-1")),
            expires_at: Some(2_000_000_000),
            scopes: vec!["user-read-private".into()],
        }
    }

    #[test]
    fn save_load_delete_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let store = TokenStore::at(dir.path().join("sub/dir/tokens.json"));
        assert_eq!(store.load().unwrap(), None);
        store.save(&sample()).unwrap();
        assert_eq!(store.load().unwrap(), Some(sample()));
        let mut second = sample();
        second.access_token = Secret::new("AT-2");
        store.save(&second).unwrap();
        assert_eq!(store.load().unwrap(), Some(second));
        let leftovers: Vec<_> = std::fs::read_dir(store.path().parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from(TOKENS_FILE)]);
        assert!(store.delete().unwrap());
        assert!(!store.delete().unwrap());
    }

    #[cfg(unix)]
    #[test]
    fn file_is_0600_and_new_dir_0700() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let store = TokenStore::at(dir.path().join("data/tokens.json"));
        store.save(&sample()).unwrap();
        let mode = std::fs::metadata(store.path())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        let dmode = std::fs::metadata(dir.path().join("data"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(dmode & 0o777, 0o700);
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_in_place_of_the_file_is_replaced_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("elsewhere");
        std::fs::write(&target, "keep").unwrap();
        let path = dir.path().join("tokens.json");
        std::os::unix::fs::symlink(&target, &path).unwrap();
        TokenStore::at(&path).save(&sample()).unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep");
        assert!(!std::fs::symlink_metadata(&path).unwrap().is_symlink());
    }

    #[tokio::test]
    async fn the_lock_is_exclusive_and_released_on_drop() {
        let dir = tempfile::tempdir().unwrap();
        let store = TokenStore::at(dir.path().join("d/tokens.json"));
        let held = store.lock(Duration::from_secs(1)).await.unwrap();
        let err = store.lock(Duration::from_millis(100)).await.unwrap_err();
        assert!(err.to_string().contains("kept the token lock"), "{err}");
        drop(held);
        store.lock(Duration::from_secs(1)).await.unwrap();
        assert!(store.lock_path().ends_with("tokens.json.lock"));
    }

    #[test]
    fn corrupt_file_error_does_not_quote_content() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tokens.json");
        std::fs::write(&path, "{\"access_token\": \"SECRETVALUE\"").unwrap();
        let err = TokenStore::at(&path).load().unwrap_err().to_string();
        assert!(!err.contains("SECRETVALUE"), "{err}");
        assert!(err.contains("damaged"), "{err}");
    }

    #[test]
    fn usability_and_expiry() {
        let now = UNIX_EPOCH + Duration::from_secs(1_000);
        let mut l = sample();
        l.expires_at = Some(1_030);
        assert!(l.expires_within(now, Duration::from_secs(60)));
        assert!(l.is_usable(now, Duration::from_secs(60)));
        l.refresh_token = None;
        assert!(!l.is_usable(now, Duration::from_secs(60)));
        l.set_expires_in(now, Some(Duration::from_secs(3600)));
        assert_eq!(l.expires_at, Some(4_600));
        assert!(l.is_usable(now, Duration::from_secs(60)));
        // Absurd values from the network or the file never panic.
        l.set_expires_in(now, Some(Duration::from_secs(u64::MAX)));
        assert_eq!(l.expires_at, Some(1_000 + 24 * 3600));
        l.expires_at = Some(u64::MAX);
        assert!(l.expires_within(now, Duration::ZERO));
    }
}
