//! Command-line interface: flags for the TUI and subcommands for scripting,
//! login and the standalone simulator.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::config::ImageMode;
use crate::sim::faults::FaultSpec;

/// A full-screen, keyboard-driven terminal controller for Spotify Connect.
///
/// Run without a subcommand to open the player. Try `spotdeck --demo` to see
/// it against the built-in Spotify simulator, no account needed.
#[derive(Debug, Parser)]
#[command(name = "spotdeck", version, about, long_about = None)]
pub struct Cli {
    /// Run against the embedded Spotify simulator, already logged in.
    #[arg(long, global = true)]
    pub demo: bool,
    /// Config file (default: the platform config dir's spotdeck/config.toml).
    #[arg(long, value_name = "PATH", global = true)]
    pub config: Option<PathBuf>,
    /// Log level filter written to the log file, e.g. `debug`.
    #[arg(long, value_name = "LEVEL", global = true)]
    pub log_level: Option<String>,
    /// Cover art mode; `halfblocks` or `off` skip the terminal query.
    #[arg(long, value_enum, global = true)]
    pub images: Option<ImageMode>,
    /// Log in with an app-only token (no user data; read-only).
    #[arg(long, global = true)]
    pub client_credentials: bool,
    /// Machine-readable JSON output for scripting subcommands.
    #[arg(long, global = true)]
    pub json: bool,
    /// What to do; without one the player opens.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Subcommands.
#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Run the Spotify simulator alone (Accounts service + Web API).
    Sim {
        /// Port on 127.0.0.1; 0 picks a free one.
        #[arg(long, default_value_t = 8900)]
        port: u16,
        /// Apply the February-2026 development-mode rules.
        #[arg(long)]
        dev_mode_2026: bool,
        /// Added latency per request, in milliseconds.
        #[arg(long, default_value_t = 0)]
        latency_ms: u64,
        /// A fault switch, repeatable: `rate-limit=N/SECS` (rolling window per
        /// app), `quota=N/SECS` (429 QUOTA_EXCEEDED), `429=COUNT:SECS`,
        /// `5xx=COUNT:STATUS`, `drop=COUNT`, `malformed=COUNT`, `latency=MS`,
        /// `spike=COUNT:MS`, `waking=COUNT`, `removed=/v1/PATH`. While it runs,
        /// `POST /_sim/faults` with the same lines switches more (loopback only).
        #[arg(long = "fault", value_name = "SPEC")]
        faults: Vec<FaultSpec>,
    },
    /// Log in to Spotify in the browser and store the token.
    Login,
    /// Delete the stored tokens.
    Logout,
    /// Print a long-lived refresh token for use by other tools.
    Auth,
    /// Check configuration, login, scopes and connectivity.
    Doctor,
    /// Show what is playing.
    Status,
    /// List Spotify Connect devices.
    Devices,
    /// Start or resume playback, optionally of given URIs.
    Play {
        /// Track/episode URIs to play, or one context URI (album, playlist, artist, show).
        uris: Vec<String>,
        /// Device id to play on.
        #[arg(long)]
        device: Option<String>,
    },
    /// Pause playback.
    Pause,
    /// Skip to the next track.
    Next,
    /// Skip to the previous track.
    Prev,
    /// Seek to a position: seconds, `m:ss`, or `+10`/`-10` relative.
    Seek {
        /// Position.
        #[arg(allow_hyphen_values = true)]
        position: String,
    },
    /// Set the volume (0–100).
    Volume {
        /// Percent.
        percent: u8,
    },
    /// Turn shuffle on or off.
    Shuffle {
        /// on or off.
        state: OnOff,
    },
    /// Set the repeat mode.
    Repeat {
        /// off, track or context.
        mode: RepeatArg,
    },
    /// Move playback to another device (id or name).
    Transfer {
        /// Device id or a unique part of its name.
        device: String,
        /// Keep it paused instead of playing.
        #[arg(long)]
        paused: bool,
    },
    /// Show the queue, or add to it.
    Queue {
        /// `add URI` to append a track or episode.
        #[command(subcommand)]
        action: Option<QueueAction>,
    },
    /// Recently played tracks.
    Recent {
        /// How many (1–50).
        #[arg(long, default_value_t = 20)]
        limit: u8,
    },
    /// Your playlists.
    Playlists,
    /// One playlist and its items.
    Playlist {
        /// Playlist id, URI or URL.
        id: String,
    },
    /// Search the catalogue (field filters: artist:, album:, track:, year:).
    Search {
        /// What to look for.
        #[arg(required = true)]
        query: Vec<String>,
        /// Types, comma-separated: track,album,artist,playlist,show,episode.
        #[arg(
            long = "type",
            value_name = "TYPES",
            default_value = "track,album,artist,playlist"
        )]
        types: String,
        /// Results per type (1–10).
        #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=10))]
        limit: u32,
    },
    /// Your Liked Songs, newest first.
    Liked {
        /// At most this many (default: all).
        #[arg(long)]
        limit: Option<u32>,
    },
    /// Save tracks, albums, episodes or shows; follow artists or playlists.
    Like {
        /// URIs, open.spotify.com links, or bare track ids.
        #[arg(required = true)]
        uris: Vec<String>,
    },
    /// Remove from your library what `like` saved.
    Unlike {
        /// URIs, open.spotify.com links, or bare track ids.
        #[arg(required = true)]
        uris: Vec<String>,
    },
    /// An album and its tracks.
    Album {
        /// Album id, URI or URL.
        id: String,
    },
    /// An artist and their albums and singles.
    Artist {
        /// Artist id, URI or URL.
        id: String,
    },
    /// Follow a playlist (add it to your playlists).
    Follow {
        /// Playlist id, URI or URL.
        playlist: String,
    },
    /// Unfollow a playlist (remove it from your playlists).
    Unfollow {
        /// Playlist id, URI or URL.
        playlist: String,
    },
    /// Wait in the foreground, then pause whatever device is playing.
    Sleep {
        /// `30m`, `90s`, `1h30m`, `end-of-track` or `end-of-album` (also `end-of-playlist`).
        when: String,
        /// Fade the volume over this many seconds before pausing (restored after); 0 = no fade. Default: `[desktop] sleep_fade_secs`.
        #[arg(long, value_name = "SECS")]
        fade: Option<u64>,
    },
    /// Print a shell completion script (bash, zsh or fish) to stdout.
    Completions {
        /// The shell.
        shell: Shell,
    },
    /// Print the manual page (roff) to stdout.
    Man,
}

/// Shells `spotdeck completions` writes for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    /// Bash.
    Bash,
    /// Zsh.
    Zsh,
    /// Fish.
    Fish,
}

/// Writes the completion script for `shell` to `out`.
pub fn write_completions(shell: Shell, out: &mut dyn std::io::Write) {
    use clap::CommandFactory;
    let mut cmd = Cli::command();
    let generator = match shell {
        Shell::Bash => clap_complete::Shell::Bash,
        Shell::Zsh => clap_complete::Shell::Zsh,
        Shell::Fish => clap_complete::Shell::Fish,
    };
    clap_complete::generate(generator, &mut cmd, "spotdeck", out);
}

/// Writes the man page (roff) to `out`.
pub fn write_man(out: &mut dyn std::io::Write) -> std::io::Result<()> {
    use clap::CommandFactory;
    clap_mangen::Man::new(Cli::command()).render(out)
}

/// `queue add URI`.
#[derive(Debug, Clone, Subcommand)]
pub enum QueueAction {
    /// Add a track or episode to the end of the queue.
    Add {
        /// Track or episode URI.
        uri: String,
        /// Device id.
        #[arg(long)]
        device: Option<String>,
    },
}

/// on / off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OnOff {
    /// On.
    On,
    /// Off.
    Off,
}

/// Repeat mode argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RepeatArg {
    /// No repeat.
    Off,
    /// Repeat the current track.
    Track,
    /// Repeat the current context.
    Context,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn parses_demo_and_subcommand() {
        let cli = Cli::try_parse_from(["spotdeck", "--demo", "volume", "40"]).unwrap();
        assert!(cli.demo);
        assert!(matches!(cli.command, Some(Command::Volume { percent: 40 })));
        let cli = Cli::try_parse_from(["spotdeck", "seek", "-10"]).unwrap();
        assert!(matches!(cli.command, Some(Command::Seek { .. })));
    }

    fn completions(shell: Shell) -> String {
        let mut out = Vec::new();
        write_completions(shell, &mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn completions_name_every_subcommand() {
        let bash = completions(Shell::Bash);
        assert!(bash.contains("_spotdeck()"), "{bash}");
        assert!(bash.contains("complete -F _spotdeck"), "{bash}");
        let zsh = completions(Shell::Zsh);
        assert!(zsh.starts_with("#compdef spotdeck"), "{zsh}");
        let fish = completions(Shell::Fish);
        assert!(fish.contains("complete -c spotdeck"), "{fish}");
        for sub in Cli::command().get_subcommands() {
            let name = sub.get_name();
            assert!(bash.contains(name), "bash misses {name}");
            assert!(zsh.contains(name), "zsh misses {name}");
            assert!(fish.contains(name), "fish misses {name}");
        }
        // Flags too, e.g. the global --demo.
        assert!(fish.contains("-l demo"), "{fish}");
    }

    #[test]
    fn man_page_documents_subcommands() {
        let mut out = Vec::new();
        write_man(&mut out).unwrap();
        let man = String::from_utf8(out).unwrap();
        assert!(man.contains(".TH spotdeck 1"), "{man}");
        assert!(man.contains("Spotify Connect"), "{man}");
        for sub in ["sleep", "completions", "playlist", "transfer"] {
            assert!(man.contains(sub), "man page misses {sub}");
        }
    }

    #[test]
    fn sleep_parses() {
        let cli = Cli::try_parse_from(["spotdeck", "sleep", "30m", "--fade", "5"]).unwrap();
        assert!(matches!(
            cli.command,
            Some(Command::Sleep { ref when, fade: Some(5) }) if when == "30m"
        ));
    }

    #[test]
    fn sim_takes_fault_switches() {
        let cli = Cli::try_parse_from([
            "spotdeck",
            "sim",
            "--fault",
            "rate-limit=20/30",
            "--fault",
            "quota=100/86400",
        ])
        .unwrap();
        let Some(Command::Sim { faults, .. }) = cli.command else {
            panic!("not the sim command");
        };
        assert_eq!(faults.len(), 2);
        assert!(Cli::try_parse_from(["spotdeck", "sim", "--fault", "rate-limit=x"]).is_err());
    }
}
