//! Preparing a playlist cover for upload: any common image format in, a JPEG
//! whose base64 form fits Spotify's 256 KB limit out.

use std::io::Cursor;
use std::path::Path;

use base64::Engine;
use image::DynamicImage;
use image::codecs::jpeg::JpegEncoder;

/// Spotify's limit on the base64-encoded JPEG body.
pub const MAX_BASE64_BYTES: usize = 256 * 1024;

/// Largest image file read for an upload (a 50-megapixel photo is ~30 MB).
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Why a cover could not be prepared.
#[derive(Debug, thiserror::Error)]
pub enum CoverError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// Path.
        path: String,
        /// Cause.
        source: std::io::Error,
    },
    /// The file is not an image we can decode.
    #[error("{path} is not an image spotdeck can read (PNG, JPEG, GIF, BMP, WebP): {reason}")]
    Decode {
        /// Path.
        path: String,
        /// Decoder message.
        reason: String,
    },
    /// The file is larger than [`MAX_FILE_BYTES`]; it is not read.
    #[error("{path} is {mb} MB; spotdeck reads cover images up to 64 MB")]
    FileTooLarge {
        /// Path.
        path: String,
        /// Size in MB.
        mb: u64,
    },
    /// Even a small, low-quality JPEG is too large (should not happen).
    #[error("could not shrink the image below 256 KB")]
    TooLarge,
}

/// Reads `path`, and returns JPEG bytes whose base64 is at most [`MAX_BASE64_BYTES`].
pub fn prepare_file(path: &Path) -> Result<Vec<u8>, CoverError> {
    use std::io::Read;
    let shown = path.display().to_string();
    let read_err = |source| CoverError::Read {
        path: shown.clone(),
        source,
    };
    let file = std::fs::File::open(path).map_err(read_err)?;
    let len = file.metadata().map_err(read_err)?.len();
    let too_large = |len: u64| CoverError::FileTooLarge {
        path: shown.clone(),
        mb: len.div_ceil(1024 * 1024),
    };
    if len > MAX_FILE_BYTES {
        return Err(too_large(len));
    }
    let mut bytes = Vec::new();
    // `take` also bounds a file that grows (or a device that never ends).
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(read_err)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    let img = image::load_from_memory(&bytes).map_err(|e| CoverError::Decode {
        path: shown,
        reason: e.to_string(),
    })?;
    prepare_image(&img)
}

/// Encodes `img` as a JPEG small enough for the upload: square-cropped to at most
/// 640 px, then lower quality and smaller sizes until it fits.
pub fn prepare_image(img: &DynamicImage) -> Result<Vec<u8>, CoverError> {
    let side = img.width().min(img.height());
    let x = (img.width() - side) / 2;
    let y = (img.height() - side) / 2;
    let square = img.crop_imm(x, y, side, side);
    let mut size = side.min(640);
    while size >= 32 {
        let scaled = if size == side {
            square.clone()
        } else {
            square.resize_exact(size, size, image::imageops::FilterType::Triangle)
        };
        let rgb = DynamicImage::ImageRgb8(scaled.to_rgb8());
        for quality in [90u8, 75, 60, 45] {
            let mut out = Cursor::new(Vec::new());
            let enc = JpegEncoder::new_with_quality(&mut out, quality);
            if rgb.write_with_encoder(enc).is_err() {
                continue;
            }
            let jpeg = out.into_inner();
            if base64_len(jpeg.len()) <= MAX_BASE64_BYTES {
                return Ok(jpeg);
            }
        }
        size = size * 3 / 4;
    }
    Err(CoverError::TooLarge)
}

/// Length of the base64 encoding of `n` bytes.
pub fn base64_len(n: usize) -> usize {
    n.div_ceil(3) * 4
}

/// The body Spotify expects: base64 of the JPEG.
pub fn to_base64(jpeg: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(jpeg)
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{Rgb, RgbImage};

    fn noisy(w: u32, h: u32) -> DynamicImage {
        // Noise compresses badly, so this forces the shrinking path.
        let mut seed: u32 = 12345;
        let img = RgbImage::from_fn(w, h, |_, _| {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
            let b = seed.to_le_bytes();
            Rgb([b[0], b[1], b[2]])
        });
        DynamicImage::ImageRgb8(img)
    }

    #[test]
    fn large_noisy_png_shrinks_under_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.png");
        noisy(1600, 1200).save(&path).unwrap();
        assert!(std::fs::metadata(&path).unwrap().len() > MAX_BASE64_BYTES as u64);
        let jpeg = prepare_file(&path).unwrap();
        assert!(to_base64(&jpeg).len() <= MAX_BASE64_BYTES);
        let back = image::load_from_memory(&jpeg).unwrap();
        assert_eq!(back.width(), back.height(), "square cover");
        assert_eq!(&jpeg[..2], &[0xFF, 0xD8], "JPEG magic");
    }

    #[test]
    fn not_an_image_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notes.txt");
        std::fs::write(&path, "hello").unwrap();
        let err = prepare_file(&path).unwrap_err().to_string();
        assert!(err.contains("not an image"), "{err}");
        let err = prepare_file(&dir.path().join("missing.png"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("cannot read"), "{err}");
        let huge = dir.path().join("huge.png");
        std::fs::File::create(&huge)
            .unwrap()
            .set_len(MAX_FILE_BYTES + 1)
            .unwrap();
        let err = prepare_file(&huge).unwrap_err().to_string();
        assert!(err.contains("up to 64 MB"), "{err}");
    }
}
