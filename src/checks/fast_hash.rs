//! A fast, non-cryptographic hash for noticing changed entries and looking up ids.
//!
//! Rechecking a 100,000-post blog fingerprints every entry (tens of megabytes of text),
//! so the hash must run near memory speed: it reads eight bytes at a time into four
//! independent lanes, mixing each word with a folded multiply (as foldhash does). It only has to
//! tell one version of an entry from the next; nothing here defends against a crafted
//! collision, and nothing relies on it for safety: the command line and the export check
//! the document afresh.

use std::hash::{BuildHasherDefault, Hasher};

const MULTIPLIER: u64 = 0xf135_7aea_2e62_a9c5;

/// Starting values (digits of pi): a state of zero would let a zero word erase history.
const SEED: u64 = 0x243f_6a88_85a3_08d3;
const LANE_SEEDS: [u64; 3] = [
    0x1319_8a2e_0370_7344,
    0xa409_3822_299f_31d0,
    0x082e_fa98_ec4e_6c89,
];

#[derive(Clone, Copy, Debug)]
pub(super) struct FastHasher {
    hash: u64,
}

impl Default for FastHasher {
    fn default() -> Self {
        Self { hash: SEED }
    }
}

/// For `HashMap`s keyed by entry id.
pub(super) type FastBuild = BuildHasherDefault<FastHasher>;

/// A folded multiply (as in foldhash and wyhash): the high half of the 128-bit product
/// folds back into the low half, so every input bit reaches every output bit.
#[inline]
fn mix(state: u64, word: u64) -> u64 {
    let product = u128::from(state ^ word) * u128::from(MULTIPLIER);
    (product as u64) ^ ((product >> 64) as u64)
}

#[inline]
fn word(bytes: &[u8]) -> u64 {
    let mut buffer = [0u8; 8];
    let len = bytes.len().min(8);
    buffer[..len].copy_from_slice(&bytes[..len]);
    u64::from_le_bytes(buffer)
}

impl Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut lanes = [self.hash, LANE_SEEDS[0], LANE_SEEDS[1], LANE_SEEDS[2]];
        let mut blocks = bytes.chunks_exact(32);
        for block in &mut blocks {
            lanes[0] = mix(lanes[0], word(&block[0..8]));
            lanes[1] = mix(lanes[1], word(&block[8..16]));
            lanes[2] = mix(lanes[2], word(&block[16..24]));
            lanes[3] = mix(lanes[3], word(&block[24..32]));
        }
        let mut hash = mix(mix(mix(lanes[0], lanes[1]), lanes[2]), lanes[3]);
        for piece in blocks.remainder().chunks(8) {
            hash = mix(hash, word(piece));
        }
        // The length keeps "ab" + "" apart from "a" + "b".
        self.hash = mix(hash, bytes.len() as u64);
    }

    fn write_u8(&mut self, value: u8) {
        self.hash = mix(self.hash, u64::from(value));
    }

    fn write_u32(&mut self, value: u32) {
        self.hash = mix(self.hash, u64::from(value));
    }

    fn write_u64(&mut self, value: u64) {
        self.hash = mix(self.hash, value);
    }

    fn write_usize(&mut self, value: usize) {
        self.hash = mix(self.hash, value as u64);
    }

    fn finish(&self) -> u64 {
        mix(self.hash, 0x2d35_8dcc_aa6c_78a5)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::Hash;

    fn hash_of(value: impl Hash) -> u64 {
        let mut hasher = FastHasher::default();
        value.hash(&mut hasher);
        hasher.finish()
    }

    #[test]
    fn any_one_byte_change_changes_the_hash() {
        let text = "Kremlin spokesperson Dmitry Peskov has indicated Vladimir Putin is ready to speak about peace.";
        let original = hash_of(text);
        for at in 0..text.len() {
            let mut bytes = text.as_bytes().to_vec();
            bytes[at] ^= 0x20;
            assert_ne!(hash_of(&bytes[..]), original, "change at {at} unnoticed");
        }
        assert_ne!(hash_of(("ab", "")), hash_of(("a", "b")));
        // Ids of a generated blog, whose lengths differ by a byte, stay apart.
        let ids: std::collections::HashSet<u64> =
            (0..100_000).map(|n| hash_of(format!("post-{n}"))).collect();
        assert_eq!(ids.len(), 100_000);
        assert_ne!(hash_of(""), hash_of(" "));
    }
}
