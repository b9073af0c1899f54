//! Decodes arbitrary bytes; whatever decodes must survive `encode` then `decode` unchanged.
//!
//! Decoding must never panic, and the canonical encoding of a decoded message must decode to
//! the same message (spans aside, which `PartialEq` ignores): a difference means the decoder and
//! the encoder disagree about some input, which is a bug in one of them.

#![no_main]

use cwmp_codec::{EncodeOptions, Message, decode, encode};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(first) = decode(data) else {
        return;
    };
    let options = EncodeOptions::for_message(&first.message);
    let encoded = encode(&first.message, &options);
    let mut second = match decode(encoded.as_bytes()) {
        Ok(second) => second,
        Err(error) => {
            panic!("the encoding of a decoded message does not decode: {error}\n{encoded}")
        }
    };
    // A message read without any CWMP namespace (elements matched by name) is necessarily
    // written in one; that is the encoder's job, not a disagreement.
    if let (Message::Envelope(before), Message::Envelope(after)) =
        (&first.message, &mut second.message)
        && before.namespace.is_none()
    {
        after.namespace = None;
    }
    assert_eq!(
        first.message, second.message,
        "decode(encode(m)) != m; the encoding was:\n{encoded}"
    );
});
