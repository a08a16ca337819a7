//! A directory of versioned cache files with a size budget: the least
//! recently used files go first when a write would exceed it. A file that is
//! damaged or written by another format version is ignored (with a log
//! line) and deleted, never trusted.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde::Serialize;
use serde::de::DeserializeOwned;

/// The first line of every cache file; bumped whenever a cached shape changes.
pub const MAGIC: &str = "spotdeck-cache v1\n";

/// File name ending of cache files (others in the directory are left alone).
const EXT: &str = "cache";

/// Cache files in one directory, at most `budget` bytes in all.
#[derive(Debug, Clone)]
pub struct Store {
    dir: PathBuf,
    budget: u64,
}

impl Store {
    /// A store in `dir` (created on the first write) keeping at most `budget` bytes.
    pub fn new(dir: impl Into<PathBuf>, budget: u64) -> Self {
        Self {
            dir: dir.into(),
            budget,
        }
    }

    /// The directory the files live in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.join(format!("{}.{EXT}", file_safe(name)))
    }

    /// Reads `name`; `None` when absent, damaged or of another version (the
    /// last two are logged and deleted). A hit counts as a use for the LRU order.
    pub fn get<T: DeserializeOwned>(&self, name: &str) -> Option<T> {
        let path = self.path(name);
        let bytes = fs::read(&path).ok()?;
        let Some(body) = bytes.strip_prefix(MAGIC.as_bytes()) else {
            tracing::warn!(file = %path.display(), "cache file of another version ignored");
            let _ = fs::remove_file(&path);
            return None;
        };
        match serde_json::from_slice(body) {
            Ok(v) => {
                touch(&path);
                Some(v)
            }
            Err(e) => {
                tracing::warn!(file = %path.display(), "damaged cache file ignored: {e}");
                let _ = fs::remove_file(&path);
                None
            }
        }
    }

    /// Writes `name` atomically, then evicts the least recently used files
    /// over the budget. A value larger than the whole budget is not kept.
    pub fn put<T: Serialize + ?Sized>(&self, name: &str, value: &T) -> std::io::Result<()> {
        let mut bytes = MAGIC.as_bytes().to_vec();
        serde_json::to_writer(&mut bytes, value).map_err(std::io::Error::other)?;
        self.put_bytes(name, &bytes)
    }

    /// Writes an already encoded file (starting with [`MAGIC`]); see [`Store::put`].
    pub fn put_bytes(&self, name: &str, bytes: &[u8]) -> std::io::Result<()> {
        let path = self.path(name);
        if bytes.len() as u64 > self.budget {
            let _ = fs::remove_file(&path);
            return Ok(());
        }
        fs::create_dir_all(&self.dir)?;
        let tmp = self
            .dir
            .join(format!(".{}.{}.tmp", file_safe(name), std::process::id()));
        let written = fs::File::create(&tmp)
            .and_then(|mut f| f.write_all(bytes))
            .and_then(|()| fs::rename(&tmp, &path));
        if written.is_err() {
            let _ = fs::remove_file(&tmp);
        }
        written?;
        self.evict(&path);
        Ok(())
    }

    /// Deletes `name` if present.
    pub fn remove(&self, name: &str) {
        let _ = fs::remove_file(self.path(name));
    }

    /// Total bytes of the cache files.
    pub fn size(&self) -> u64 {
        self.files().iter().map(|f| f.1).sum()
    }

    /// (modified, size, path) of every cache file.
    fn files(&self) -> Vec<(SystemTime, u64, PathBuf)> {
        let Ok(entries) = fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        entries
            .flatten()
            .filter(|e| e.path().extension().is_some_and(|x| x == EXT))
            .filter_map(|e| {
                let m = e.metadata().ok()?;
                Some((m.modified().ok()?, m.len(), e.path()))
            })
            .collect()
    }

    /// Removes the oldest files (never `keep`) until the total fits the budget.
    fn evict(&self, keep: &Path) {
        let mut files = self.files();
        let mut total: u64 = files.iter().map(|f| f.1).sum();
        if total <= self.budget {
            return;
        }
        files.sort_by_key(|f| f.0);
        for (_, size, path) in files {
            if total <= self.budget {
                break;
            }
            if path != keep && fs::remove_file(&path).is_ok() {
                tracing::debug!(file = %path.display(), "cache file evicted");
                total = total.saturating_sub(size);
            }
        }
    }
}

/// Marks a file as just used.
fn touch(path: &Path) {
    if let Ok(f) = fs::File::options().append(true).open(path) {
        let _ = f.set_modified(SystemTime::now());
    }
}

/// Letters, digits, `-` and `_` kept; anything else becomes `_`.
fn file_safe(name: &str) -> String {
    name.chars()
        .take(120)
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn store(budget: u64) -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::new(dir.path().join("cache"), budget);
        (dir, s)
    }

    #[test]
    fn a_value_reads_back_and_a_missing_one_is_none() {
        let (_d, s) = store(1 << 20);
        assert_eq!(s.get::<Vec<u32>>("a"), None);
        s.put("a", &vec![1u32, 2, 3]).unwrap();
        assert_eq!(s.get::<Vec<u32>>("a"), Some(vec![1, 2, 3]));
        s.remove("a");
        assert_eq!(s.get::<Vec<u32>>("a"), None);
    }

    #[test]
    fn damaged_and_foreign_files_are_ignored_and_deleted() {
        let (_d, s) = store(1 << 20);
        s.put("a", &vec![1u32]).unwrap();
        let path = s.path("a");
        fs::write(&path, format!("{MAGIC}[1, 2").as_bytes()).unwrap();
        assert_eq!(s.get::<Vec<u32>>("a"), None, "truncated JSON");
        assert!(!path.exists(), "a damaged file is deleted");
        fs::write(&path, b"spotdeck-cache v0\n[1]").unwrap();
        assert_eq!(s.get::<Vec<u32>>("a"), None, "another version");
        assert!(!path.exists());
        fs::write(&path, format!("{MAGIC}\"text\"").as_bytes()).unwrap();
        assert_eq!(s.get::<Vec<u32>>("a"), None, "another shape");
    }

    #[test]
    fn the_least_recently_used_files_go_over_the_budget() {
        let (_d, s) = store(250);
        let blob = vec![7u8; 50]; // 119 bytes per file: two fit, three do not
        s.put("old", &blob).unwrap();
        s.put("mid", &blob).unwrap();
        let t0 = SystemTime::now() - Duration::from_secs(100);
        for (name, age) in [("old", 0u64), ("mid", 10)] {
            let f = fs::File::options().append(true).open(s.path(name)).unwrap();
            f.set_modified(t0 + Duration::from_secs(age)).unwrap();
        }
        // Reading "old" makes it the most recently used.
        assert!(s.get::<Vec<u8>>("old").is_some());
        s.put("new", &blob).unwrap();
        assert!(s.size() <= 250, "{}", s.size());
        assert!(
            s.get::<Vec<u8>>("mid").is_none(),
            "least recently used evicted"
        );
        assert!(s.get::<Vec<u8>>("old").is_some());
        assert!(s.get::<Vec<u8>>("new").is_some());
    }

    #[test]
    fn a_value_over_the_whole_budget_is_not_kept() {
        let (_d, s) = store(64);
        s.put("big", &vec![0u8; 100]).unwrap();
        assert!(s.get::<Vec<u8>>("big").is_none());
        assert_eq!(s.size(), 0);
    }

    #[test]
    fn names_cannot_leave_the_directory() {
        assert_eq!(file_safe("../x/y"), "___x_y");
    }
}
