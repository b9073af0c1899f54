//! Decode and encode throughput on real messages from the test vectors: the largest
//! GetParameterNamesResponse seen (324 KB), a mid-sized GetParameterValuesResponse and a typical
//! Inform. Run with `cargo xtask bench`; divan reports bytes per second next to each time.

use cwmp_codec::{EncodeOptions, decode, encode};
use divan::Bencher;
use divan::counter::BytesCount;

/// FreeACS discover session: 324 KB GetParameterNamesResponse, the largest real message we have.
const GPN_324K: &[u8] =
    include_bytes!("../tests/vectors/soap/freeacs/discover/5_GetParameterNamesResponse.xml");
/// Cisco femto GetParameterValuesResponse: 40 KB, 213 typed values.
const GPV_CISCO: &[u8] = include_bytes!(
    "../tests/vectors/soap/paraam_cisco_femto_microcell_GetParameterValuesResponse.xml"
);
/// ZyXEL P-2601HN-F1 periodic Inform: 3 KB, what an ACS receives most.
const INFORM_2601: &[u8] =
    include_bytes!("../tests/vectors/soap/fullrate-cwmp_ex/samples-inform/2601.xml");

fn main() {
    divan::main();
}

fn bench_decode(bencher: Bencher<'_, '_>, input: &'static [u8]) {
    bencher
        .counter(BytesCount::of_slice(input))
        .bench(|| decode(divan::black_box(input)));
}

/// Decoding the 324 KB GetParameterNamesResponse.
#[divan::bench]
fn decode_gpn_324k(bencher: Bencher<'_, '_>) {
    bench_decode(bencher, GPN_324K);
}

/// Decoding the 40 KB Cisco GetParameterValuesResponse.
#[divan::bench]
fn decode_gpv_cisco(bencher: Bencher<'_, '_>) {
    bench_decode(bencher, GPV_CISCO);
}

/// Decoding a 3 KB Inform.
#[divan::bench]
fn decode_inform_2601(bencher: Bencher<'_, '_>) {
    bench_decode(bencher, INFORM_2601);
}

/// Encoding the decoded 324 KB GetParameterNamesResponse; throughput counts the bytes written.
#[divan::bench]
fn encode_gpn_324k(bencher: Bencher<'_, '_>) {
    // A vector that stopped decoding would make this bench meaningless: say so and measure nothing.
    let Ok(decoded) = decode(GPN_324K) else {
        eprintln!("encode_gpn_324k: the vector no longer decodes; skipped");
        return;
    };
    let options = EncodeOptions::for_message(&decoded.message);
    let output_len = encode(&decoded.message, &options).len();
    bencher
        .counter(BytesCount::new(output_len))
        .bench(|| encode(divan::black_box(&decoded.message), &options));
}
