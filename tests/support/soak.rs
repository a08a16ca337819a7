//! Soak helpers: what the simulator's request log says about `Retry-After`,
//! what it plays now, and a player already on screen.

use std::time::Duration;

use spotdeck::sim::{RequestRecord, SimHandle};

use super::tmux::{App, Launch};

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
