//! Cover art in the reducer: which URL the now-playing item wants, the
//! decoded image when it arrives, the encoding the runtime made of it.

use std::sync::Arc;

use super::api;
use crate::app::action::Action;
use crate::app::event::ArtEvent;
use crate::app::state::AppState;
use crate::spotify::request::{Priority, Request};

pub(super) fn want_art(state: &mut AppState, out: &mut Vec<Action>) {
    if !state.images_enabled {
        return;
    }
    let px = art_width_px(state);
    let url = state
        .now_playing()
        .and_then(|t| t.image_for(px))
        .map(|i| i.url.clone());
    if url != state.art.wanted {
        state.art.wanted.clone_from(&url);
        if let Some(url) = url {
            let have = state.art.decoded.as_ref().is_some_and(|(u, _)| *u == url);
            if !have {
                let (id, a) = api(
                    state,
                    Request::FetchArt { url: url.clone() },
                    Priority::VisiblePane,
                );
                state.art.fetching = Some((id, url));
                out.push(a);
            }
        }
    }
}

/// Pixels wide the art pane shows: its columns times the pixels per column
/// (half-blocks need the 64 px image where a pixel terminal needs 300).
fn art_width_px(state: &AppState) -> u32 {
    let area = ratatui::layout::Rect::new(0, 0, state.size.0, state.size.1);
    let columns = crate::app::geometry::player(area, state)
        .art
        .map_or(ART_COLUMNS, |r| r.width);
    u32::from(columns.max(1)) * state.art.px_per_column.max(1)
}

/// Columns of the art pane where the layout has none at this size.
const ART_COLUMNS: u16 = 17;

pub(super) fn art_ready(
    state: &mut AppState,
    id: u64,
    url: String,
    image: Arc<image::DynamicImage>,
) {
    if state.art.fetching.as_ref().is_some_and(|(f, _)| *f == id) {
        state.art.fetching = None;
    }
    if state.art.wanted.as_deref() == Some(url.as_str()) {
        state.art.decoded = Some((url, image));
        state.art.encoded = None;
        state.art.failed = None;
        state.dirty = true;
    }
}

pub(super) fn on_art(state: &mut AppState, ev: ArtEvent) {
    match ev {
        ArtEvent::Encoded(art) => {
            if state.art.wanted.as_deref() == Some(art.url.as_str()) {
                state.art.encoded = Some(art);
                state.dirty = true;
            }
        }
        ArtEvent::Failed { url, reason } => {
            tracing::warn!(%url, %reason, "cover art failed");
            state.art.failed = Some((url, reason));
            state.dirty = true;
        }
    }
}
