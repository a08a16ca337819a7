//! A stateful simulator of the Spotify Accounts service and Web API.
//!
//! One port serves both: the Accounts service at `/authorize` and
//! `/api/token`, the Web API under `/v1`, and cover art under `/images`.
//! It backs `spotdeck --demo`, `spotdeck sim` and the integration tests,
//! which drive it through [`SimHandle`].

pub mod accounts;
pub(crate) mod api;
pub mod catalog;
pub mod errors;
pub mod faults;
pub mod fields;
mod handle;
pub mod ids;
pub mod images;
pub mod log;
pub mod playback;
pub mod ratelimit;
mod server;
pub mod state;
pub mod wire;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

pub use accounts::{DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_REDIRECT_URI, RefreshRotation};
pub use handle::{DeviceInfo, PlaybackInfo};
pub use log::RequestRecord;
pub use state::{
    CURATOR_USER_ID, DEMO_USER_ID, DEMO_USER_NAME, DEVICE_DESKTOP, DEVICE_PHONE, DEVICE_SPEAKER,
    DEVICE_TV, EVERYTHING_LEN, PLAYLIST_EDITORIAL_CHILL, PLAYLIST_EDITORIAL_FRESH,
    PLAYLIST_EDITORIAL_PARTY, PLAYLIST_EVERYTHING, PLAYLIST_FOCUS, PLAYLIST_FOLLOWED,
    PLAYLIST_LOCAL, PLAYLIST_MORNING, PLAYLIST_SUNDAY,
};

/// Options for starting the simulator.
#[derive(Debug, Clone, Default)]
pub struct SimOptions {
    /// Port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// Apply the February-2026 development-mode rules.
    pub dev_mode_2026: bool,
    /// Added latency per request in milliseconds.
    pub latency_ms: u64,
    /// Fault switches on from the start (e.g. a rolling rate limit).
    pub faults: Vec<faults::FaultSpec>,
}

/// State shared by the server and every handle.
pub(crate) struct Shared {
    state: Mutex<state::SimState>,
    faults: Mutex<faults::Faults>,
    limiter: Mutex<ratelimit::Limiter>,
    log: Mutex<Vec<RequestRecord>>,
    images: Mutex<HashMap<String, Vec<u8>>>,
    base: String,
    demo_token: String,
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Tokens live in here: print only the address.
        f.debug_struct("Shared")
            .field("base", &self.base)
            .finish_non_exhaustive()
    }
}

impl Shared {
    /// Locks the world (a poisoned lock is still usable: state stays consistent per call).
    pub(crate) fn lock(&self) -> MutexGuard<'_, state::SimState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn faults(&self) -> MutexGuard<'_, faults::Faults> {
        self.faults.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn limiter(&self) -> MutexGuard<'_, ratelimit::Limiter> {
        self.limiter.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn log(&self) -> MutexGuard<'_, Vec<RequestRecord>> {
        self.log.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A running simulator; cheap to clone. The server runs until the process ends.
#[derive(Debug, Clone)]
pub struct SimHandle {
    shared: Arc<Shared>,
}

/// Starts the simulator in this process on 127.0.0.1.
pub async fn start(opts: SimOptions) -> anyhow::Result<SimHandle> {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", opts.port)).await?;
    let addr = listener.local_addr()?;
    let base = format!("http://{addr}");
    let mut st = state::SimState::demo(base.clone(), opts.dev_mode_2026);
    let now = st.now();
    let all: Vec<String> = accounts::ALL_SCOPES.iter().map(|s| s.to_string()).collect();
    let demo_token = st.auth.issue_access(
        DEMO_CLIENT_ID,
        accounts::Grant::User,
        &all,
        std::time::Duration::from_secs(10 * 365 * 86_400),
        now,
    );
    let shared = Arc::new(Shared {
        state: Mutex::new(st),
        faults: Mutex::new(faults::Faults {
            latency_ms: opts.latency_ms,
            ..Default::default()
        }),
        limiter: Mutex::new(ratelimit::Limiter::default()),
        log: Mutex::new(Vec::new()),
        images: Mutex::new(HashMap::new()),
        base,
        demo_token,
    });
    let handle = SimHandle { shared };
    for f in &opts.faults {
        handle.apply_fault(f);
    }
    let app = server::service(handle.shared.clone());
    // Small JSON answers must not wait for Nagle + delayed ACK (~40 ms each).
    use axum::ServiceExt;
    use axum::serve::ListenerExt;
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    let make = ServiceExt::<axum::extract::Request>::into_make_service_with_connect_info::<
        std::net::SocketAddr,
    >(app);
    tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, make).await {
            tracing::error!("simulator server stopped: {e}");
        }
    });
    tracing::info!(%addr, "simulator listening");
    Ok(handle)
}

/// Runs the simulator in the foreground until Ctrl-C, printing how to use it.
pub async fn run_standalone(opts: SimOptions) -> anyhow::Result<()> {
    let h = start(opts).await?;
    println!("spotdeck simulator running");
    println!("  Web API:          {}", h.api_base());
    println!("  Accounts service: {}", h.accounts_base());
    println!("  demo client id:   {DEMO_CLIENT_ID}");
    println!("  demo secret:      {DEMO_CLIENT_SECRET}");
    println!("  redirect URI:     {DEMO_REDIRECT_URI} (any loopback port)");
    println!("  demo token:       {}", h.demo_token());
    println!(
        "  fault switches:   POST {}/_sim/faults (one per line: {})",
        h.base_url(),
        faults::FAULT_FORMS
    );
    println!(
        "Try: SPOTDECK_API_BASE={} SPOTDECK_ACCESS_TOKEN=<demo token> spotdeck",
        h.api_base()
    );
    println!("Press Ctrl-C to stop.");
    tokio::signal::ctrl_c().await?;
    Ok(())
}
