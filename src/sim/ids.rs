//! Deterministic identifiers and timestamps for the simulator's demo data.

/// Characters of a Spotify base-62 id.
const BASE62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// One step of the splitmix64 generator; a cheap, well-mixed hash of `x`.
pub fn mix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// FNV-1a hash of a string, used to seed ids per kind.
pub fn hash_str(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A 22-character base-62 id, stable for a given `kind` and `n`.
pub fn base62_id(kind: &str, n: u64) -> String {
    let mut seed = hash_str(kind) ^ mix(n);
    (0..22)
        .map(|_| {
            seed = mix(seed);
            char::from(BASE62[(seed % 62) as usize])
        })
        .collect()
}

/// A 40-character hex id, like Spotify Connect device ids.
pub fn hex40_id(kind: &str, n: u64) -> String {
    let mut seed = hash_str(kind) ^ mix(n);
    (0..5)
        .map(|_| {
            seed = mix(seed);
            format!("{seed:016x}")[..8].to_string()
        })
        .collect()
}

/// Formats seconds since the Unix epoch as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn iso8601(unix_secs: i64) -> String {
    let days = unix_secs.div_euclid(86_400);
    let secs = unix_secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        (secs / 60) % 60,
        secs % 60
    )
}

/// Converts days since 1970-01-01 to a (year, month, day) in the proleptic
/// Gregorian calendar, using 400-year eras.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_and_well_formed() {
        let a = base62_id("track", 3);
        assert_eq!(a.len(), 22);
        assert_eq!(a, base62_id("track", 3));
        assert_ne!(a, base62_id("track", 4));
        assert!(a.chars().all(|c| c.is_ascii_alphanumeric()));
        let h = hex40_id("device", 1);
        assert_eq!(h.len(), 40);
        assert!(h.chars().all(|c| c.is_ascii_hexdigit()));
    }

    #[test]
    fn iso8601_formats_known_instants() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso8601(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(iso8601(1_753_823_515), "2025-07-29T21:11:55Z");
    }
}
