//! N11 `sse_decoder`: a parser that parses each chunk on its own loses the events a chunk
//! boundary cuts.

use networking::sse_decoder::line_ends::line_ends;
use networking::sse_decoder::{
    Decoder, Event, broken, chunks_decode_like_the_whole, decode_in_chunks, fixed, harness, pieces,
    reconnect, run,
};
use proptest::sample::Index;
use proptest::strategy::Strategy;
use proptest::test_runner::{TestCaseError, TestError, TestRunner};
use racelab_kit::demo::Variant;

fn event(event: &str, data: &str, id: &str) -> Event {
    Event {
        event: event.to_owned(),
        data: data.to_owned(),
        id: id.to_owned(),
    }
}

/// The trivial case: one event with one `data:` line, in one chunk — the guide's parser is right.
#[test]
fn broken_sse_decoder_is_right_for_a_simple_event_in_one_chunk() {
    let events = broken::SseDecoder.feed(b"event: ping\ndata: hello\n\n");
    assert_eq!(events, [event("ping", "hello", "")]);
}

// ANCHOR: guide_bugs
/// Even in one chunk, the guide's parser keeps only the last `data:` line, and reads `\r\n` as
/// two line ends, so the blank line between them ends each event early.
#[test]
fn broken_sse_decoder_overwrites_data_lines_and_splits_crlf_twice() {
    let mut decoder = broken::SseDecoder;
    assert_eq!(decoder.feed(b"data: a\ndata: b\n\n"), [event("", "b", "")]);
    assert_eq!(
        decoder.feed(b"data: a\r\ndata: b\r\n\r\n"),
        [event("", "a", ""), event("", "b", "")]
    );
}

/// A chunk that ends inside a UTF-8 character is not valid text: the guard drops it, and the
/// complete event in front of it with it.
#[test]
fn broken_sse_decoder_drops_a_chunk_that_ends_inside_a_character() {
    let stream = "data: one\n\ndata: é\n\n".as_bytes();
    let inside_e = stream.len() - 3; // between the two bytes of `é`
    assert_eq!(
        decode_in_chunks::<broken::SseDecoder>(stream, &[inside_e]),
        []
    );
    assert_eq!(
        decode_in_chunks::<fixed::SseDecoder>(stream, &[inside_e]),
        [event("message", "one", ""), event("message", "é", "")]
    );
}
// ANCHOR_END: guide_bugs

/// The fixed decoder on the same single chunks: lines joined, CRLF one line end, `id:` and
/// `retry:` kept, comments and unknown fields ignored.
#[test]
fn fixed_sse_decoder_joins_data_and_reads_crlf_as_one_line_end() {
    let mut decoder = fixed::SseDecoder::default();
    assert_eq!(
        decoder.feed(b"data: a\ndata: b\n\n"),
        [event("message", "a\nb", "")]
    );
    assert_eq!(
        decoder.feed(b": hi\r\nid: 7\r\nretry: 250\r\nfoo: x\r\ndata: a\r\ndata: b\r\n\r\n"),
        [event("message", "a\nb", "7")]
    );
    assert_eq!((decoder.id_buffer(), decoder.retry), ("7", Some(250)));
}

/// A `\r` that ends one chunk and a `\n` that starts the next are one line end, not two.
#[test]
fn fixed_sse_decoder_joins_a_crlf_cut_by_the_chunk_boundary() {
    let stream = b"data: a\r\ndata: b\r\n\r\n";
    let cut = stream.iter().position(|&b| b == b'\n').unwrap(); // right after the first `\r`
    assert_eq!(
        decode_in_chunks::<fixed::SseDecoder>(stream, &[cut]),
        [event("message", "a\nb", "")]
    );
}

/// Bytes that are not UTF-8 become U+FFFD wherever they fall (the standard decodes the stream
/// with "UTF-8 decode"), and one byte order mark is stripped, before the first line only. The
/// generated streams below are always valid UTF-8, so this pins the rest: the whole stream, every
/// way of cutting it in two (exhaustive over single cuts), and one byte at a time.
#[test]
fn fixed_sse_decoder_replaces_invalid_bytes_and_strips_one_bom_however_cut() {
    let stream: &[u8] = b"\xef\xbb\xbfdata: a\xffb\nevent: x\xc3\nid: \xe2\x82\n\n\
\xef\xbb\xbfdata: not data\n\n\
data: \xf0\x9f\x98\x80\xf0\x9f\n\n";
    let expected = [
        event("x\u{fffd}", "a\u{fffd}b", "\u{fffd}"),
        // (a second BOM is no BOM: its line's field name is not `data`, so no event)
        event("message", "\u{1f600}\u{fffd}", "\u{fffd}"), // a whole emoji, then half of one
    ];
    assert_eq!(decode_in_chunks::<fixed::SseDecoder>(stream, &[]), expected);
    for cut in 1..stream.len() {
        let events = decode_in_chunks::<fixed::SseDecoder>(stream, &[cut]);
        assert_eq!(events, expected, "cut at byte {cut}");
    }
    let every_byte: Vec<usize> = (1..stream.len()).collect();
    assert_eq!(
        decode_in_chunks::<fixed::SseDecoder>(stream, &every_byte),
        expected
    );
}

/// The generated streams below are valid UTF-8; this property is over any bytes, mostly the
/// ones near a line end, a BOM or a character: cut anywhere, they decode like the whole stream,
/// and the whole stream decodes like its text after `String::from_utf8_lossy` (the standard's
/// "UTF-8 decode": each invalid sequence one U+FFFD).
#[test]
fn fixed_sse_decoder_decodes_any_bytes_like_their_lossy_text_however_cut() {
    let near = proptest::sample::select(
        b"\r\n\n:: dataid\xef\xbb\xbf\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xff\x80".to_vec(),
    );
    let bytes = proptest::collection::vec(
        proptest::prop_oneof![4 => near, 1 => proptest::arbitrary::any::<u8>()],
        0..60,
    );
    let cuts = proptest::collection::vec(proptest::arbitrary::any::<Index>(), 0..=5);
    let result = runner(true).run(&(bytes, cuts), |(bytes, cuts)| {
        let mut cuts: Vec<usize> = cuts.iter().map(|i| i.index(bytes.len() + 1)).collect();
        cuts.sort_unstable();
        let whole = decode_in_chunks::<fixed::SseDecoder>(&bytes, &[]);
        let text = String::from_utf8_lossy(&bytes);
        let of_text = decode_in_chunks::<fixed::SseDecoder>(text.as_bytes(), &[]);
        proptest::prop_assert_eq!(&whole, &of_text);
        chunks_decode_like_the_whole::<fixed::SseDecoder>(&bytes, &cuts)
            .map_err(TestCaseError::fail)
    });
    assert!(result.is_ok(), "{result:?}");
}

/// `retry:` with digits only sets the reconnection time; anything else is ignored — including
/// a number too large for the decoder to hold, which must not undo the time set before.
#[test]
fn fixed_sse_decoder_keeps_the_retry_time_when_a_retry_value_is_too_large() {
    let mut decoder = fixed::SseDecoder::default();
    decoder.feed(b"retry: 2500\nretry: 99999999999999999999999\nretry: 1e3\nretry: +7\n");
    assert_eq!(decoder.retry, Some(2500));
}

/// The connection drops with half a character in the decoder: the next connection starts clean
/// (its first line is whole, and a byte order mark before it is stripped).
#[test]
fn fixed_sse_decoder_forgets_a_cut_character_at_the_end_of_the_stream() {
    let mut decoder = fixed::SseDecoder::default();
    assert_eq!(
        decoder.feed(b"data: x\n\n\xc3"),
        [event("message", "x", "")]
    );
    decoder.end_of_stream();
    assert_eq!(
        decoder.feed(b"\xef\xbb\xbfdata: y\n\n"),
        [event("message", "y", "")]
    );
}

/// The positions of `\n` and `\r`, one byte at a time: what [`line_ends`] must find.
fn line_ends_byte_by_byte(bytes: &[u8]) -> Vec<usize> {
    (0..bytes.len())
        .filter(|&i| matches!(bytes[i], b'\n' | b'\r'))
        .collect()
}

/// The decoder finds line ends eight bytes at a time (`line_ends`, integer arithmetic on a
/// `u64`). Exhaustive where that arithmetic could go wrong: every pair of byte values, placed
/// inside a word, across the boundary between the word and the tail, and in the tail; and a run
/// of line ends of every length from 0 to 24 (no word, whole words, words and a tail).
#[test]
fn fixed_sse_decoder_line_ends_match_a_byte_by_byte_search() {
    for first in 0..=u8::MAX {
        for second in 0..=u8::MAX {
            for at in [2, 7, 8] {
                let mut bytes = [b'a'; 10]; // one word of eight bytes, then a tail of two
                bytes[at] = first;
                bytes[at + 1] = second;
                let found: Vec<usize> = line_ends(&bytes).collect();
                assert_eq!(found, line_ends_byte_by_byte(&bytes), "{bytes:?}");
            }
        }
    }
    for len in 0..=24 {
        let bytes = vec![b'\n'; len];
        assert_eq!(
            line_ends(&bytes).collect::<Vec<_>>(),
            (0..len).collect::<Vec<_>>()
        );
    }
}

/// And on generated byte strings of up to 100 bytes, mostly line ends and the bytes nearest them.
#[test]
fn fixed_sse_decoder_line_ends_match_on_generated_bytes() {
    let near = proptest::sample::select(vec![b'\n', b'\r', 0x0b, 0x0c, 0x8a, 0x8d, 0x00, 0xff]);
    let bytes = proptest::collection::vec(
        proptest::prop_oneof![near, proptest::arbitrary::any::<u8>()],
        0..100,
    );
    let result = runner(false).run(&bytes, |bytes| {
        let found: Vec<usize> = line_ends(&bytes).collect();
        proptest::prop_assert_eq!(found, line_ends_byte_by_byte(&bytes));
        Ok(())
    });
    assert!(result.is_ok(), "{result:?}");
}

/// How the generated streams end their lines.
#[derive(Debug, Clone, Copy)]
enum Ending {
    Lf,
    Cr,
    CrLf,
}

impl Ending {
    fn as_str(self) -> &'static str {
        match self {
            Ending::Lf => "\n",
            Ending::Cr => "\r",
            Ending::CrLf => "\r\n",
        }
    }
}

/// One generated event: an optional comment, type and id, one to three `data:` lines.
#[derive(Debug, Clone)]
struct Generated {
    comment: bool,
    kind: Option<String>,
    id: Option<String>,
    data: Vec<String>,
}

/// A generated stream: its events, the line end, the bytes, and where it is cut.
#[derive(Debug, Clone)]
struct Case {
    stream: Vec<u8>,
    cuts: Vec<usize>,
    expected: Vec<Event>,
}

impl Case {
    fn chunks(&self) -> Vec<String> {
        pieces(&self.stream, &self.cuts)
            .into_iter()
            .map(|chunk| format!("{:?}", bytes_as_text(chunk)))
            .collect()
    }
}

/// A chunk as text where it is UTF-8, with `\xNN` for the bytes of a cut character.
fn bytes_as_text(bytes: &[u8]) -> String {
    bytes.utf8_chunks().fold(String::new(), |mut text, chunk| {
        text.push_str(chunk.valid());
        for byte in chunk.invalid() {
            text.push_str(&format!("\\x{byte:02x}"));
        }
        text
    })
}

// ANCHOR: strategy
/// Events × line ends × up to five cuts anywhere, also inside a UTF-8 character and between the
/// `\r` and `\n` of a CRLF. The expected events follow the HTML standard.
fn cases() -> impl Strategy<Value = Case> {
    let text = "[a-zé€😀 ]{0,6}";
    let generated = (
        proptest::bool::ANY,
        proptest::option::of("[a-z]{1,5}"),
        proptest::option::of("[a-z0-9]{1,3}"),
        proptest::collection::vec(text, 1..=3),
    )
        .prop_map(|(comment, kind, id, data)| Generated {
            comment,
            kind,
            id,
            data,
        });
    let endings = proptest::sample::select(vec![Ending::Lf, Ending::Cr, Ending::CrLf]);
    (
        proptest::collection::vec(generated, 1..=3),
        endings,
        proptest::collection::vec(proptest::arbitrary::any::<Index>(), 0..=5),
    )
        .prop_map(|(events, ending, cuts)| {
            let nl = ending.as_str();
            let (mut stream, mut expected, mut last_id) =
                (String::new(), Vec::new(), String::new());
            for e in &events {
                if e.comment {
                    stream += &format!(": note{nl}");
                }
                if let Some(kind) = &e.kind {
                    stream += &format!("event: {kind}{nl}");
                }
                for line in &e.data {
                    stream += &format!("data: {line}{nl}");
                }
                if let Some(id) = &e.id {
                    stream += &format!("id: {id}{nl}");
                    last_id.clone_from(id);
                }
                stream += nl;
                let kind = e.kind.clone().unwrap_or_else(|| "message".to_owned());
                expected.push(event(&kind, &e.data.join("\n"), &last_id));
            }
            let stream = stream.into_bytes();
            let mut cuts: Vec<usize> = cuts.iter().map(|i| 1 + i.index(stream.len() - 1)).collect();
            cuts.sort_unstable();
            cuts.dedup();
            Case {
                stream,
                cuts,
                expected,
            }
        })
}
// ANCHOR_END: strategy

/// 256 cases from a fixed seed: the same sample, and the same shrunk failure, every run
/// (`racelab_testkit::props`). The fixed twin's failures, if any, are kept and replayed first.
fn runner(persist: bool) -> TestRunner {
    let regressions = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/demos/proptest-regressions/sse_decoder.txt"
    );
    racelab_testkit::props::runner(256, persist.then_some(regressions))
}

// ANCHOR: caught
/// The property over generated streams finds a stream the guide's parser decodes differently when
/// it is cut, and shrinks it to two chunks. No failure persistence: the seed is fixed, the
/// counterexample is pinned here instead.
#[test]
fn broken_sse_decoder_loses_an_event_cut_into_two_chunks() {
    let result = runner(false).run(&cases(), |case| {
        chunks_decode_like_the_whole::<broken::SseDecoder>(&case.stream, &case.cuts)
            .map_err(TestCaseError::fail)
    });
    let Err(TestError::Fail(reason, case)) = result else {
        panic!("the property should fail for the guide's parser: {result:?}");
    };
    assert_eq!(case.cuts.len(), 1, "shrunk to two chunks");
    racelab_testkit::snapshot!(
        "sse_decoder__trace",
        format!("chunks: {}\n{reason}", case.chunks().join(" | "))
    );
}
// ANCHOR_END: caught

/// The same property holds for the fixed decoder (failures would be persisted and replayed).
#[test]
fn fixed_sse_decoder_decodes_the_same_however_the_stream_is_cut() {
    let result = runner(true).run(&cases(), |case| {
        chunks_decode_like_the_whole::<fixed::SseDecoder>(&case.stream, &case.cuts)
            .map_err(TestCaseError::fail)
    });
    assert!(result.is_ok(), "{result:?}");
}

/// And what it decodes is what the HTML standard says the generated stream means.
#[test]
fn fixed_sse_decoder_matches_the_standard_on_every_generated_stream() {
    let result = runner(true).run(&cases(), |case| {
        let events = decode_in_chunks::<fixed::SseDecoder>(&case.stream, &case.cuts);
        proptest::prop_assert_eq!(events, case.expected);
        Ok(())
    });
    assert!(result.is_ok(), "{result:?}");
}

/// What `eventsource-stream` decodes from `chunks`: each event, or the error it stopped with.
fn eventsource_stream(chunks: Vec<&[u8]>) -> Vec<Result<Event, String>> {
    use futures_util::{FutureExt, StreamExt};
    let chunks = futures_util::stream::iter(chunks.into_iter().map(Ok::<_, String>));
    let events = eventsource_stream::EventStream::new(chunks).map(|event| {
        event
            .map(|e| Event {
                event: e.event,
                data: e.data,
                id: e.id,
            })
            .map_err(|error| format!("{error:?}"))
    });
    // Every chunk is ready at once, so the stream ends on the first poll: no runtime needed.
    events
        .collect()
        .now_or_never()
        .expect("every chunk is ready")
}

// ANCHOR: professional
/// The crate a professional would use instead of writing a decoder, `eventsource-stream` (under
/// `reqwest-eventsource`), on the same generated streams and cuts — CRLF and characters cut by a
/// chunk boundary included: it decodes each as the standard says, like the fixed twin, once the
/// byte after the stream's last bare CR has arrived (the next test says why).
#[test]
fn eventsource_stream_decodes_every_generated_stream_like_the_standard() {
    let result = runner(false).run(&cases(), |case| {
        let mut chunks = pieces(&case.stream, &case.cuts);
        chunks.push(b"\n");
        let events = eventsource_stream(chunks);
        let expected: Vec<Result<Event, String>> = case.expected.into_iter().map(Ok).collect();
        proptest::prop_assert_eq!(events, expected);
        Ok(())
    });
    assert!(result.is_ok(), "{result:?}");
}

/// Where it departs from the standard (version 0.2.3, pinned exactly in Cargo.toml: moving the
/// pin to a release that changes any of these fails here, on purpose). A line may end with "a
/// single U+000D CARRIAGE RETURN (CR) character not followed by a U+000A LINE FEED (LF)
/// character". The crate waits for the byte after a CR to see whether it is an LF, so an event
/// whose blank line is a bare CR waits for whatever the server sends next — and when the stream
/// ends right after that CR, it is never dispatched. The fixed decoder ends the line at the CR
/// and skips an LF that follows.
#[test]
fn eventsource_stream_holds_an_event_ended_by_a_bare_cr_until_the_next_byte() {
    let x = || Ok(event("message", "x", ""));
    assert_eq!(eventsource_stream(vec![b"data: x\r\r"]), []);
    assert_eq!(eventsource_stream(vec![b"data: x\r\r", b":"]), [x()]);
    assert_eq!(
        fixed::SseDecoder::default().feed(b"data: x\r\r"),
        [event("message", "x", "")]
    );
}

/// A byte that is not UTF-8 should become U+FFFD. The crate keeps everything from that byte on
/// as "not decoded yet": no later event comes out, and when the stream ends it reports a UTF-8
/// error instead.
#[test]
fn eventsource_stream_stops_at_a_byte_that_is_not_utf8() {
    let chunks: Vec<&[u8]> = vec![b"data: x\n\n", b"data: \xffy\n\n", b"data: z\n\n"];
    let events = eventsource_stream(chunks.clone());
    assert_eq!(events.len(), 2, "{events:?}");
    assert_eq!(events[0], Ok(event("message", "x", "")));
    assert!(
        events[1].as_ref().is_err_and(|e| e.starts_with("Utf8")),
        "{events:?}"
    );
    let stream = chunks.concat();
    assert_eq!(
        decode_in_chunks::<fixed::SseDecoder>(&stream, &[9, 19]),
        [
            event("message", "x", ""),
            event("message", "\u{fffd}y", ""),
            event("message", "z", "")
        ]
    );
}

/// A stream may start with a byte order mark (`stream = [ bom ] *event`). The crate strips it
/// with `&string[1..]`, but U+FEFF is three bytes in UTF-8: slicing after the first one panics.
/// An open pull request fixes it (jpopesculian/eventsource-stream#10); 0.2.3 is the latest
/// release.
#[test]
fn eventsource_stream_panics_on_a_stream_that_starts_with_a_bom() {
    let stream = b"\xef\xbb\xbfdata: x\n\n";
    let panic = std::panic::catch_unwind(|| eventsource_stream(vec![stream])).unwrap_err();
    let message = racelab_kit::explore::panic_message(panic.as_ref());
    assert!(message.contains("is not a char boundary"), "{message}");
    assert_eq!(
        fixed::SseDecoder::default().feed(stream),
        [event("message", "x", "")]
    );
}
// ANCHOR_END: professional

/// Over real sockets: a loopback server sends the stream one byte per HTTP chunk and reqwest
/// reads it; the guide's parser decodes nothing.
#[test]
fn broken_sse_decoder_decodes_nothing_sent_byte_by_byte_over_loopback() {
    let (outcome, _trace) = run(Variant::Broken);
    assert_eq!(
        outcome.unwrap_err(),
        "the server sent 3 events one byte at a time; the client decoded 0"
    );
}

/// The fixed decoder gets every event, and the server saw 121 chunks go out one by one.
#[test]
fn fixed_sse_decoder_decodes_every_event_sent_byte_by_byte_over_loopback() {
    let (outcome, trace) = run(Variant::Fixed);
    assert_eq!(outcome, Ok(()));
    let said = trace.render();
    assert!(
        said.contains(&format!("after {} chunks", harness::STREAM.len())),
        "{said}"
    );
}

// ANCHOR: reconnect
/// The header over a real socket: the stream ends; the client takes the delay from `retry: 2500`
/// (asserted, not waited for — no check here waits on real time; 2500 is not the 3000 ms
/// default, so a decoder that ignored `retry:` fails) and connects again with `Last-Event-ID`
/// set to the id of the last event dispatched (the standard's last event ID string).
#[test]
fn fixed_sse_decoder_reconnects_with_retry_and_last_event_id() {
    use axum::http::HeaderMap;
    use futures_util::StreamExt;
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    let seen: Arc<Mutex<Vec<Option<String>>>> = Arc::default();
    let record = seen.clone();
    let events = move |headers: HeaderMap| {
        let id = headers
            .get("last-event-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        record.lock().unwrap().push(id);
        async { ([("content-type", "text/event-stream")], harness::STREAM) }
    };
    let app = axum::Router::new().route("/events", axum::routing::get(events));
    networking::loopback::run_as("test", async {
        let client = networking::loopback::client().unwrap();
        let server = networking::loopback::Server::start(app).await.unwrap();
        let url = server.url("/events");
        let mut decoder = fixed::SseDecoder::default();
        let mut body = client.get(&url).send().await.unwrap().bytes_stream();
        while let Some(chunk) = body.next().await {
            decoder.feed(&chunk.unwrap());
        }
        assert_eq!(decoder.retry, Some(2500));
        let (delay, last_id) = decoder.reconnect();
        assert_eq!((delay, last_id), (Duration::from_millis(2500), Some("2")));
        assert_ne!(delay, fixed::DEFAULT_RETRY);
        let again = client.get(&url).header("last-event-id", last_id.unwrap());
        assert!(again.send().await.unwrap().status().is_success());
        server.stop().await.unwrap();
    });
    assert_eq!(*seen.lock().unwrap(), [None, Some("2".to_owned())]);
}
// ANCHOR_END: reconnect

/// The deliberate deviation, pinned: after a reconnect, an event without `id:` keeps the last
/// dispatched id (the standard's literal reading gives it "" and the next reconnect would send no
/// `Last-Event-ID`, resuming from the start).
#[test]
fn fixed_sse_decoder_carries_the_last_event_id_into_the_next_stream() {
    let mut decoder = fixed::SseDecoder::default();
    assert_eq!(
        decoder.feed(
            b"id: 4
data: a

id: 5
data: cut"
        ),
        [event("message", "a", "4")]
    );
    decoder.end_of_stream(); // the cut event and its `id: 5` are discarded
    assert_eq!(decoder.id_buffer(), "4");
    assert_eq!(
        decoder.feed(
            b"data: b

"
        ),
        [event("message", "b", "4")]
    );
    assert_eq!(decoder.reconnect().1, Some("4"));
}

// ANCHOR: reconnect_loop
/// The guide's manager connects once: the server drops the connection after two events, and the
/// other two never arrive — nothing reconnects.
#[test]
fn broken_reconnect_never_reconnects_and_loses_the_rest() {
    let (outcome, connections, trace) = reconnect::run::<reconnect::broken::SseManager>();
    assert_eq!(
        outcome.unwrap_err(),
        "the server had [\"one\", \"two\", \"three\", \"four\"]; \
         the client received [\"one\", \"two\"] over 1 connection(s)"
    );
    assert_eq!(connections.len(), 1);
    racelab_testkit::snapshot!("sse_decoder__reconnect_broken", trace.render());
}

/// On the paused clock: the fixed manager reconnects after exactly the `retry:` time (2000 ms of
/// virtual time, recorded by the server), sends `Last-Event-ID` of the last event it dispatched —
/// `2`, not the `3` of the event the drop cut — and stops at `204 No Content`.
#[test]
fn fixed_reconnect_after_retry_with_last_event_id() {
    let (outcome, connections, trace) = reconnect::run::<reconnect::fixed::SseManager>();
    assert_eq!(outcome, Ok(()));
    let seen: Vec<(u128, Option<&str>)> = connections
        .iter()
        .map(|c| (c.at_ms, c.last_event_id.as_deref()))
        .collect();
    assert_eq!(seen, [(0, None), (2000, Some("2")), (4000, Some("4"))]);
    racelab_testkit::snapshot!("sse_decoder__reconnect_fixed", trace.render());
}
// ANCHOR_END: reconnect_loop
