//! A desktop notification when the playing item changes: title, artists and
//! album, with the cover where the notification daemon shows images. Each
//! one replaces the previous, so skipping through tracks does not pile up.

use std::time::Duration;

use notify_rust::{Image, Notification};
use tokio::sync::watch;

use super::NowPlaying;

/// How long a notification waits for the new item's cover to decode.
const ART_WAIT: Duration = Duration::from_millis(1_500);
/// Largest side of the cover sent to the daemon, in pixels.
const ART_PX: u32 = 128;

/// Watches the view and notifies on each track change.
pub(super) async fn run(mut view: watch::Receiver<NowPlaying>) {
    let mut last: Option<String> = None;
    let mut replaces: Option<u32> = None;
    let mut warned = false;
    loop {
        let track = view.borrow_and_update().track().cloned();
        let uri = track.as_ref().map(|t| t.uri.clone());
        if let Some(track) = track
            && uri != last
        {
            let wanted = track.image_for(300).map(|i| i.url.clone());
            let art = match wanted {
                Some(url) => cover(&mut view, &track.uri, &url).await,
                None => None,
            };
            let mut n = Notification::new();
            n.appname("spotdeck")
                .summary(&track.title)
                .body(&format!("{} — {}", track.artist_line(), track.album))
                .icon("audio-x-generic");
            if let Some(img) = art {
                n.image_data(img);
            }
            if let Some(id) = replaces {
                n.id(id);
            }
            // notify-rust blocks on a runtime of its own, which panics on a
            // thread of ours, and asks the daemon for its spec version inside
            // that runtime the first time an image is sent (a nested block):
            // so show from a plain thread, reading the version first.
            let (tx, rx) = tokio::sync::oneshot::channel();
            std::thread::spawn(move || {
                let _ = *notify_rust::SPEC_VERSION;
                let _ = tx.send(n.show().map(|h| h.id()).map_err(|e| e.to_string()));
            });
            let shown = rx
                .await
                .unwrap_or_else(|_| Err("the notification thread stopped".into()));
            match shown {
                Ok(id) => replaces = Some(id),
                Err(e) if !warned => {
                    warned = true;
                    tracing::warn!("desktop notification failed: {e}");
                }
                Err(e) => tracing::debug!("desktop notification failed: {e}"),
            }
        }
        last = uri;
        if view.changed().await.is_err() {
            return;
        }
    }
}

/// The decoded cover of `uri` at `url`, waiting a moment for it to arrive.
async fn cover(view: &mut watch::Receiver<NowPlaying>, uri: &str, url: &str) -> Option<Image> {
    let arrived = tokio::time::timeout(
        ART_WAIT,
        view.wait_for(|v| {
            v.art.as_ref().is_some_and(|(u, _)| u == url)
                || v.track().map(|t| t.uri.as_str()) != Some(uri)
        }),
    )
    .await;
    let image = match arrived {
        Ok(Ok(v)) => v
            .art
            .as_ref()
            .filter(|(u, _)| u == url)
            .map(|(_, img)| std::sync::Arc::clone(img))?,
        _ => return None,
    };
    let thumb = image.thumbnail(ART_PX, ART_PX).to_rgba8();
    let (w, h) = (
        i32::try_from(thumb.width()).ok()?,
        i32::try_from(thumb.height()).ok()?,
    );
    Image::from_rgba(w, h, thumb.into_raw()).ok()
}
