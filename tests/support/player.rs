//! The player screen read back from a tmux capture, and the same facts
//! from the simulator, so a test can say "the screen shows the truth".

use serde_json::Value;
use spotdeck::sim::SimHandle;

/// What the player screen (or the simulator) says about playback.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Shown {
    /// Device in the "Now playing on …" header.
    pub device: Option<String>,
    /// The title row (first line of the now-playing pane).
    pub title: Option<String>,
    /// `▶ playing` / `⏸ paused`.
    pub playing: Option<bool>,
    /// `shuffle on|off`.
    pub shuffle: Option<bool>,
    /// `off`, `all` or `one` (the screen's words).
    pub repeat: Option<String>,
    /// `vol N%`.
    pub volume: Option<u8>,
    /// The elapsed time left of the progress bar, `m:ss`.
    pub position: Option<String>,
}

const BORDERS: &[char] = &['│', '┌', '┐', '└', '┘', '─', '┤', '├'];

/// Reads the player screen.
pub fn parse(screen: &str) -> Shown {
    let lines: Vec<&str> = screen.lines().collect();
    let mut out = Shown::default();
    let header = lines.iter().position(|l| l.contains("Now playing on "));
    if let Some(h) = header {
        let rest = lines[h].split("Now playing on ").nth(1).unwrap_or("");
        let name = rest.split(" ─").next().unwrap_or(rest);
        out.device = Some(name.trim_matches(BORDERS).trim().to_string());
        out.title = lines.get(h + 1).map(|l| {
            let inner = l.trim().trim_matches(BORDERS);
            // Right of the cover's box, when there is one.
            let text = inner.rsplit(['┐', '│']).next().unwrap_or(inner);
            // Half-block cover art sits left of the title.
            let text =
                text.trim_start_matches(|c: char| c.is_whitespace() || ('▀'..='▟').contains(&c));
            // Episodes are marked with a microphone.
            text.trim_start_matches('🎙').trim().to_string()
        });
    }
    for l in &lines {
        if l.contains("▶ playing") {
            out.playing = Some(true);
        } else if l.contains("⏸ paused") {
            out.playing = Some(false);
        }
        if l.contains("shuffle on") {
            out.shuffle = Some(true);
        } else if l.contains("shuffle off") {
            out.shuffle = Some(false);
        }
        for (word, name) in [
            ("repeat off", "off"),
            ("repeat all", "all"),
            ("repeat one", "one"),
        ] {
            if l.contains(word) {
                out.repeat = Some(name.to_string());
            }
        }
        if let Some(v) = l.split("vol ").nth(1) {
            out.volume = v.split('%').next().and_then(|n| n.trim().parse().ok());
        }
        if out.position.is_none() && (l.contains('━') || l.contains("──")) {
            let times: Vec<&str> = l
                .split(|c: char| c.is_whitespace() || BORDERS.contains(&c) || c == '━')
                .filter(|t| is_time(t))
                .collect();
            if times.len() == 2 {
                out.position = Some(times[0].to_string());
            }
        }
    }
    out
}

fn is_time(t: &str) -> bool {
    let Some((m, s)) = t.split_once(':') else {
        return false;
    };
    !m.is_empty()
        && m.chars().all(|c| c.is_ascii_digit())
        && s.len() == 2
        && s.chars().all(|c| c.is_ascii_digit())
}

/// `m:ss` of a position in milliseconds, as the screen writes it.
pub fn clock(ms: u64) -> String {
    let s = ms / 1000;
    format!("{}:{:02}", s / 60, s % 60)
}

/// The simulator's playback through its Web API, in the screen's terms
/// (`position` left out: it moves while playing). `None` when nothing is active.
pub async fn truth(sim: &SimHandle) -> Option<Shown> {
    let r = reqwest::Client::new()
        .get(format!(
            "{}/me/player?additional_types=episode",
            sim.api_base()
        ))
        // A fresh token: a test may have expired every token issued so far.
        .bearer_auth(sim.issue_full_token())
        .send()
        .await
        .ok()?;
    if r.status() != 200 {
        return None;
    }
    let v: Value = r.json().await.ok()?;
    let repeat = match v["repeat_state"].as_str()? {
        "context" => "all",
        "track" => "one",
        _ => "off",
    };
    Some(Shown {
        device: v["device"]["name"].as_str().map(str::to_string),
        title: v["item"]["name"].as_str().map(str::to_string),
        playing: v["is_playing"].as_bool(),
        shuffle: v["shuffle_state"].as_bool(),
        repeat: Some(repeat.to_string()),
        volume: v["device"]["volume_percent"].as_u64().map(|n| n as u8),
        position: None,
    })
}

/// Whether `shown` agrees with `truth` on every field `truth` knows
/// (the title may be cut short by the screen's width).
pub fn agrees(shown: &Shown, truth: &Shown) -> bool {
    let title_ok = match (&shown.title, &truth.title) {
        (Some(s), Some(t)) => {
            let s = s.trim_end_matches('…');
            !s.is_empty() && t.starts_with(s)
        }
        (_, None) => true,
        _ => false,
    };
    title_ok
        && shown.device == truth.device
        && shown.playing == truth.playing
        && shown.shuffle == truth.shuffle
        && shown.repeat == truth.repeat
        && shown.volume == truth.volume
}
