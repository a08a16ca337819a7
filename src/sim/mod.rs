//! A stateful simulator of the Spotify Accounts service and Web API.

/// Options for starting the simulator.
#[derive(Debug, Clone, Default)]
pub struct SimOptions {
    /// Port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// Apply the February-2026 development-mode rules.
    pub dev_mode_2026: bool,
    /// Added latency per request in milliseconds.
    pub latency_ms: u64,
}

/// A running simulator.
#[derive(Debug, Clone)]
pub struct SimHandle {
    base: String,
}

impl SimHandle {
    /// Base URL of the simulated Web API (`…/v1`).
    pub fn api_base(&self) -> String {
        format!("{}/v1", self.base)
    }
    /// Base URL of the simulated Accounts service.
    pub fn accounts_base(&self) -> String {
        self.base.clone()
    }
    /// An access token with every scope, for demo mode.
    pub fn demo_token(&self) -> String {
        String::new()
    }
}

/// Starts the simulator in this process.
pub async fn start(_opts: SimOptions) -> anyhow::Result<SimHandle> {
    anyhow::bail!("the simulator is not built yet")
}

/// Runs the simulator in the foreground until Ctrl-C.
pub async fn run_standalone(opts: SimOptions) -> anyhow::Result<()> {
    let _ = start(opts).await?;
    Ok(())
}
