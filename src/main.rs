//! spotdeck binary: parse flags, load config, start logging, then run the
//! player, a scripting subcommand, login, or the simulator.

use std::process::ExitCode;

use clap::Parser;
use spotdeck::cli::{Cli, Command};
use spotdeck::config::{AuthFlow, Config, Dirs};
use spotdeck::sim::SimOptions;
use spotdeck::{auth, commands, logging, runtime, session, sim};

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Completions and the man page need no config, login or runtime.
    match &cli.command {
        Some(Command::Completions { shell }) => {
            spotdeck::cli::write_completions(*shell, &mut std::io::stdout());
            return ExitCode::SUCCESS;
        }
        Some(Command::Man) => {
            return match spotdeck::cli::write_man(&mut std::io::stdout()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("spotdeck: cannot write the man page: {e}");
                    ExitCode::FAILURE
                }
            };
        }
        _ => {}
    }
    let dirs = Dirs::discover();
    let mut config = match Config::load(cli.config.as_deref(), &dirs) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("spotdeck: {e}");
            return ExitCode::from(2);
        }
    };
    if let Some(level) = &cli.log_level {
        config.log.level = level.clone();
    }
    if let Some(images) = cli.images {
        config.ui.images = images;
    }
    if cli.client_credentials {
        config.spotify.auth_flow = AuthFlow::ClientCredentials;
    }
    let log_file = logging::log_path(&config.log.file, &dirs.state);
    if config.log.file.is_empty()
        && let Err(e) = logging::make_state_dir_private(&dirs.state)
    {
        eprintln!(
            "spotdeck: cannot make {} private: {e}",
            dirs.state.display()
        );
    }
    let _guard = match logging::init(&log_file, &config.log.level) {
        Ok(g) => Some(g),
        Err(e) => {
            eprintln!("spotdeck: logging disabled: {e}");
            None
        }
    };
    if cli.log_level.is_some() {
        eprintln!("spotdeck: logging to {}", log_file.display());
    }
    tracing::info!(version = env!("CARGO_PKG_VERSION"), "spotdeck starting");
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("spotdeck: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(run(cli, config, dirs));
    runtime.shutdown_timeout(std::time::Duration::from_millis(200));
    match result {
        Ok(code) => code,
        Err(e) => {
            tracing::error!("exiting with error: {e:#}");
            eprintln!(
                "spotdeck: {}",
                spotdeck::text::clean_text(&format!("{e:#}"))
            );
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli, config: Config, dirs: Dirs) -> anyhow::Result<ExitCode> {
    match &cli.command {
        Some(Command::Sim {
            port,
            dev_mode_2026,
            latency_ms,
            faults,
        }) => {
            sim::run_standalone(SimOptions {
                port: *port,
                dev_mode_2026: *dev_mode_2026,
                latency_ms: *latency_ms,
                faults: faults.clone(),
            })
            .await?;
            Ok(ExitCode::SUCCESS)
        }
        Some(cmd @ (Command::Login | Command::Logout | Command::Auth | Command::Doctor)) => {
            auth::run_command(cmd, &config, &dirs).await
        }
        Some(Command::Sleep { when, fade }) => {
            let fade = fade.unwrap_or(config.desktop.sleep_fade_secs);
            let s = session::connect(config, &dirs, cli.demo).await?;
            commands::sleep::run(when, fade, &s.config, s.tokens.clone()).await
        }
        Some(cmd) => {
            let s = session::connect(config, &dirs, cli.demo).await?;
            commands::run(cmd, cli.json, &s.config, s.tokens.clone()).await
        }
        None => {
            let s = session::connect(config, &dirs, cli.demo).await?;
            runtime::run_tui(s).await?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
