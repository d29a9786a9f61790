//! A hasher whose output is fixed by this file, so the broken twin's "arbitrary" eviction order is
//! the same on every run and every Rust release.
//!
//! Why not std's: `HashMap::new()` seeds SipHash randomly per map (the victim would change from
//! run to run — the bug, but not a reproducible test), and `BuildHasherDefault<DefaultHasher>`,
//! though unseeded, hashes with an algorithm std documents as unspecified and free to change
//! between releases — a toolchain upgrade could move the pinned counterexample and turn CI red
//! for no reason in this code. FNV-1a (64-bit) is a one-line loop and its output is defined by its
//! constants. What is left to std is where its table puts a given hash (its bucket layout); that
//! is unspecified too, but it is not an algorithm std reserves the right to swap, and if it ever
//! changes the snapshot test says so and the new counterexample is accepted deliberately. Not for
//! untrusted keys: FNV is not collision-resistant, which a 4-key cache in a test does not need.

use std::hash::{BuildHasherDefault, Hasher};

/// FNV-1a, 64-bit: `hash = (hash ^ byte) * PRIME` for every byte, from a fixed offset basis.
pub struct Fnv1a(u64);

impl Default for Fnv1a {
    fn default() -> Self {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv1a {
    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0 ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// The map's hasher state: FNV-1a, no seed. The iteration order is arbitrary but reproducible.
pub type FixedState = BuildHasherDefault<Fnv1a>;
