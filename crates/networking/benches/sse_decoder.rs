//! What does keeping state between chunks cost? N11's streaming decoder against the floor, a
//! plain line split of the same bytes — `cargo bench -p networking --bench sse_decoder` (or
//! `scripts/bench sse_decoder`, which writes the book's table).
//!
//! The stream: 10,000 events (`event:`, two `data:` lines with non-ASCII text, `id:`), about
//! 0.87 MB, LF line ends. Seven rows, each reported in MB/s (`Throughput::Bytes`):
//! * `line_split`: split the bytes on `\n` and `\r` and touch every line — no UTF-8, no fields,
//!   no state: the floor any SSE decoder sits above;
//! * `borrowed_whole`: the fixed decoder's `feed_with` (events borrowed from its buffers) fed the
//!   whole stream at once;
//! * `borrowed_4k_chunks`: the same, fed in 4 KiB chunks, as a socket delivers it;
//! * `decoder_whole` and `decoder_4k_chunks`: the owned wrapper `feed`, which copies each event
//!   into an `Event` of three `String`s and returns them in a `Vec`;
//! * `line_ends_memchr2` and `line_ends_swar`: only finding every `\n` and `\r`, with
//!   `memchr::memchr2_iter` and with the decoder's own `line_ends` — why the decoder has its own.
//!
//! Real time, not the paused clock: this is a benchmark, not a check.

// criterion's macros generate undocumented functions.
#![allow(missing_docs)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use networking::sse_decoder::line_ends::line_ends;
use networking::sse_decoder::{Decoder, fixed};

/// The benchmark stream.
fn stream() -> Vec<u8> {
    let mut stream = String::new();
    for i in 0..10_000 {
        stream += &format!(
            "event: update\ndata: {{\"n\": {i}, \"text\": \"héllo wörld\"}}\ndata: 😀 line two\nid: {i}\n\n"
        );
    }
    stream.into_bytes()
}

fn sse_decoder(c: &mut Criterion) {
    let stream = stream();
    let mut group = c.benchmark_group("networking_sse_decoder");
    group
        .throughput(Throughput::Bytes(stream.len() as u64))
        .measurement_time(Duration::from_secs(2))
        .warm_up_time(Duration::from_millis(500));

    group.bench_function("line_split", |b| {
        b.iter(|| {
            black_box(&stream)
                .split(|&b| b == b'\n' || b == b'\r')
                .map(|line| black_box(line).len())
                .sum::<usize>()
        });
    });
    group.bench_function("borrowed_whole", |b| {
        b.iter(|| {
            let mut events = 0;
            fixed::SseDecoder::default().feed_with(black_box(&stream), |event| {
                black_box(event);
                events += 1;
            });
            assert_eq!(events, 10_000);
        });
    });
    group.bench_function("borrowed_4k_chunks", |b| {
        b.iter(|| {
            let mut decoder = fixed::SseDecoder::default();
            let mut events = 0;
            for chunk in black_box(&stream).chunks(4096) {
                decoder.feed_with(chunk, |event| {
                    black_box(event);
                    events += 1;
                });
            }
            assert_eq!(events, 10_000);
        });
    });
    group.bench_function("decoder_whole", |b| {
        b.iter(|| {
            let events = fixed::SseDecoder::default().feed(black_box(&stream));
            assert_eq!(events.len(), 10_000);
            events
        });
    });
    group.bench_function("decoder_4k_chunks", |b| {
        b.iter(|| {
            let mut decoder = fixed::SseDecoder::default();
            let mut events = 0;
            for chunk in black_box(&stream).chunks(4096) {
                events += decoder.feed(chunk).len();
            }
            assert_eq!(events, 10_000);
        });
    });
    group.bench_function("line_ends_memchr2", |b| {
        b.iter(|| memchr::memchr2_iter(b'\n', b'\r', black_box(&stream)).fold(0, |n, end| n ^ end));
    });
    group.bench_function("line_ends_swar", |b| {
        b.iter(|| line_ends(black_box(&stream)).fold(0, |n, end| n ^ end));
    });
    group.finish();
}

criterion_group!(benches, sse_decoder);
criterion_main!(benches);
