//! `cargo xtask`: the project's only automation entry point.
//!
//! - `cargo xtask serve [--listen ADDR]` installs what is missing, builds the app in release and
//!   serves it with `cwmpi serve`.
//! - `cargo xtask dev [TRUNK ARGS]` installs what is missing and runs `trunk serve` (the
//!   development loop) with the tools' PATH.
//! - `cargo xtask test` runs every check CI runs, in order, and prints how long each took.
//! - `cargo xtask bench` runs the benchmarks, then times cwmp-capture and `cwmpi decode --json`
//!   against tshark on a large generated capture, with cwmpi's peak memory, then the app's
//!   budgets in Chromium.
//! - `cargo xtask bench-browser` runs only the app's budgets: download size, startup, and a
//!   100 MB capture in Chromium against native `cwmpi decode`.
//! - `cargo xtask fuzz-smoke` runs each cargo-fuzz target for under a minute (needs nightly;
//!   skipped without it).
//! - `cargo xtask datamodel --bbf DIR` rebuilds the committed data-model index from the BBF XML.
//!
//! Automation lives in Rust rather than shell so that it runs the same wherever cargo does, and
//! its install steps are idempotent: a tool already present at the right version is left alone.

mod browser_bench;
mod datamodel;
mod steps;
mod tools;

use std::process::ExitCode;

use steps::Workspace;

const USAGE: &str = "usage: cargo xtask <command>

commands:
  serve [--listen ADDR]   install what is missing, build the app in release, serve it
                          (default address 127.0.0.1:8470)
  dev [TRUNK ARGS]        install what is missing, then `trunk serve` (debug build on
                          http://127.0.0.1:8080/, rebuilt on change) with wasm-opt on PATH
  test                    fmt, clippy (native and wasm32), native tests (tshark as an oracle),
                          wasm tests in headless Chromium, release build, browser end-to-end
                          tests, fuzz-smoke
  bench                   run the benchmarks, then time cwmp-capture and `cwmpi decode --json`
                          against tshark on a large generated capture, with cwmpi's peak
                          memory (installs tshark), then bench-acs, then bench-browser
  bench-acs               `cwmpi decode --json` against tshark on a generated ACS-side capture
                          (thousands of devices, small messages, 401s, connection requests,
                          other HTTP), with cwmpi's peak memory
  bench-browser           the app's budgets: gzip download size, navigation to interactive
                          (also with the CPU 4x slower), a 100 MB capture in Chromium against
                          native `cwmpi decode` (builds into target/bench-dist)
  fuzz-smoke              run each fuzz target for about 45 s, seeded from the test vectors
                          (installs cargo-fuzz; skipped without a nightly toolchain)
  datamodel --bbf DIR     rebuild static/datamodel/ from the Broadband Forum's *-full.xml
                          data models in DIR (github.com/BroadbandForum/cwmp-data-models)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let workspace = Workspace::locate();
    let result = match args.first().map(String::as_str) {
        Some("serve") => steps::serve(&workspace, &args[1..]),
        Some("dev") => steps::dev(&workspace, &args[1..]),
        Some("test") if args.len() == 1 => steps::test(&workspace),
        Some("bench") => steps::bench(&workspace, &args[1..]),
        Some("bench-browser") if args.len() == 1 => browser_bench::run(&workspace),
        Some("bench-acs") if args.len() == 1 => {
            tools::ensure_tshark().and_then(|()| steps::compare_on_acs_capture(&workspace))
        }
        Some("fuzz-smoke") if args.len() == 1 => steps::fuzz_smoke(&workspace),
        Some("datamodel") => datamodel::run(&workspace, &args[1..]),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xtask: {error}");
            ExitCode::FAILURE
        }
    }
}
