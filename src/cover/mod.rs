//! Cover images, both ways:
//! - [`art`]: the now-playing art — decoding what the worker fetched, the
//!   encoding for the terminal (off the render path) and its small cache;
//! - [`upload`]: preparing an image file as a playlist cover.

pub mod art;
pub mod upload;

pub use art::{ArtEncoder, ArtEvent, ArtProtocol, decode};
pub use upload::{
    CoverError, MAX_BASE64_BYTES, base64_len, prepare_file, prepare_image, to_base64,
};
