//! `spotdeck doctor` reports files and directories that expose secrets and
//! a broken `[keys]` table; the log lives in a private state directory.
#![cfg(unix)]
#![allow(clippy::unwrap_used)]

mod security_support;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use security_support::run_spotdeck;
use spotdeck::auth::doctor::{Status, diagnose};
use spotdeck::auth::{StoredLogin, TokenStore};
use spotdeck::config::{AuthFlow, Config, Dirs};
use spotdeck::token::Secret;

fn chmod(p: &Path, mode: u32) {
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[tokio::test]
async fn doctor_reports_open_permissions_and_bad_keys() {
    let home = tempfile::tempdir().unwrap();
    let dirs = Dirs {
        config: home.path().join("config"),
        data: home.path().join("data"),
        state: home.path().join("state"),
    };
    std::fs::create_dir_all(&dirs.config).unwrap();
    let text = "[spotify]\nclient_id = \"abc\"\nclient_secret = \"s3cr3t\"\naccounts_base = \"http://127.0.0.1:9\"\napi_base = \"http://127.0.0.1:9/v1\"\n\n[keys]\nnot_an_intent = \"x\"\n";
    let file = dirs.config_file();
    std::fs::write(&file, text).unwrap();
    chmod(&file, 0o644);
    let store = TokenStore::new(&dirs);
    store
        .save(&StoredLogin {
            client_id: "abc".into(),
            flow: AuthFlow::Pkce,
            access_token: Secret::new("a"),
            refresh_token: Some(Secret::new("r")),
            expires_at: Some(1),
            scopes: Vec::new(),
        })
        .unwrap();
    chmod(store.path(), 0o644);
    chmod(&dirs.data, 0o755);
    std::fs::create_dir_all(&dirs.state).unwrap();
    chmod(&dirs.state, 0o755);
    let config = Config::from_toml(text, &file).unwrap();

    let report = diagnose(&config, &dirs, None).await;
    let rendered = report.render();
    let keys = report.get("keys").expect("keys are checked");
    assert_eq!(keys.status, Status::Fail, "{rendered}");
    assert!(keys.detail.contains("not_an_intent"), "{rendered}");
    let perms: Vec<_> = report
        .checks
        .iter()
        .filter(|c| c.name == "permissions")
        .collect();
    let find = |needle: &str| {
        perms
            .iter()
            .find(|c| c.detail.contains(needle))
            .unwrap_or_else(|| panic!("no permission finding for {needle}: {rendered}"))
    };
    let cfg = find("client_secret");
    assert_eq!(cfg.status, Status::Fail);
    assert!(cfg.detail.contains("0644"), "{rendered}");
    assert_eq!(
        cfg.fix.as_deref(),
        Some(format!("chmod 600 {}", file.display()).as_str())
    );
    assert_eq!(find("token file").status, Status::Fail);
    assert!(
        find(&format!("data directory {}", dirs.data.display()))
            .fix
            .as_deref()
            .is_some_and(|f| f.starts_with("chmod 700"))
    );
    find("state (log) directory");
    assert!(!report.passed());

    // Fixed: no permission findings.
    chmod(&file, 0o600);
    chmod(store.path(), 0o600);
    chmod(&dirs.data, 0o700);
    chmod(&dirs.state, 0o700);
    let report = diagnose(&config, &dirs, None).await;
    let p = report.get("permissions").unwrap();
    assert_eq!(p.status, Status::Ok, "{}", report.render());
}

#[tokio::test]
async fn the_state_directory_and_log_file_are_private() {
    let home = tempfile::tempdir().unwrap();
    let state = home.path().join("state");
    std::fs::create_dir_all(&state).unwrap();
    chmod(&state, 0o755);
    // `logout` needs no network; any start sets up logging.
    let out = run_spotdeck(home.path(), &[], &["logout"], 60).await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(mode(&state), 0o700);
    assert_eq!(mode(&state.join("spotdeck.log")), 0o600);
}
