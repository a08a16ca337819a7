//! Property test of the reducer and the renderer: random sequences of keys
//! (every default binding plus stray keys), Web API answers with random ids
//! and outcomes, poll timers, ticks and resizes (down to 1×1) are applied to
//! `update`, and every state is drawn with a `TestBackend`.
//!
//! Properties: nothing panics; list cursors stay within their lists;
//! `pending` never holds an id twice; rendering works at every size ≥ 1×1.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use spotdeck::app::cursor::ListCursor;
use spotdeck::app::event::{ArtEvent, Event, PollKind};
use spotdeck::app::keymap::Keymap;
use spotdeck::app::state::{AppState, Popup};
use spotdeck::app::update::{init, update};
use spotdeck::config::Config;
use spotdeck::domain::{Device, ImageRef, ItemKind, Playback, RecentEntry, Repeat, Track};
use spotdeck::spotify::error::ApiError;
use spotdeck::spotify::request::{Answer, Reply};
use spotdeck::ui::{self, Clock};

/// An event whose ids and instants are resolved against the state when applied.
#[derive(Debug, Clone)]
#[allow(clippy::large_enum_variant)] // test data, built once per case
enum Step {
    Key(KeyEvent),
    Paste(String),
    Resize(u16, u16),
    Tick,
    Poll(PollKind),
    /// Answer: `pick` chooses among the ids in flight (or an unknown id when large).
    Answer {
        pick: usize,
        outcome: Outcome,
    },
    ArtFailed,
}

/// An answer (or a rate-limit notice) with times as offsets.
#[derive(Debug, Clone)]
#[allow(clippy::large_enum_variant)] // test data, built once per case
enum Outcome {
    Ready(Result<Reply, ApiError>),
    RateLimited { after_ms: u64 },
}

fn keys() -> impl Strategy<Value = KeyEvent> {
    let named = prop::sample::select(vec![
        KeyCode::Enter,
        KeyCode::Esc,
        KeyCode::Tab,
        KeyCode::BackTab,
        KeyCode::Backspace,
        KeyCode::Delete,
        KeyCode::Up,
        KeyCode::Down,
        KeyCode::Left,
        KeyCode::Right,
        KeyCode::Home,
        KeyCode::End,
        KeyCode::PageUp,
        KeyCode::PageDown,
        KeyCode::F(1),
    ]);
    // Every printable key of the default map, digits for the seek prompt, and noise.
    let chars = prop::sample::select(
        " nprd+=-msev12/:[]?gGjkKJMuaNECDxq0123456789zé"
            .chars()
            .collect::<Vec<_>>(),
    );
    let mods = prop::sample::select(vec![
        KeyModifiers::NONE,
        KeyModifiers::NONE,
        KeyModifiers::NONE,
        KeyModifiers::SHIFT,
        KeyModifiers::CONTROL,
    ]);
    (prop_oneof![named, chars.prop_map(KeyCode::Char)], mods).prop_map(|(code, m)| {
        // Ctrl-c quits; keep sequences long by not generating it.
        let m = if code == KeyCode::Char('c') {
            KeyModifiers::NONE
        } else {
            m
        };
        KeyEvent::new(code, m)
    })
}

fn track() -> impl Strategy<Value = Track> {
    (
        0u32..40,
        "[A-Za-z é🎵]{0,60}",
        0u64..400_000,
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(n, title, duration_ms, episode, playable)| Track {
            uri: if playable {
                format!("spotify:track:{n:022}")
            } else {
                format!("spotify:local:Artist:Album:{title}:{}", duration_ms / 1000)
            },
            title,
            artists: vec![format!("Artist {n}")],
            album: format!("Album {}", n % 7),
            duration_ms,
            kind: if episode {
                ItemKind::Episode
            } else {
                ItemKind::Track
            },
            images: vec![ImageRef {
                url: format!("http://img/{}.jpg", n % 5),
                width: Some(300),
            }],
            is_playable: playable,
        })
}

fn device() -> impl Strategy<Value = Device> {
    (
        0u8..6,
        any::<bool>(),
        any::<bool>(),
        prop::option::of(0u8..=100),
        any::<bool>(),
    )
        .prop_map(|(n, active, restricted, volume, null_id)| Device {
            id: (!null_id).then(|| format!("dev{n}")),
            name: format!("Device {n}"),
            kind: "Speaker".into(),
            is_active: active,
            is_restricted: restricted,
            volume,
            supports_volume: volume.is_some(),
        })
}

fn failure() -> impl Strategy<Value = ApiError> {
    let message = || "failed".to_string();
    prop::sample::select(vec![
        ApiError::NoActiveDevice,
        ApiError::PremiumRequired,
        ApiError::Forbidden { message: message() },
        ApiError::NotFound { message: message() },
        ApiError::RateLimited {
            retry_after: Duration::from_secs(1),
            quota: false,
        },
        ApiError::Conflict(message()),
        ApiError::Unauthorized { message: message() },
        ApiError::InvalidArgument(message()),
    ])
}

fn playback() -> impl Strategy<Value = Playback> {
    (
        prop::option::of(device()),
        prop::option::of(track()),
        any::<bool>(),
        0u64..500_000,
        any::<bool>(),
        prop::sample::select(vec![Repeat::Off, Repeat::Context, Repeat::Track]),
        prop::collection::vec(
            prop::sample::select(vec!["pausing", "resuming", "skipping_next", "seeking"]),
            0..3,
        ),
    )
        .prop_map(
            |(device, item, is_playing, progress_ms, shuffle, repeat, dis)| Playback {
                device,
                item,
                is_playing,
                progress_ms,
                fetched_at: Instant::now(),
                shuffle,
                repeat,
                context_uri: None,
                disallows: dis.into_iter().map(str::to_string).collect(),
            },
        )
}

fn outcome() -> impl Strategy<Value = Outcome> {
    let recent = track().prop_map(|track| RecentEntry {
        track,
        played_at: "2026-05-31T12:00:00Z".into(),
        context_uri: None,
    });
    prop_oneof![
        3 => prop::option::of(playback()).prop_map(|p| Outcome::Ready(Ok(Reply::Playback(p)))),
        1 => failure().prop_map(|f| Outcome::Ready(Err(f))),
        2 => prop::collection::vec(device(), 0..6).prop_map(|d| Outcome::Ready(Ok(Reply::Devices(d)))),
        1 => failure().prop_map(|f| Outcome::Ready(Err(f))),
        2 => prop::collection::vec(track(), 0..30)
            .prop_map(|q| Outcome::Ready(Ok(Reply::Queue(q)))),
        2 => prop::collection::vec(recent, 0..30).prop_map(|r| Outcome::Ready(Ok(Reply::Recent(r)))),
        1 => failure().prop_map(|f| Outcome::Ready(Err(f))),
        1 => Just(Outcome::Ready(Ok(Reply::Me("id".into(), "Name".into())))),
        3 => Just(Outcome::Ready(Ok(Reply::Done))),
        3 => failure().prop_map(|f| Outcome::Ready(Err(f))),
        1 => Just(Outcome::Ready(Ok(Reply::Coalesced))),
        1 => (0u64..5_000).prop_map(|after_ms| Outcome::RateLimited { after_ms }),
        1 => failure().prop_map(|f| Outcome::Ready(Err(f))),
        1 => failure().prop_map(|f| Outcome::Ready(Err(f))),
    ]
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        8 => keys().prop_map(Step::Key),
        1 => "[0-9:a ]{0,12}".prop_map(Step::Paste),
        2 => (1u16..=220, 1u16..=70).prop_map(|(w, h)| Step::Resize(w, h)),
        1 => (1u16..=4, 1u16..=4).prop_map(|(w, h)| Step::Resize(w, h)),
        1 => Just(Step::Tick),
        2 => prop::sample::select(vec![PollKind::Playback, PollKind::Devices]).prop_map(Step::Poll),
        8 => (0usize..12, outcome()).prop_map(|(pick, outcome)| Step::Answer { pick, outcome }),
        1 => Just(Step::ArtFailed),
    ]
}

/// Ids the app is waiting for: pending commands and polls in flight.
fn ids_in_flight(s: &AppState) -> Vec<u64> {
    let mut ids: Vec<u64> = s.pending.iter().map(|p| p.id).collect();
    let f = s.inflight;
    ids.extend(
        [f.playback, f.devices, f.queue, f.recent]
            .into_iter()
            .flatten(),
    );
    ids.sort_unstable();
    ids.dedup();
    ids
}

fn to_event(s: &AppState, st: Step, now: Instant) -> Event {
    match st {
        Step::Key(k) => Event::Key(k),
        Step::Paste(p) => Event::Paste(p),
        Step::Resize(w, h) => Event::Resize(w, h),
        Step::Tick => Event::Tick,
        Step::Poll(k) => Event::PollDue(k),
        Step::ArtFailed => Event::Art(ArtEvent::Failed {
            url: s.art.wanted.clone().unwrap_or_default(),
            reason: "broken image".into(),
        }),
        Step::Answer { pick, outcome } => {
            let ids = ids_in_flight(s);
            let id = if pick < 9 && !ids.is_empty() {
                ids[pick % ids.len()]
            } else {
                // Unknown or stale id.
                s.next_id + pick as u64
            };
            match outcome {
                Outcome::Ready(result) => Event::Api(Box::new(Answer { id, result })),
                Outcome::RateLimited { after_ms } => Event::RateLimited {
                    until: now + Duration::from_millis(after_ms),
                },
            }
        }
    }
}

fn check_cursor(name: &str, c: ListCursor, len: usize) -> Result<(), TestCaseError> {
    if len == 0 {
        prop_assert_eq!(c.selected, 0, "{} cursor on an empty list", name);
    } else {
        prop_assert!(
            c.selected < len,
            "{} cursor {} of {}",
            name,
            c.selected,
            len
        );
    }
    prop_assert!(
        c.offset <= c.selected,
        "{} offset {} past selection {}",
        name,
        c.offset,
        c.selected
    );
    Ok(())
}

fn check(s: &AppState) -> Result<(), TestCaseError> {
    check_cursor("queue", s.queue_cursor, s.queue.len())?;
    check_cursor("recent", s.recent_cursor, s.recent.len())?;
    check_cursor("devices", s.device_cursor, s.devices.len())?;
    if let Some(Popup::DevicePicker { cursor, .. }) = &s.popup {
        check_cursor("device picker", *cursor, s.devices.len())?;
    }
    let mut seen = HashSet::new();
    for p in &s.pending {
        prop_assert!(seen.insert(p.id), "pending holds id {} twice", p.id);
        prop_assert!(p.id < s.next_id, "pending id {} was never issued", p.id);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 160, ..ProptestConfig::default() })]

    #[test]
    fn random_event_sequences_keep_invariants(
        steps in prop::collection::vec((step(), 0u64..3_000), 1..60),
        start in (1u16..=160, 1u16..=50),
    ) {
        let t0 = Instant::now();
        let mut now = t0;
        let mut s = AppState::new(&Config::default(), Keymap::default(), now);
        s.size = start;
        init(&mut s, now);
        for (st, advance_ms) in steps {
            now += Duration::from_millis(advance_ms);
            let ev = to_event(&s, st, now);
            update(&mut s, ev, now);
            check(&s)?;
            let (w, h) = (s.size.0.max(1), s.size.1.max(1));
            let mut term = Terminal::new(TestBackend::new(w, h)).expect("terminal");
            term.draw(|f| ui::render(&s, Clock { now, unix_secs: 1_780_000_000 }, f))
                .expect("draw");
            if s.quit {
                break;
            }
        }
    }

    #[test]
    fn rendering_works_at_every_small_size(w in 1u16..=40, h in 1u16..=20, popup in 0u8..4) {
        let now = Instant::now();
        let mut s = AppState::new(&Config::default(), Keymap::default(), now);
        s.size = (w, h);
        s.playback = Some(Playback {
            device: None,
            item: Some(Track {
                uri: "spotify:track:1".into(),
                title: "A very long title that will not fit 🎵".into(),
                artists: vec!["Someone".into()],
                album: "Album".into(),
                duration_ms: 200_000,
                kind: ItemKind::Track,
                images: vec![],
                is_playable: true,
            }),
            is_playing: true,
            progress_ms: 1_000,
            fetched_at: now,
            shuffle: true,
            repeat: Repeat::Track,
            context_uri: None,
            disallows: vec![],
        });
        s.popup = match popup {
            0 => None,
            1 => Some(Popup::Help { scroll: 3 }),
            2 => Some(Popup::SeekPrompt { input: "1:2".into() }),
            _ => Some(Popup::DevicePicker { cursor: ListCursor::default(), retry: None }),
        };
        s.rate_limited_until = Some(now + Duration::from_secs(3));
        let mut term = Terminal::new(TestBackend::new(w, h)).expect("terminal");
        term.draw(|f| ui::render(&s, Clock { now, unix_secs: 1_780_000_000 }, f)).expect("draw");
    }
}
