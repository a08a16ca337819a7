//! Removing one copy of a duplicate must never lose the other copies: the
//! re-insert is retried, recorded in the journal until it succeeded, and the
//! next start finishes it and says so.
#![allow(clippy::unwrap_used)]

mod security_support;

use std::sync::Arc;
use std::time::Duration;

use security_support::run_spotdeck;
use spotdeck::sim::{self, SimHandle, SimOptions};
use spotdeck::spotify::journal::{self, JOURNAL_FILE, Journal, PendingRemoval};
use spotdeck::spotify::{Client, ClientOptions};
use spotdeck::token::{AccessToken, StaticToken};

/// A simulator, a client with a journal in `dir`, and a playlist holding
/// `a b a c a` (its id and URIs).
async fn rig(dir: &std::path::Path) -> (SimHandle, Client, String, Vec<String>) {
    let h = sim::start(SimOptions::default()).await.unwrap();
    let tokens = Arc::new(StaticToken(AccessToken::bare(h.issue_full_token())));
    let opts = ClientOptions {
        backoff_base: Duration::from_millis(5),
        ..ClientOptions::default()
    };
    let c = Client::with_options(&h.api_base(), tokens, opts)
        .unwrap()
        .with_journal(Journal::at(dir.join(JOURNAL_FILE)));
    let id = sim::PLAYLIST_MORNING.to_string();
    let t = h.playlist_uris(&id).unwrap();
    let (a, b, cc) = (t[0].clone(), t[1].clone(), t[2].clone());
    let uris = vec![a.clone(), b, a.clone(), cc, a];
    c.replace_items(&id, &uris).await.unwrap();
    (h, c, id, uris)
}

fn without(uris: &[String], i: usize) -> Vec<String> {
    let mut v = uris.to_vec();
    v.remove(i);
    v
}

#[tokio::test]
async fn a_failing_reinsert_is_retried_until_it_works() {
    let tmp = tempfile::tempdir().unwrap();
    let (h, c, id, uris) = rig(tmp.path()).await;
    let snap = h.playlist_snapshot_id(&id).unwrap();
    h.server_error_next_for("POST", 2, 503);
    c.remove_positions(&id, &uris, &[2], &snap).await.unwrap();
    assert_eq!(h.playlist_uris(&id).unwrap(), without(&uris, 2));
    assert!(!tmp.path().join(JOURNAL_FILE).exists(), "journal cleared");
}

#[tokio::test]
async fn an_unfinished_removal_names_the_items_and_is_finished_later() {
    let tmp = tempfile::tempdir().unwrap();
    let (h, c, id, uris) = rig(tmp.path()).await;
    let snap = h.playlist_snapshot_id(&id).unwrap();
    h.server_error_next_for("POST", 1000, 503);
    let err = c
        .remove_positions(&id, &uris, &[2], &snap)
        .await
        .unwrap_err()
        .sentence();
    // Copies at 0 and 4 stay: after the removal they belong at 1 and 4 (1-based).
    assert!(err.contains(&format!("{} at position 1", uris[0])), "{err}");
    assert!(err.contains(&format!("{} at position 4", uris[0])), "{err}");
    assert!(err.contains("next start"), "{err}");
    let journal = Journal::at(tmp.path().join(JOURNAL_FILE));
    let pending = journal.load().unwrap();
    assert_eq!(pending.len(), 1);
    assert!(pending[0].removed);
    h.clear_faults();
    let notes = journal::finish_pending(&c, &journal).await;
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(
        notes[0].starts_with("Finished an interrupted removal"),
        "{notes:?}"
    );
    assert_eq!(h.playlist_uris(&id).unwrap(), without(&uris, 2));
    assert!(journal.load().unwrap().is_empty());
}

#[tokio::test]
async fn the_next_start_finishes_a_removal_cut_short_by_a_crash() {
    let home = tempfile::tempdir().unwrap();
    let data = home.path().join("data");
    let (h, c, id, uris) = rig(&data).await;
    // The crash: every copy of the URI removed, nothing put back yet.
    let before = h.playlist_snapshot_id(&id).unwrap();
    c.remove_items(&id, std::slice::from_ref(&uris[0]), None)
        .await
        .unwrap();
    let entry = PendingRemoval {
        id: journal::new_id(),
        playlist_id: id.clone(),
        before_snapshot: before,
        removed: true,
        reinserts: vec![(0, vec![uris[0].clone()]), (3, vec![uris[0].clone()])],
    };
    Journal::at(data.join(JOURNAL_FILE)).record(&entry).unwrap();
    let env = [
        ("SPOTDECK_ACCESS_TOKEN", h.issue_full_token()),
        ("SPOTDECK_API_BASE", h.api_base()),
    ];
    let out = run_spotdeck(home.path(), &env, &["devices"], 60).await;
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("Finished an interrupted removal"), "{err}");
    assert!(err.contains(&format!("{} at position 4", uris[0])), "{err}");
    assert_eq!(h.playlist_uris(&id).unwrap(), without(&uris, 2));
    assert!(!data.join(JOURNAL_FILE).exists());
    // A removal that never reached Spotify is dropped without changes.
    let entry = PendingRemoval {
        id: journal::new_id(),
        playlist_id: id.clone(),
        before_snapshot: h.playlist_snapshot_id(&id).unwrap(),
        removed: false,
        reinserts: vec![(0, vec![uris[0].clone()])],
    };
    Journal::at(data.join(JOURNAL_FILE)).record(&entry).unwrap();
    let out = run_spotdeck(home.path(), &env, &["devices"], 60).await;
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("had not taken effect"), "{err}");
    assert_eq!(h.playlist_uris(&id).unwrap(), without(&uris, 2));
}
