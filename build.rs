//! Link-time settings for the `spotdeck` binary.
//!
//! On Linux with glibc the binary is linked with packed relative relocations
//! (`-z pack-relative-relocs`, DT_RELR): the ~800 KB relocation table of a
//! position-independent executable, read in full at every start and then
//! kept resident, shrinks to a few KB. A linker or C library without DT_RELR
//! support leaves the ordinary table in place.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
}
