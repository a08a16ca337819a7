//! The one tmux harness: runs the real binary in a detached session on a
//! private tmux server (`-L`), types keys with `send-keys`, reads the screen
//! with `capture-pane`. [`App`]'s `Drop` kills the server, also when an
//! assertion fails half-way through a test.

use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use spotdeck::sim::SimHandle;

/// The spotdeck binary Cargo built for this test or bench.
pub const BIN: &str = env!("CARGO_BIN_EXE_spotdeck");

/// How the app's process is started inside the pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Launch {
    /// `exec` the app: the pane's pid is the app's pid; the session ends on exit.
    Exec,
    /// Run it from a shell that prints `EXITED=<code>` afterwards and stays,
    /// so the restored terminal can be inspected.
    Shell,
}

/// A private tmux server with one session (`app`) running spotdeck.
pub struct App {
    socket: String,
    /// The server's socket file, removed with the server.
    socket_path: Option<PathBuf>,
    home: tempfile::TempDir,
}

/// Asserts tmux is installed.
pub fn require_tmux() {
    let have = Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(have, "tmux is required (apt-get install tmux)");
}

fn unique() -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("{}-{n}-{nanos}", std::process::id())
}

/// The environment that points the app at `sim` with a user token holding every scope.
pub fn sim_env(sim: &SimHandle) -> Vec<(&'static str, String)> {
    vec![
        ("SPOTDECK_API_BASE", sim.api_base()),
        ("SPOTDECK_ACCOUNTS_BASE", sim.accounts_base()),
        ("SPOTDECK_ACCESS_TOKEN", sim.issue_full_token()),
    ]
}

impl App {
    /// Starts `bin` in a `w`×`h` session pointed at `sim` (a user token with every scope).
    pub fn start(
        bin: &str,
        sim: &SimHandle,
        size: (u16, u16),
        launch: Launch,
        extra_env: &[(&str, String)],
    ) -> App {
        let mut env = sim_env(sim);
        env.extend(extra_env.iter().map(|(k, v)| (*k, v.clone())));
        App::launch(temp_home(), bin, size, launch, &env, &[])
    }

    /// Starts `spotdeck --demo` (its own simulator) from a shell, with `extra_env`.
    pub fn demo(size: (u16, u16), extra_env: &[(&str, String)]) -> App {
        let mut env = vec![("RUST_BACKTRACE", "0".to_string())];
        env.extend(extra_env.iter().map(|(k, v)| (*k, v.clone())));
        App::launch(
            temp_home(),
            BIN,
            size,
            Launch::Shell,
            &env,
            &["--demo", "--images", "halfblocks"],
        )
    }

    /// Starts `bin args` with `SPOTDECK_HOME=home` and `env` (later entries win).
    pub fn launch(
        home: tempfile::TempDir,
        bin: &str,
        (w, h): (u16, u16),
        launch: Launch,
        env: &[(&str, String)],
        args: &[&str],
    ) -> App {
        require_tmux();
        // The guard exists before the server does: a failed start is cleaned up too.
        let mut app = App {
            socket: format!("spotdeck-test-{}", unique()),
            socket_path: None,
            home,
        };
        let mut all = vec![
            ("SPOTDECK_HOME", app.home.path().display().to_string()),
            ("SPOTDECK_IMAGES", "halfblocks".to_string()),
            ("SPOTDECK_LOG", "debug".to_string()),
            ("TERM", "xterm-256color".to_string()),
        ];
        all.extend(env.iter().map(|(k, v)| (*k, v.clone())));
        let mut cmd = String::new();
        if launch == Launch::Exec {
            cmd.push_str("exec ");
        }
        cmd.push_str("env");
        for (k, v) in &all {
            cmd.push_str(&format!(" {k}='{v}'"));
        }
        cmd.push_str(&format!(" '{bin}'"));
        for a in args {
            cmd.push_str(&format!(" '{a}'"));
        }
        if launch == Launch::Shell {
            cmd.push_str("; echo EXITED=$?; sleep 120");
        }
        let ok = app
            .tmux(&[
                "-f",
                "/dev/null",
                "new-session",
                "-d",
                "-s",
                "app",
                "-x",
                &w.to_string(),
                "-y",
                &h.to_string(),
                &cmd,
            ])
            .is_some();
        assert!(ok, "tmux new-session failed");
        app.socket_path = app
            .tmux(&["display-message", "-p", "#{socket_path}"])
            .map(|s| PathBuf::from(s.trim()));
        app
    }

    fn tmux(&self, args: &[&str]) -> Option<String> {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
    }

    /// Sends keys (tmux key names), pausing `gap` after each.
    pub fn keys_with_gap(&self, keys: &[&str], gap: Duration) {
        for k in keys {
            assert!(
                self.tmux(&["send-keys", "-t", "app", k]).is_some(),
                "send-keys {k}"
            );
            std::thread::sleep(gap);
        }
    }

    /// Sends keys with a short pause after each.
    pub fn keys(&self, keys: &[&str]) {
        self.keys_with_gap(keys, Duration::from_millis(60));
    }

    /// The visible screen text.
    pub fn screen(&self) -> String {
        self.tmux(&["capture-pane", "-p", "-t", "app"])
            .unwrap_or_default()
    }

    /// Waits up to `timeout` until `cond` holds for the screen; returns the screen or `Err(screen)`.
    pub fn wait_screen_within(
        &self,
        timeout: Duration,
        mut cond: impl FnMut(&str) -> bool,
    ) -> Result<String, String> {
        let deadline = Instant::now() + timeout;
        loop {
            let s = self.screen();
            if cond(&s) {
                return Ok(s);
            }
            if Instant::now() >= deadline {
                return Err(s);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits (15 s) until `cond` holds for the screen, or fails naming `what`.
    pub fn wait_screen(&self, what: &str, cond: impl FnMut(&str) -> bool) -> String {
        self.wait_screen_within(Duration::from_secs(15), cond)
            .unwrap_or_else(|s| panic!("screen never showed {what}; it shows:\n{s}"))
    }

    /// Waits up to `timeout` until the screen contains `text`; returns the screen or `Err(screen)`.
    pub fn wait_for_within(&self, text: &str, timeout: Duration) -> Result<String, String> {
        self.wait_screen_within(timeout, |s| s.contains(text))
    }

    /// Waits (15 s) until the screen contains `text`, or fails.
    pub fn wait_for(&self, text: &str) -> String {
        self.wait_screen(&format!("{text:?}"), |s| s.contains(text))
    }

    /// The screen line holding `text`, if any.
    pub fn line_with(&self, text: &str) -> Option<String> {
        self.screen()
            .lines()
            .find(|l| l.contains(text))
            .map(str::to_string)
    }

    /// Whether the tmux session still exists.
    pub fn alive(&self) -> bool {
        self.tmux(&["has-session", "-t", "app"]).is_some()
    }

    /// Pid of the pane's process (the app itself with [`Launch::Exec`]).
    pub fn pane_pid(&self) -> Option<u32> {
        self.tmux(&["list-panes", "-t", "app", "-F", "#{pane_pid}"])
            .and_then(|s| s.trim().parse().ok())
    }

    /// The app's `SPOTDECK_HOME`.
    pub fn home(&self) -> PathBuf {
        self.home.path().to_path_buf()
    }

    /// The app's log file.
    pub fn log_path(&self) -> PathBuf {
        self.home.path().join("state").join("spotdeck.log")
    }

    /// The app's log so far (empty if none yet).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.log_path()).unwrap_or_default()
    }

    /// Types `q` and waits for the app to end (the session closing with
    /// [`Launch::Exec`], `EXITED=` with [`Launch::Shell`]); returns the last screen.
    pub fn quit(&self) -> String {
        self.keys(&["q"]);
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let s = self.screen();
            if !self.alive() || s.contains("EXITED=") {
                return s;
            }
            assert!(Instant::now() < deadline, "the app did not quit:\n{s}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// A fresh `SPOTDECK_HOME`.
pub fn temp_home() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

impl Drop for App {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]);
        if let Some(p) = &self.socket_path {
            let _ = std::fs::remove_file(p);
        }
    }
}
