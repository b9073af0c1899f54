//! Times one import of the large benchmark capture (generated under target/bench-data when
//! missing) and prints `key: value` lines that `cargo xtask bench` reads to compare with tshark.
//! With `--prepare` it only generates the capture and prints its path, so that generation is
//! never part of a timed run.

use std::time::Instant;

#[path = "../tests/common/mod.rs"]
mod common;

fn main() {
    let path = common::large_capture();
    if std::env::args().nth(1).as_deref() == Some("--prepare") {
        println!("file: {}", path.display());
        return;
    }
    let capture = std::fs::read(&path).expect("the generated capture is readable");
    let start = Instant::now();
    let import = cwmp_capture::import_capture(&capture);
    let seconds = start.elapsed().as_secs_f64();
    #[allow(clippy::cast_precision_loss)] // a size in MB for people
    let megabytes = capture.len() as f64 / 1e6;
    println!("file: {}", path.display());
    println!("bytes: {}", capture.len());
    println!("connections: {}", import.summary.tcp_connections);
    println!("exchanges: {}", import.summary.http_exchanges);
    println!("messages: {}", import.summary.http_messages);
    println!("errors: {}", import.errors.len());
    println!("seconds: {seconds:.3}");
    println!("mb_per_second: {:.1}", megabytes / seconds);
}
