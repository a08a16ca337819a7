//! CPU, request rate and peak memory of the real release binary, run in tmux
//! against the in-process simulator (whose own CPU is not counted: only the
//! app's `/proc/PID/stat` utime+stime are read).
//!
//! Phases: paused for `SPOTDECK_BENCH_SECS` (default 60) s, then playing for
//! the same time; then the peak RSS (`VmHWM`) with cover art loaded; then
//! the peak after opening the 10,000-item playlist (scrolled to its end) and
//! Liked Songs.
//!
//! Run: `benches/cpu_idle.sh` (or `cargo bench --bench idle`).
//! Targets: < 0.5 % CPU while paused; ≤ 8 requests/min paused, ≤ 14 playing
//! (README "Polling budget"); peak RSS ≤ 14 MB on the player with art,
//! ≤ 40 MB with the 10k playlist and Liked Songs.

mod common;
#[path = "../tests/support/mod.rs"]
mod support;

use std::process::Command;
use std::time::{Duration, Instant};

use spotdeck::sim;
use support::eventually;
use support::proc::{cpu_ticks, vm_kb};
use support::tmux::{App, Launch};

fn clk_tck() -> f64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok())
        .unwrap_or(100.0)
}

/// CPU percent of one core and requests seen by the simulator over `secs`.
fn measure_phase(app_pid: u32, sim: &sim::SimHandle, secs: u64) -> (f64, usize, Vec<String>) {
    sim.clear_log();
    let t0 = Instant::now();
    let c0 = cpu_ticks(app_pid).expect("app /proc stat");
    std::thread::sleep(Duration::from_secs(secs));
    let c1 = cpu_ticks(app_pid).expect("app /proc stat");
    let wall = t0.elapsed().as_secs_f64();
    let cpu = (c1 - c0) as f64 / clk_tck() / wall * 100.0;
    let lines: Vec<String> = sim.requests().iter().map(|r| r.line()).collect();
    (cpu, lines.len(), lines)
}

fn main() {
    let secs: u64 = std::env::var("SPOTDECK_BENCH_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    let rt = support::runtime();
    let sim = support::paused_sim(&rt);
    let app = App::start(
        env!("CARGO_BIN_EXE_spotdeck"),
        &sim,
        (120, 40),
        Launch::Exec,
        &[("SPOTDECK_LOG", "info".to_string())],
    );
    let pid = app.pane_pid().expect("app pid");
    app.wait_for("Now playing on");
    app.wait_for("paused");
    // Start-up fetches and the cover art, then the burst window after them.
    eventually(Duration::from_secs(10), || {
        sim.requests().iter().any(|r| r.path.starts_with("/images"))
    });
    std::thread::sleep(Duration::from_secs(4));
    println!("idle benchmark: release binary in tmux 120x40, {secs} s per phase, pid {pid}");

    let per_min = |n: usize| n as f64 * 60.0 / secs as f64;
    let (cpu, n, lines) = measure_phase(pid, &sim, secs);
    println!(
        "{:<48} {cpu:.3} %  target < 0.5 %  ratio {:.3}  {}",
        "CPU while paused",
        cpu / 0.5,
        if cpu < 0.5 { "MET" } else { "MISSED" }
    );
    println!(
        "{:<48} {:.1}/min ({n} in {secs} s)  budget <= 8/min  {}  {lines:?}",
        "requests while paused",
        per_min(n),
        if per_min(n) <= 8.0 { "MET" } else { "MISSED" }
    );

    app.keys(&["Space"]);
    let playing = eventually(Duration::from_secs(10), || {
        sim.playback().is_some_and(|p| p.is_playing)
    });
    assert!(playing, "could not start playback");
    // Let the command burst (fast polls for 3 s) end.
    std::thread::sleep(Duration::from_secs(4));
    let (cpu, n, lines) = measure_phase(pid, &sim, secs);
    println!(
        "{:<48} {cpu:.3} %  (no target; progress bar redraws)",
        "CPU while playing"
    );
    println!(
        "{:<48} {:.1}/min ({n} in {secs} s)  budget <= 14/min  {}  {lines:?}",
        "requests while playing",
        per_min(n),
        if per_min(n) <= 14.0 { "MET" } else { "MISSED" }
    );

    // Peak memory so far: player screen with cover art decoded and encoded.
    let hwm = vm_kb(pid, "VmHWM:").expect("VmHWM");
    let rss = vm_kb(pid, "VmRSS:").expect("VmRSS");
    let mb = hwm as f64 / 1024.0;
    println!(
        "{:<48} {mb:.1} MB (VmRSS now {:.1} MB)  target <= 14 MB  ratio {:.3}  {}",
        "peak RSS, player + cover art (VmHWM)",
        rss as f64 / 1024.0,
        mb / 14.0,
        if mb <= 14.0 { "MET" } else { "MISSED" }
    );
    print_memory_map(pid);

    // Then the 10,000-item playlist loaded and scrolled to its end, and
    // Liked Songs loaded on the Library screen.
    sim.clear_log();
    app.keys(&["2"]);
    app.wait_for("Everything, Ever");
    app.keys(&["j", "j", "j", "j", "Enter"]);
    let last_page = format!("offset={}", sim::EVERYTHING_LEN - 50);
    let loaded = eventually(Duration::from_secs(30), || {
        sim.requests()
            .iter()
            .any(|r| r.query.as_deref().is_some_and(|q| q.contains(&last_page)))
    });
    assert!(loaded, "the 10k playlist was not loaded");
    std::thread::sleep(Duration::from_secs(2));
    app.keys(&["G"]);
    app.keys(&["4"]);
    app.wait_for("Liked Songs");
    let liked = eventually(Duration::from_secs(30), || {
        sim.requests()
            .iter()
            .any(|r| r.path.ends_with("/me/tracks"))
    });
    assert!(liked, "Liked Songs were not read");
    std::thread::sleep(Duration::from_secs(4));
    let hwm = vm_kb(pid, "VmHWM:").expect("VmHWM");
    let mb = hwm as f64 / 1024.0;
    println!(
        "{:<48} {mb:.1} MB  target <= 40 MB  ratio {:.3}  {}",
        "peak RSS, + 10k playlist + Liked Songs (VmHWM)",
        mb / 40.0,
        if mb <= 40.0 { "MET" } else { "MISSED" }
    );
    print_memory_map(pid);
    app.keys(&["q"]);
    eventually(Duration::from_secs(5), || !app.alive());
}

/// Where the resident memory is: resident KB of the program's own file
/// mappings, shared libraries, the main heap, other anonymous mappings
/// (thread arenas of the allocator and thread stacks) and the rest, from
/// `/proc/PID/smaps`; and the number of threads.
fn print_memory_map(pid: u32) {
    let Ok(smaps) = std::fs::read_to_string(format!("/proc/{pid}/smaps")) else {
        return;
    };
    let mut kinds: std::collections::BTreeMap<&str, u64> = Default::default();
    let mut kind = "other";
    for line in smaps.lines() {
        let mut words = line.split_whitespace();
        let first = words.next().unwrap_or("");
        if first.contains('-') && first.chars().next().is_some_and(|c| c.is_ascii_hexdigit()) {
            let path = line.split_whitespace().nth(5).unwrap_or("");
            kind = match path {
                "" => "anonymous (thread arenas, stacks)",
                "[heap]" => "main heap",
                p if p.contains("spotdeck") => "program file",
                p if p.contains(".so") => "shared libraries",
                _ => "other",
            };
        } else if first == "Rss:" {
            let kb: u64 = words.next().and_then(|w| w.parse().ok()).unwrap_or(0);
            *kinds.entry(kind).or_default() += kb;
        }
    }
    let threads = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Threads:"))
                .map(|l| l.trim_start_matches("Threads:").trim().to_string())
        })
        .unwrap_or_default();
    println!("resident memory by mapping now ({threads} threads):");
    for (k, kb) in kinds {
        println!("  {k:<40} {:.1} MB", kb as f64 / 1024.0);
    }
}
