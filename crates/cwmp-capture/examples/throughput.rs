//! Times one import of the large benchmark capture (generated under target/bench-data when
//! missing) and prints `key: value` lines that `cargo xtask bench` reads to compare with tshark.
//! With `--prepare` it only generates the capture and prints its path, so that generation is
//! never part of a timed run. With `--prepare-browser` it generates (once) the 100 MB capture
//! that `cargo xtask bench-browser` loads into the app, and prints its path and size. With
//! `--prepare-acs` it generates (once) the ACS-side capture (`common/acs.rs`: thousands of
//! devices, small messages, Digest challenges, connection requests, other HTTP) and prints its
//! path, size and HTTP ports.

use std::path::PathBuf;
use std::time::Instant;

#[path = "../tests/common/mod.rs"]
mod common;

/// Connections in the browser benchmark's capture: about 30 KB each, so about 100 MB.
const BROWSER_CONNECTIONS: u64 = 3_334;

fn main() {
    match std::env::args().nth(1).as_deref() {
        Some("--prepare") => {
            println!("file: {}", common::large_capture().display());
            return;
        }
        Some("--prepare-acs") => {
            let path = common::acs_capture();
            println!("file: {}", path.display());
            println!("bytes: {}", std::fs::metadata(&path).map_or(0, |m| m.len()));
            let ports: Vec<String> = common::ACS_HTTP_PORTS.iter().map(u16::to_string).collect();
            println!("http_ports: {}", ports.join(","));
            return;
        }
        Some("--prepare-browser") => {
            let path = browser_capture();
            let bytes = std::fs::metadata(&path).map_or(0, |m| m.len());
            println!("file: {}", path.display());
            println!("bytes: {bytes}");
            println!("connections: {BROWSER_CONNECTIONS}");
            return;
        }
        _ => {}
    }
    let path = common::large_capture();
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

/// `target/bench-data/cwmp-browser-v{LARGE_VERSION}-{BROWSER_CONNECTIONS}.pcap`, generated when
/// missing by the same generator as the large capture (so the version follows it).
fn browser_capture() -> PathBuf {
    common::cached_sessions(
        &format!(
            "cwmp-browser-v{}-{BROWSER_CONNECTIONS}.pcap",
            common::LARGE_VERSION
        ),
        BROWSER_CONNECTIONS,
        0xb0b5,
    )
}
