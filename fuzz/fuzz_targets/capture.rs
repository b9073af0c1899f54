//! Imports arbitrary bytes as a capture, through `import_capture` and through the three steps
//! it is made of. Nothing may panic, and what comes out must point inside the input.

#![no_main]

use cwmp_capture::{decode_capture, import_capture, read_frames, reassemble_tcp};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let frames = read_frames(data);
    for frame in &frames.frames {
        assert!(
            frame.span.end <= data.len(),
            "a frame's span lies outside the input"
        );
        assert_eq!(&data[frame.span.clone()], frame.data);
    }
    let decoded = decode_capture(data);
    for packet in &decoded.packets {
        if let Some(span) = &packet.payload_span {
            assert!(
                span.end <= data.len(),
                "a payload span lies outside the input"
            );
        }
    }
    let streams = reassemble_tcp(&decoded.packets);
    assert_eq!(
        streams.summary.connections,
        streams.connections.len() as u64
    );
    let import = import_capture(data);
    assert_eq!(import.summary.http_exchanges, import.exchanges.len() as u64);
    for exchange in &import.exchanges {
        for message in exchange.request.iter().chain(&exchange.response) {
            for span in &message.spans {
                assert!(
                    span.start <= span.end && span.end <= data.len(),
                    "a message span lies outside the input"
                );
            }
        }
    }
});
