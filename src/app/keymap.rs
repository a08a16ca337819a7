//! Key bindings: default keys per intent, overridable from the config file,
//! and the lookup from a key press to an intent. The help screen is generated
//! from the same table, so it cannot drift from what the keys do.

use std::collections::BTreeMap;
use std::fmt;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::intent::Intent;
use crate::config::KeyList;

/// A key with its modifiers, normalised (shift is folded into the character).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    code: KeyCodeOrd,
    ctrl: bool,
    alt: bool,
    shift: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum KeyCodeOrd {
    Char(char),
    Named(u8),
}

const NAMED: &[(&str, KeyCode)] = &[
    ("space", KeyCode::Char(' ')),
    ("enter", KeyCode::Enter),
    ("esc", KeyCode::Esc),
    ("tab", KeyCode::Tab),
    ("backtab", KeyCode::BackTab),
    ("backspace", KeyCode::Backspace),
    ("delete", KeyCode::Delete),
    ("insert", KeyCode::Insert),
    ("up", KeyCode::Up),
    ("down", KeyCode::Down),
    ("left", KeyCode::Left),
    ("right", KeyCode::Right),
    ("home", KeyCode::Home),
    ("end", KeyCode::End),
    ("pageup", KeyCode::PageUp),
    ("pagedown", KeyCode::PageDown),
    ("f1", KeyCode::F(1)),
];

impl Key {
    /// Normalises a crossterm key event.
    pub fn from_event(ev: &KeyEvent) -> Option<Key> {
        let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        let alt = ev.modifiers.contains(KeyModifiers::ALT);
        let shift = ev.modifiers.contains(KeyModifiers::SHIFT);
        let code = match ev.code {
            KeyCode::Char(c) => {
                let c = if ctrl { c.to_ascii_lowercase() } else { c };
                return Some(Key {
                    code: KeyCodeOrd::Char(c),
                    ctrl,
                    alt,
                    shift: false,
                });
            }
            other => NAMED.iter().position(|(_, k)| *k == other)?,
        };
        Some(Key {
            code: KeyCodeOrd::Named(u8::try_from(code).ok()?),
            ctrl,
            alt,
            shift: shift && !matches!(NAMED[code].1, KeyCode::BackTab),
        })
    }

    /// Parses `"space"`, `"ctrl-c"`, `"shift-right"`, `"K"`, `"+"`.
    pub fn parse(text: &str) -> Result<Key, String> {
        let mut ctrl = false;
        let mut alt = false;
        let mut shift = false;
        let mut rest = text;
        loop {
            let lower = rest.to_ascii_lowercase();
            if rest.len() > 1 && lower.starts_with("ctrl-") {
                ctrl = true;
                rest = &rest[5..];
            } else if rest.len() > 1 && lower.starts_with("alt-") {
                alt = true;
                rest = &rest[4..];
            } else if rest.len() > 1 && lower.starts_with("shift-") {
                shift = true;
                rest = &rest[6..];
            } else {
                break;
            }
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => {
                let c = if ctrl {
                    c.to_ascii_lowercase()
                } else if shift {
                    shift = false;
                    c.to_ascii_uppercase()
                } else {
                    c
                };
                KeyCodeOrd::Char(c)
            }
            _ => {
                let lower = rest.to_ascii_lowercase();
                let idx = NAMED
                    .iter()
                    .position(|(n, _)| *n == lower)
                    .ok_or_else(|| format!("unknown key `{text}`"))?;
                if idx == 0 {
                    KeyCodeOrd::Char(' ')
                } else {
                    KeyCodeOrd::Named(u8::try_from(idx).map_err(|e| e.to_string())?)
                }
            }
        };
        Ok(Key {
            code,
            ctrl,
            alt,
            shift,
        })
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("ctrl-")?;
        }
        if self.alt {
            f.write_str("alt-")?;
        }
        if self.shift {
            f.write_str("shift-")?;
        }
        match self.code {
            KeyCodeOrd::Char(' ') => f.write_str("space"),
            KeyCodeOrd::Char(c) => write!(f, "{c}"),
            KeyCodeOrd::Named(i) => f.write_str(NAMED.get(usize::from(i)).map_or("?", |n| n.0)),
        }
    }
}

/// Default keys of each intent.
pub fn default_keys(intent: Intent) -> &'static [&'static str] {
    match intent {
        Intent::Quit => &["q", "ctrl-c"],
        Intent::Help => &["?", "f1"],
        Intent::FocusNext => &["tab"],
        Intent::FocusPrev => &["backtab"],
        Intent::Up => &["up", "k"],
        Intent::Down => &["down", "j"],
        Intent::PageUp => &["pageup", "ctrl-u"],
        Intent::PageDown => &["pagedown", "ctrl-d"],
        Intent::Top => &["home", "g"],
        Intent::Bottom => &["end", "G"],
        Intent::Select => &["enter"],
        Intent::Back => &["esc"],
        Intent::PlayPause => &["space"],
        Intent::Next => &["n"],
        Intent::Previous => &["p"],
        Intent::SeekForward => &["right"],
        Intent::SeekBackward => &["left"],
        Intent::SeekForwardLong => &["shift-right", "]"],
        Intent::SeekBackwardLong => &["shift-left", "["],
        Intent::SeekTo => &[":"],
        Intent::VolumeUp => &["+", "="],
        Intent::VolumeDown => &["-"],
        Intent::Mute => &["m"],
        Intent::Shuffle => &["s"],
        Intent::Repeat => &["r"],
        Intent::Devices => &["d"],
        Intent::Enqueue => &["e"],
        Intent::ShowPlayer => &["1"],
        Intent::ShowPlaylists => &["2"],
        Intent::Filter => &["/"],
        Intent::Refresh => &["ctrl-r"],
        Intent::Mark => &["v"],
        Intent::Remove => &["x", "delete"],
        Intent::MoveUp => &["K", "shift-up"],
        Intent::MoveDown => &["J", "shift-down"],
        Intent::MoveTo => &["M"],
        Intent::Undo => &["u"],
        Intent::Redo => &["U"],
        Intent::AddToPlaylist => &["a"],
        Intent::NewPlaylist => &["N"],
        Intent::EditDetails => &["E"],
        Intent::UploadCover => &["C"],
        Intent::Unfollow => &["D"],
        Intent::OpenById => &["o"],
        Intent::ShowSearch => &["3"],
        Intent::ShowLibrary => &["4"],
        Intent::Like => &["l"],
        Intent::OpenPage => &["O"],
        Intent::GoToAlbum => &["b"],
        Intent::GoToArtist => &["A"],
        Intent::Yes => &["y", "Y"],
        Intent::No => &["n", "N"],
        Intent::ClearField => &["ctrl-u"],
    }
}

/// Where a key is pressed: modes rebind some intents to their own keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Mode {
    /// A screen, no popup.
    Main,
    /// A popup (help, device picker) or a list modal: plain letters do not quit.
    Popup,
    /// A yes/no question (confirmation, form flags).
    Question,
    /// A text field (form, path, id, position).
    Text,
}

impl Mode {
    /// Intents this mode binds to keys of its own (replacing their global
    /// keys there); all other intents keep their global keys.
    fn own(self) -> &'static [Intent] {
        match self {
            Mode::Main => &[],
            Mode::Popup => &[Intent::Quit, Intent::Back],
            Mode::Question => &[Intent::Quit, Intent::Yes, Intent::No],
            Mode::Text => &[Intent::ClearField],
        }
    }

    /// Intents that exist only in this mode (never looked up globally).
    fn only_here(intent: Intent) -> bool {
        matches!(intent, Intent::Yes | Intent::No | Intent::ClearField)
    }

    /// The mode's own default keys for an intent it rebinds.
    fn default_keys(self, intent: Intent) -> &'static [&'static str] {
        match (self, intent) {
            (Mode::Popup | Mode::Question, Intent::Quit) => &["ctrl-c"],
            // Lists over the screen close with `q` too, as most TUIs do.
            (Mode::Popup, Intent::Back) => &["esc", "q"],
            (_, other) => default_keys(other),
        }
    }
}

/// An intent's keys (configured, else `defaults`), parsed, with their text.
fn parse_keys(
    intent: Intent,
    overrides: &BTreeMap<String, KeyList>,
    defaults: &[&str],
) -> Result<Vec<(Key, String)>, String> {
    let texts: Vec<String> = match overrides.get(intent.name()) {
        Some(list) => list.keys(),
        None => defaults.iter().map(|s| (*s).to_string()).collect(),
    };
    texts
        .into_iter()
        .map(|t| {
            let key = Key::parse(&t).map_err(|e| format!("[keys] {}: {e}", intent.name()))?;
            Ok((key, t))
        })
        .collect()
}

fn bound_twice(text: &str, prev: Intent, intent: Intent) -> String {
    format!(
        "[keys]: `{text}` is bound to both {} and {}",
        prev.name(),
        intent.name()
    )
}

/// Key → intent lookup (per mode) plus the reverse for the help screen.
#[derive(Debug, Clone)]
pub struct Keymap {
    by_key: BTreeMap<Key, Intent>,
    by_intent: BTreeMap<Intent, Vec<Key>>,
    /// Per mode: the mode's own key → intent bindings.
    modes: BTreeMap<(Mode, Key), Intent>,
}

impl Default for Keymap {
    fn default() -> Self {
        // The defaults are fixed strings checked by a test; a parse failure cannot happen.
        Self::build(&BTreeMap::new()).unwrap_or_else(|_| Self {
            by_key: BTreeMap::new(),
            by_intent: BTreeMap::new(),
            modes: BTreeMap::new(),
        })
    }
}

impl Keymap {
    /// Builds the keymap: defaults, with the config's `[keys]` replacing an intent's keys.
    /// Errors name the unknown intent or key, or a key bound twice.
    pub fn build(overrides: &BTreeMap<String, KeyList>) -> Result<Keymap, String> {
        for name in overrides.keys() {
            if Intent::from_name(name).is_none() {
                return Err(format!(
                    "[keys]: `{name}` is not an intent (see `?` in the app)"
                ));
            }
        }
        let mut by_key = BTreeMap::new();
        let mut by_intent = BTreeMap::new();
        for &intent in Intent::ALL {
            let keys = parse_keys(intent, overrides, default_keys(intent))?;
            if !Mode::only_here(intent) {
                for (key, text) in &keys {
                    if let Some(prev) = by_key.insert(*key, intent) {
                        return Err(bound_twice(text, prev, intent));
                    }
                }
            }
            by_intent.insert(intent, keys.into_iter().map(|(k, _)| k).collect());
        }
        let mut modes = BTreeMap::new();
        for mode in [Mode::Popup, Mode::Question, Mode::Text] {
            for &intent in mode.own() {
                // A global intent rebound by a mode keeps the mode's keys unless configured.
                let keys = if Mode::only_here(intent) {
                    parse_keys(intent, overrides, default_keys(intent))?
                } else {
                    parse_keys(intent, &BTreeMap::new(), mode.default_keys(intent))?
                };
                for (key, text) in keys {
                    if let Some(prev) = modes.insert((mode, key), intent) {
                        return Err(bound_twice(&text, prev, intent));
                    }
                }
            }
        }
        Ok(Keymap {
            by_key,
            by_intent,
            modes,
        })
    }

    /// The intent bound to a key press on a screen, if any.
    pub fn lookup(&self, ev: &KeyEvent) -> Option<Intent> {
        self.lookup_in(Mode::Main, ev)
    }

    /// The intent bound to a key press in `mode`: the mode's own bindings
    /// first; an intent the mode rebinds is not reached by its global keys.
    pub fn lookup_in(&self, mode: Mode, ev: &KeyEvent) -> Option<Intent> {
        let key = Key::from_event(ev)?;
        if let Some(i) = self.modes.get(&(mode, key)) {
            return Some(*i);
        }
        self.by_key
            .get(&key)
            .copied()
            .filter(|i| !mode.own().contains(i))
    }

    /// The keys of an intent as display text, e.g. `"q, ctrl-c"`.
    pub fn keys_text(&self, intent: Intent) -> String {
        self.by_intent
            .get(&intent)
            .map(|ks| {
                ks.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default()
    }

    /// The first key of an intent, for hints.
    pub fn first_key(&self, intent: Intent) -> String {
        self.by_intent
            .get(&intent)
            .and_then(|ks| ks.first())
            .map(ToString::to_string)
            .unwrap_or_else(|| "?".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(code: KeyCode, m: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, m)
    }

    #[test]
    fn defaults_build_without_conflicts() {
        Keymap::build(&BTreeMap::new()).expect("defaults are valid");
    }

    #[test]
    fn lookup_handles_shift_and_ctrl() {
        let km = Keymap::default();
        assert_eq!(
            km.lookup(&ev(KeyCode::Char(' '), KeyModifiers::NONE)),
            Some(Intent::PlayPause)
        );
        assert_eq!(
            km.lookup(&ev(KeyCode::Char('G'), KeyModifiers::SHIFT)),
            Some(Intent::Bottom)
        );
        assert_eq!(
            km.lookup(&ev(KeyCode::Char('c'), KeyModifiers::CONTROL)),
            Some(Intent::Quit)
        );
        assert_eq!(
            km.lookup(&ev(KeyCode::Right, KeyModifiers::SHIFT)),
            Some(Intent::SeekForwardLong)
        );
        assert_eq!(
            km.lookup(&ev(KeyCode::Right, KeyModifiers::NONE)),
            Some(Intent::SeekForward)
        );
        assert_eq!(
            km.lookup(&ev(KeyCode::BackTab, KeyModifiers::SHIFT)),
            Some(Intent::FocusPrev)
        );
    }

    #[test]
    fn overrides_replace_and_validate() {
        let mut o = BTreeMap::new();
        o.insert(
            "next".to_string(),
            KeyList::Many(vec!["w".into(), "ctrl-n".into()]),
        );
        let km = Keymap::build(&o).unwrap();
        assert_eq!(
            km.lookup(&ev(KeyCode::Char('w'), KeyModifiers::NONE)),
            Some(Intent::Next)
        );
        assert_eq!(km.lookup(&ev(KeyCode::Char('n'), KeyModifiers::NONE)), None);
        assert_eq!(km.keys_text(Intent::Next), "w, ctrl-n");

        let mut bad = BTreeMap::new();
        bad.insert("nxt".to_string(), KeyList::One("x".into()));
        assert!(Keymap::build(&bad).unwrap_err().contains("nxt"));

        let mut dup = BTreeMap::new();
        dup.insert("next".to_string(), KeyList::One("q".into()));
        assert!(Keymap::build(&dup).unwrap_err().contains("bound to both"));
    }

    #[test]
    fn modes_rebind_quit_and_answers() {
        let km = Keymap::default();
        let q = ev(KeyCode::Char('q'), KeyModifiers::NONE);
        let ctrl_c = ev(KeyCode::Char('c'), KeyModifiers::CONTROL);
        let y = ev(KeyCode::Char('y'), KeyModifiers::NONE);
        let n = ev(KeyCode::Char('n'), KeyModifiers::NONE);
        assert_eq!(km.lookup(&q), Some(Intent::Quit));
        assert_eq!(
            km.lookup_in(Mode::Popup, &q),
            Some(Intent::Back),
            "q closes a popup instead of quitting"
        );
        assert_eq!(km.lookup_in(Mode::Popup, &ctrl_c), Some(Intent::Quit));
        assert_eq!(
            km.lookup_in(Mode::Popup, &ev(KeyCode::Down, KeyModifiers::NONE)),
            Some(Intent::Down)
        );
        assert_eq!(km.lookup(&y), None, "answers only exist in questions");
        assert_eq!(km.lookup(&n), Some(Intent::Next));
        assert_eq!(km.lookup_in(Mode::Question, &y), Some(Intent::Yes));
        assert_eq!(km.lookup_in(Mode::Question, &n), Some(Intent::No));
        let mut o = BTreeMap::new();
        o.insert("yes".to_string(), KeyList::One("j".into()));
        let km = Keymap::build(&o).unwrap();
        assert_eq!(
            km.lookup_in(Mode::Question, &ev(KeyCode::Char('j'), KeyModifiers::NONE)),
            Some(Intent::Yes)
        );
        assert_eq!(km.lookup_in(Mode::Question, &y), None);
    }
}
