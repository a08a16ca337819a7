//! Now-playing cover art: decode the fetched bytes, encode the image for the
//! terminal at the art pane's size off the render path, and keep a few
//! encodings (LRU) so a resize back is instant.

use std::collections::VecDeque;
use std::sync::Arc;

use image::DynamicImage;
use ratatui_image::Resize;
use ratatui_image::picker::Picker;
use tokio::sync::mpsc;

/// Decodes fetched image bytes (CPU work: call it off the async threads).
pub fn decode(bytes: &[u8]) -> Result<DynamicImage, String> {
    image::load_from_memory(bytes).map_err(|e| e.to_string())
}

/// A cover image encoded for the terminal at a given cell size.
#[derive(Clone)]
pub struct ArtProtocol {
    /// Source URL.
    pub url: String,
    /// Size in cells it was encoded for.
    pub cells: (u16, u16),
    /// The encoded image.
    pub protocol: Arc<ratatui_image::protocol::Protocol>,
}

impl std::fmt::Debug for ArtProtocol {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ArtProtocol")
            .field("url", &self.url)
            .field("cells", &self.cells)
            .finish_non_exhaustive()
    }
}

/// An encoding that finished (or why not).
#[derive(Debug, Clone)]
pub enum ArtEvent {
    /// Encoded for the terminal at the art pane's size.
    Encoded(ArtProtocol),
    /// Could not be encoded.
    Failed {
        /// The URL.
        url: String,
        /// Why.
        reason: String,
    },
}

const CACHE_LEN: usize = 6;

/// Encodes decoded art for the terminal, one job at a time, with a small cache.
pub struct ArtEncoder {
    picker: Option<Arc<Picker>>,
    done: mpsc::UnboundedSender<ArtEvent>,
    cache: VecDeque<ArtProtocol>,
    in_progress: Option<(String, (u16, u16))>,
}

impl ArtEncoder {
    /// An encoder for `picker` (`None`: images are off); results go to `done`.
    pub fn new(picker: Option<Picker>, done: mpsc::UnboundedSender<ArtEvent>) -> Self {
        Self {
            picker: picker.map(Arc::new),
            done,
            cache: VecDeque::new(),
            in_progress: None,
        }
    }

    /// Makes sure `image` from `url` gets encoded for `cells`, unless
    /// `current` already is: answers from the cache, or starts a job.
    pub fn ensure(
        &mut self,
        url: &str,
        image: &Arc<DynamicImage>,
        cells: (u16, u16),
        current: Option<&ArtProtocol>,
    ) {
        let Some(picker) = &self.picker else { return };
        if current.is_some_and(|enc| enc.url == url && enc.cells == cells) {
            return;
        }
        if let Some(pos) = self
            .cache
            .iter()
            .position(|a| a.url == url && a.cells == cells)
        {
            if let Some(hit) = self.cache.remove(pos) {
                self.cache.push_front(hit.clone());
                let _ = self.done.send(ArtEvent::Encoded(hit));
            }
            return;
        }
        let key = (url.to_string(), cells);
        if self.in_progress.as_ref() == Some(&key) {
            return;
        }
        self.in_progress = Some(key);
        let picker = Arc::clone(picker);
        let image = Arc::clone(image);
        let url = url.to_string();
        let tx = self.done.clone();
        // Encoding resizes the image: keep it off the async threads and the render path.
        tokio::task::spawn_blocking(move || {
            let size = ratatui::layout::Size::new(cells.0, cells.1);
            // `Scale`, not `Fit`: a cover smaller than the pane (the 64 px one
            // half-blocks fetch) is enlarged to fill it, as a larger one is shrunk.
            let ev = match picker.new_protocol((*image).clone(), size, Resize::Scale(None)) {
                Ok(p) => ArtEvent::Encoded(ArtProtocol {
                    url,
                    cells,
                    protocol: Arc::new(p),
                }),
                Err(e) => ArtEvent::Failed {
                    url,
                    reason: e.to_string(),
                },
            };
            let _ = tx.send(ev);
        });
    }

    /// Remembers an encoding that arrived.
    pub fn remember(&mut self, art: &ArtProtocol) {
        self.in_progress = None;
        self.cache
            .retain(|a| !(a.url == art.url && a.cells == art.cells));
        self.cache.push_front(art.clone());
        self.cache.truncate(CACHE_LEN);
    }
}
