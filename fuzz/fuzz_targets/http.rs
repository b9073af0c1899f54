//! Reads arbitrary bytes as HTTP: split at a byte chosen by the input into a client half and a
//! server half, each parsed with `parse_stream`, and whole with `import_text`. Nothing may
//! panic, and every message must lie within the text it was read from.

#![no_main]

use cwmp_capture::{ByteStream, HttpMessage, Role, import_text, parse_stream};
use libfuzzer_sys::fuzz_target;

fn within(messages: &[HttpMessage], len: usize) {
    for m in messages {
        let range = &m.stream_range;
        assert!(
            range.start <= range.end && range.end <= len as u64,
            "stream_range {range:?} outside a text of {len} bytes"
        );
        for span in &m.spans {
            assert!(
                span.start <= span.end && span.end <= len,
                "span {span:?} outside the text"
            );
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&split, rest)) = data.split_first() else {
        return;
    };
    let at = usize::from(split) * rest.len() / 255;
    let (requests, responses) = rest.split_at(at);
    let client = parse_stream(&ByteStream::from_text(requests, 0), Role::Requests, &[]);
    within(&client.messages, requests.len());
    let methods: Vec<&str> = client
        .messages
        .iter()
        .filter_map(HttpMessage::method)
        .collect();
    let server = parse_stream(
        &ByteStream::from_text(responses, 0),
        Role::Responses,
        &methods,
    );
    within(&server.messages, responses.len());
    let import = import_text(rest);
    for exchange in &import.exchanges {
        let messages: Vec<HttpMessage> = exchange
            .request
            .iter()
            .chain(&exchange.interim)
            .chain(&exchange.response)
            .cloned()
            .collect();
        within(&messages, rest.len());
    }
    assert_eq!(import.summary.http_exchanges, import.exchanges.len() as u64);
});
