//! Where the lines of a chunk end: every `\n` and `\r`, found eight bytes at a time.
//!
//! Why not `memchr2_iter`: `memchr` is built to find a rare byte far away, and each search pays a
//! set-up that a long haystack repays. An event stream's lines are short (in the benchmark stream,
//! five line ends per 87-byte event: 17 bytes apart on average), so the decoder started a new
//! search every few bytes. This iterator reads the bytes once, a `u64` word at a
//! time, and marks every line end in a word with a few integer operations (SWAR, "SIMD within a
//! register"): plain safe Rust, nothing specific to one CPU. The benchmark
//! (`benches/sse_decoder.rs`, rows `line_ends_memchr2` and `line_ends_swar`) times both on the
//! same stream. (Explicit SIMD through `std::arch` is the next step, at the price of `unsafe` and a
//! code path per CPU family.)

// ANCHOR: marks
/// `0x80` in each byte of `word` that is zero, `0x00` in every other byte — exactly. Per byte `b`:
/// `(b & 0x7f) + 0x7f` has its top bit set unless `b`'s low seven bits are all zero (and is at
/// most `0xfe`, so nothing carries into the next byte); `| b` sets it if `b`'s own top bit is set;
/// the top bits left clear, inverted, mark the zero bytes.
fn zero_bytes(word: u64) -> u64 {
    const LOW7: u64 = u64::from_ne_bytes([0x7f; 8]);
    !(((word & LOW7) + LOW7) | word | LOW7)
}

/// `0x80` in each byte of `word` that is `\n` or `\r`.
fn line_end_bytes(word: u64) -> u64 {
    const LF: u64 = u64::from_ne_bytes([b'\n'; 8]);
    const CR: u64 = u64::from_ne_bytes([b'\r'; 8]);
    zero_bytes(word ^ LF) | zero_bytes(word ^ CR)
}
// ANCHOR_END: marks

/// The positions of every `\n` and `\r` in a byte slice, in order: [`line_ends`].
#[derive(Debug, Clone)]
pub struct LineEnds<'a> {
    /// The whole words not read yet.
    words: std::slice::Iter<'a, [u8; 8]>,
    /// The last 0–7 bytes, read as one more word padded with zeros.
    tail: &'a [u8],
    /// Where the word being read starts, and where the next one does.
    base: usize,
    next: usize,
    /// The line ends in the word being read and not returned yet: `0x80` in each such byte.
    marks: u64,
}

/// Every `\n` and `\r` in `bytes`, in order.
///
/// ```
/// use networking::sse_decoder::line_ends::line_ends;
///
/// let ends: Vec<usize> = line_ends(b"data: a\r\n\nid: 1\r").collect();
/// assert_eq!(ends, [7, 8, 9, 15]);
/// ```
pub fn line_ends(bytes: &[u8]) -> LineEnds<'_> {
    let (words, tail) = bytes.as_chunks::<8>();
    LineEnds {
        words: words.iter(),
        tail,
        base: 0,
        next: 0,
        marks: 0,
    }
}

impl Iterator for LineEnds<'_> {
    type Item = usize;

    #[inline] // the decoder's inner loop: a call per line end would cost as much as the search
    fn next(&mut self) -> Option<usize> {
        while self.marks == 0 {
            let word = match self.words.next() {
                Some(word) => *word,
                None if self.tail.is_empty() => return None,
                None => {
                    let mut word = [0; 8]; // zeros are not line ends
                    word[..self.tail.len()].copy_from_slice(self.tail);
                    self.tail = &[];
                    word
                }
            };
            self.base = self.next;
            self.next += 8;
            // Little-endian: the slice's first byte is the word's lowest.
            self.marks = line_end_bytes(u64::from_le_bytes(word));
        }
        let at = self.base + (self.marks.trailing_zeros() / 8) as usize;
        self.marks &= self.marks - 1; // that one is returned
        Some(at)
    }
}
