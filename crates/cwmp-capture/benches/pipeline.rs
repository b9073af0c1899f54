//! The whole capture pipeline (frames, layers, TCP reassembly, HTTP) on a large generated
//! capture: 10,000 interleaved CWMP sessions, about 290 MB, cached under target/bench-data.

use divan::black_box;
use divan::counter::BytesCount;

#[path = "../tests/common/mod.rs"]
mod common;

fn main() {
    divan::main();
}

/// A full import takes about a second: a few samples say enough, a hundred would take minutes.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn import_capture(b: divan::Bencher) {
    let path = common::large_capture();
    let capture = std::fs::read(&path).expect("the generated capture is readable");
    b.counter(BytesCount::new(capture.len())).bench(|| {
        cwmp_capture::import_capture(black_box(&capture))
            .exchanges
            .len()
    });
}
