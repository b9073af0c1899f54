//! Reading frames and decoding their layers on the real Baicells capture.

use divan::black_box;
use divan::counter::BytesCount;

fn main() {
    divan::main();
}

const PCAP: &[u8] = include_bytes!("../tests/vectors/magma_baicells_qrtb_enodebd_tr069.pcap");

#[divan::bench]
fn read_frames(b: divan::Bencher) {
    b.counter(BytesCount::new(PCAP.len()))
        .bench(|| cwmp_capture::read_frames(black_box(PCAP)).frames.len());
}

#[divan::bench]
fn decode_capture(b: divan::Bencher) {
    b.counter(BytesCount::new(PCAP.len()))
        .bench(|| cwmp_capture::decode_capture(black_box(PCAP)).packets.len());
}
