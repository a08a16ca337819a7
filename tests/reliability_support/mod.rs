//! Shared harness for the reliability, idle-budget tests and the process
//! benches: runs the real binary in a detached tmux session against an
//! in-process simulator, types keys, reads the screen and the process.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use spotdeck::sim::{RequestRecord, SimHandle};

/// How the app's process is started inside the pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Launch {
    /// `exec` the app: the pane's pid is the app's pid; the pane closes on exit.
    Exec,
    /// Run it from a shell that prints `EXITED=<code>` afterwards and stays,
    /// so the restored terminal can be inspected.
    Shell,
}

/// A tmux server with one session running spotdeck.
pub struct App {
    socket: String,
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
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!("{}-{nanos}", std::process::id())
}

impl App {
    /// Starts `bin` in a `w`×`h` session pointed at `sim` (a user token with every scope).
    pub fn start(
        bin: &str,
        sim: &SimHandle,
        (w, h): (u16, u16),
        launch: Launch,
        extra_env: &[(&str, String)],
    ) -> App {
        require_tmux();
        let home = tempfile::tempdir().expect("temp dir");
        let socket = format!("spotdeck-rel-{}", unique());
        let mut env = vec![
            ("SPOTDECK_HOME", home.path().display().to_string()),
            ("SPOTDECK_API_BASE", sim.api_base()),
            ("SPOTDECK_ACCOUNTS_BASE", sim.accounts_base()),
            ("SPOTDECK_ACCESS_TOKEN", sim.issue_full_token()),
            ("SPOTDECK_IMAGES", "halfblocks".to_string()),
            ("SPOTDECK_LOG", "debug".to_string()),
            ("TERM", "xterm-256color".to_string()),
        ];
        env.extend(extra_env.iter().map(|(k, v)| (*k, v.clone())));
        let mut cmd = String::new();
        if launch == Launch::Exec {
            cmd.push_str("exec ");
        }
        cmd.push_str("env");
        for (k, v) in &env {
            cmd.push_str(&format!(" {k}='{v}'"));
        }
        cmd.push_str(&format!(" '{bin}'"));
        if launch == Launch::Shell {
            cmd.push_str("; echo EXITED=$?; sleep 120");
        }
        let status = Command::new("tmux")
            .args([
                "-L",
                &socket,
                "-f",
                "/dev/null",
                "new-session",
                "-d",
                "-s",
                "app",
            ])
            .args(["-x", &w.to_string(), "-y", &h.to_string(), &cmd])
            .status()
            .expect("tmux runs");
        assert!(status.success(), "tmux new-session failed");
        App { socket, home }
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

    /// Waits up to `timeout` until the screen contains `text`; returns the screen or `Err(screen)`.
    pub fn wait_for_within(&self, text: &str, timeout: Duration) -> Result<String, String> {
        let deadline = Instant::now() + timeout;
        loop {
            let s = self.screen();
            if s.contains(text) {
                return Ok(s);
            }
            if Instant::now() >= deadline {
                return Err(s);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits (15 s) until the screen contains `text`, or fails.
    pub fn wait_for(&self, text: &str) -> String {
        self.wait_for_within(text, Duration::from_secs(15))
            .unwrap_or_else(|s| panic!("screen never showed {text:?}; it shows:\n{s}"))
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

    /// The app's log file.
    pub fn log_path(&self) -> PathBuf {
        self.home.path().join("state").join("spotdeck.log")
    }

    /// The app's log so far (empty if none yet).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.log_path()).unwrap_or_default()
    }
}

impl Drop for App {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]);
    }
}

/// Waits until `cond` holds, up to `timeout`; false if it never did.
pub fn eventually(timeout: Duration, mut cond: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + timeout;
    loop {
        if cond() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A two-thread tokio runtime for the simulator.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
}

/// utime + stime of `pid` in clock ticks, from `/proc/PID/stat`.
pub fn cpu_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name (which is in parentheses and may hold spaces).
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    // rest[0] is field 3 (state); utime is field 14, stime field 15.
    let utime: u64 = f.get(11)?.parse().ok()?;
    let stime: u64 = f.get(12)?.parse().ok()?;
    Some(utime + stime)
}

/// A `VmXXX:` value of `pid` in kB, from `/proc/PID/status`.
pub fn vm_kb(pid: u32, key: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find(|l| l.starts_with(key))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// Requests already on the wire when a 429 came back may land just after it.
pub const IN_FLIGHT_GRACE: Duration = Duration::from_millis(400);

/// Web API requests that arrived while an earlier 429's `Retry-After` (as
/// the simulator logged it) was in force.
pub fn retry_after_violations(log: &[RequestRecord]) -> Vec<String> {
    let api: Vec<&RequestRecord> = log.iter().filter(|r| r.path.starts_with("/v1")).collect();
    let mut bad = Vec::new();
    for r429 in api.iter().filter(|r| r.status == 429) {
        let secs = r429.retry_after.unwrap_or(1);
        let quiet_from = r429.at + IN_FLIGHT_GRACE;
        let quiet_to = r429.at + Duration::from_secs(secs);
        for r in &api {
            if r.at > quiet_from && r.at < quiet_to {
                bad.push(format!(
                    "{} {:?} after a 429 (Retry-After {secs}s)",
                    r.line(),
                    r.at.duration_since(r429.at)
                ));
            }
        }
    }
    bad
}

/// Title and volume the simulator's Web API reports now.
pub fn sim_truth(rt: &tokio::runtime::Runtime, sim: &SimHandle) -> Option<(String, u8)> {
    let body: serde_json::Value = rt.block_on(async {
        reqwest::Client::new()
            .get(format!("{}/me/player", sim.api_base()))
            .bearer_auth(sim.demo_token())
            .send()
            .await
            .ok()?
            .json()
            .await
            .ok()
    })?;
    let title = body["item"]["name"].as_str()?.to_string();
    let vol = body["device"]["volume_percent"].as_u64()? as u8;
    Some((title, vol))
}

/// Starts a default simulator and the app at 120×36 from a shell (see
/// [`Launch::Shell`]), and waits until the player shows.
pub fn start_playing(rt: &tokio::runtime::Runtime, bin: &str) -> (SimHandle, App) {
    let sim = rt
        .block_on(spotdeck::sim::start(spotdeck::sim::SimOptions::default()))
        .expect("simulator starts");
    let app = App::start(bin, &sim, (120, 36), Launch::Shell, &[]);
    app.wait_for("Now playing on");
    (sim, app)
}
