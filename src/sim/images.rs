//! Cover art served by the simulator: small, distinct JPEGs generated from
//! an id, so the demo shows colourful covers without any network.

use image::{ImageBuffer, Rgb, RgbImage};

use super::ids::hash_str;

/// Encodes a `size`×`size` JPEG whose colours and pattern derive from `key`.
pub fn cover_jpeg(key: &str, size: u32) -> Vec<u8> {
    let h = hash_str(key);
    let c1 = [
        (h & 0xff) as u8,
        ((h >> 8) & 0xff) as u8,
        ((h >> 16) & 0xff) as u8,
    ];
    let c2 = [
        ((h >> 24) & 0xff) as u8,
        ((h >> 32) & 0xff) as u8,
        ((h >> 40) & 0xff) as u8,
    ];
    let pattern = (h >> 48) % 3;
    let s = size.max(1) as f32;
    let img: RgbImage = ImageBuffer::from_fn(size, size, |x, y| {
        let (fx, fy) = (x as f32 / s, y as f32 / s);
        let t = (fx + fy) / 2.0;
        let mut px = [0u8; 3];
        for i in 0..3 {
            px[i] = (f32::from(c1[i]) * (1.0 - t) + f32::from(c2[i]) * t) as u8;
        }
        let accent = match pattern {
            0 => ((fx - 0.5).powi(2) + (fy - 0.5).powi(2)).sqrt() < 0.28,
            1 => ((fx * 8.0) as u32 + (fy * 8.0) as u32).is_multiple_of(2),
            _ => ((fy * 10.0 + fx * 3.0) as u32).is_multiple_of(3),
        };
        if accent {
            for p in &mut px {
                *p = 255 - *p / 2;
            }
        }
        Rgb(px)
    });
    let mut out = Vec::new();
    let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 80);
    if img.write_with_encoder(enc).is_err() {
        return Vec::new();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn covers_are_jpeg_and_distinct() {
        let a = cover_jpeg("album-a", 64);
        let b = cover_jpeg("album-b", 64);
        assert_eq!(&a[..3], &[0xFF, 0xD8, 0xFF]);
        assert_ne!(a, b);
        let decoded = image::load_from_memory(&cover_jpeg("x", 300)).map(|i| i.width());
        assert_eq!(decoded.ok(), Some(300));
    }
}
