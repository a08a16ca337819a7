//! The removal journal: a small file that remembers a "remove one copy of a
//! duplicate" whose re-insert step has not been confirmed yet, so a failure,
//! a crash or a closed terminal between the two steps cannot lose the copies
//! that were meant to stay. The next start finishes what is recorded
//! ([`finish_pending`]) and says what it did or could not do.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

/// File name of the journal inside the data directory.
pub const JOURNAL_FILE: &str = "pending-removals.json";

/// One removal whose copies-to-keep are not all back yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingRemoval {
    /// Unique id of this entry.
    pub id: String,
    /// The playlist.
    pub playlist_id: String,
    /// Snapshot before the removal was sent (tells whether it happened).
    pub before_snapshot: String,
    /// True once Spotify confirmed the removal.
    pub removed: bool,
    /// Inserts still to run, in order: (position, URIs).
    pub reinserts: Vec<(u32, Vec<String>)>,
}

impl PendingRemoval {
    /// "spotify:track:a at position 3, spotify:track:b at position 7" (1-based).
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        for (pos, uris) in &self.reinserts {
            for (i, uri) in uris.iter().enumerate() {
                parts.push(format!("{uri} at position {}", *pos as usize + i + 1));
            }
        }
        parts.join(", ")
    }
}

/// The journal file; every change is written atomically under a lock.
#[derive(Debug, Clone)]
pub struct Journal {
    path: PathBuf,
}

static INSTALLED: OnceLock<Journal> = OnceLock::new();

/// Sets the journal new clients use (done once at start, in the data
/// directory); later calls keep the first.
pub fn install(journal: Journal) -> &'static Journal {
    INSTALLED.get_or_init(|| journal)
}

/// The journal installed with [`install`], if any.
pub fn installed() -> Option<&'static Journal> {
    INSTALLED.get()
}

impl Journal {
    /// A journal at `path`.
    pub fn at(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    /// The file path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Every pending entry; none when the file does not exist.
    pub fn load(&self) -> std::io::Result<Vec<PendingRemoval>> {
        match std::fs::read(&self.path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| {
                std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!("{} is damaged: {e}", self.path.display()),
                )
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
            Err(e) => Err(e),
        }
    }

    /// Adds or replaces the entry with `entry.id`.
    pub fn record(&self, entry: &PendingRemoval) -> std::io::Result<()> {
        self.change(|all| match all.iter_mut().find(|e| e.id == entry.id) {
            Some(e) => *e = entry.clone(),
            None => all.push(entry.clone()),
        })
    }

    /// Drops the entry `id` (the file goes when it is empty).
    pub fn remove(&self, id: &str) -> std::io::Result<()> {
        self.change(|all| all.retain(|e| e.id != id))
    }

    fn change(&self, f: impl FnOnce(&mut Vec<PendingRemoval>)) -> std::io::Result<()> {
        let dir = self
            .path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or_else(|| Path::new("."));
        create_private_dir(dir)?;
        let mut lock_name = self.path.as_os_str().to_os_string();
        lock_name.push(".lock");
        let lock = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(PathBuf::from(lock_name))?;
        // A few milliseconds of file I/O: a blocking lock is fine here.
        lock.lock()?;
        let mut all = self.load()?;
        f(&mut all);
        if all.is_empty() {
            return match std::fs::remove_file(&self.path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
                _ => Ok(()),
            };
        }
        let json = serde_json::to_vec_pretty(&all).map_err(std::io::Error::other)?;
        let tmp = dir.join(format!(
            ".{JOURNAL_FILE}.{}.{}.tmp",
            std::process::id(),
            rand::random::<u32>()
        ));
        let written = private_file(&tmp)
            .and_then(|mut f| f.write_all(&json).and_then(|()| f.sync_all()))
            .and_then(|()| std::fs::rename(&tmp, &self.path));
        if written.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        written
    }
}

/// Creates `dir` (and parents) readable by the user only, like the token store.
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(dir)
}

fn private_file(path: &Path) -> std::io::Result<std::fs::File> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    opts.open(path)
}

/// A new random entry id.
pub fn new_id() -> String {
    format!("{:016x}", rand::random::<u64>())
}

/// Finishes every pending removal with `client`; returns one sentence per
/// entry for the user (what was put back, or exactly what is missing).
pub async fn finish_pending(client: &super::Client, journal: &Journal) -> Vec<String> {
    let pending = match journal.load() {
        Ok(p) => p,
        Err(e) => {
            return vec![format!(
                "cannot read the removal journal {}: {e}",
                journal.path().display()
            )];
        }
    };
    let mut notes = Vec::new();
    for entry in pending {
        let items = entry.describe();
        match client.resume_removal(&entry, journal).await {
            Ok(true) => notes.push(format!(
                "Finished an interrupted removal in playlist {}: put back {items}.",
                entry.playlist_id
            )),
            Ok(false) => notes.push(format!(
                "An interrupted removal in playlist {} had not taken effect; nothing was changed.",
                entry.playlist_id
            )),
            Err(e) => notes.push(format!(
                "Could not finish an interrupted removal in playlist {} ({}). Add back by hand: {items}. \
                 spotdeck tries again at the next start.",
                entry.playlist_id,
                e.sentence()
            )),
        }
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str) -> PendingRemoval {
        PendingRemoval {
            id: id.into(),
            playlist_id: "p".into(),
            before_snapshot: "s".into(),
            removed: true,
            reinserts: vec![(0, vec!["spotify:track:a".into(), "spotify:track:b".into()])],
        }
    }

    #[test]
    fn record_update_remove_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let j = Journal::at(dir.path().join("d").join(JOURNAL_FILE));
        assert!(j.load().unwrap().is_empty());
        j.record(&entry("1")).unwrap();
        j.record(&entry("2")).unwrap();
        let mut e = entry("1");
        e.reinserts.clear();
        j.record(&e).unwrap();
        assert_eq!(j.load().unwrap(), vec![e, entry("2")]);
        j.remove("1").unwrap();
        j.remove("2").unwrap();
        assert!(!j.path().exists());
        assert_eq!(
            entry("x").describe(),
            "spotify:track:a at position 1, spotify:track:b at position 2"
        );
    }
}
