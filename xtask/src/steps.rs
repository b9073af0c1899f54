//! The commands: what `serve`, `test` and `bench` run, in order.

use std::ffi::OsString;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::tools;

/// The library crates, which must build for the browser as well as the host.
const WASM_LIBRARIES: &[&str] = &[
    "cwmp-codec",
    "cwmp-capture",
    "cwmp-session",
    "cwmp-emulator",
    "relay-api",
];

/// Where things are, and the environment every child process gets.
pub struct Workspace {
    /// The workspace root (where the root Cargo.toml is).
    pub root: PathBuf,
    path: OsString,
}

impl Workspace {
    /// The workspace this xtask was built from, with `node_modules/.bin` (wasm-opt) and cargo's
    /// bin directory (trunk, wasm-bindgen) put first on PATH.
    pub fn locate() -> Self {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .expect("xtask lives one level below the workspace root")
            .to_owned();
        let cargo_home = std::env::var_os("CARGO_HOME").map_or_else(
            || Path::new(&std::env::var_os("HOME").unwrap_or_default()).join(".cargo"),
            PathBuf::from,
        );
        let mut dirs = vec![root.join("node_modules/.bin"), cargo_home.join("bin")];
        dirs.extend(std::env::split_paths(
            &std::env::var_os("PATH").unwrap_or_default(),
        ));
        let path = std::env::join_paths(dirs).expect("PATH entries contain no separator");
        Self { root, path }
    }

    fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut command = Command::new(program);
        command
            .current_dir(&self.root)
            .env("PATH", &self.path)
            // Trunk asks the crates.io web API for updates, which this network does not reach.
            .env("TRUNK_SKIP_VERSION_CHECK", "true");
        command
    }

    fn cargo(&self, args: &[&str]) -> Command {
        let mut command = self.command("cargo");
        command.args(args);
        command
    }

    /// `cargo +nightly fuzz <args>` in `fuzz/`, which is its own workspace.
    fn fuzz(&self, args: &[&str]) -> Command {
        let mut command = self.command("cargo");
        command
            .args(["+nightly", "fuzz"])
            .args(args)
            .current_dir(self.root.join("fuzz"))
            // Set by the stable cargo that runs xtask; it would pin the children to stable.
            .env_remove("RUSTUP_TOOLCHAIN")
            .env_remove("CARGO");
        command
    }
}

/// Runs `command`, echoing it first, and fails unless it exits successfully.
pub fn run(command: &mut Command) -> Result<(), String> {
    run_counted(command, &mut Tally::default())
}

fn show(command: &Command) -> String {
    std::iter::once(command.get_program())
        .chain(command.get_args())
        .map(|part| part.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Test counts gathered from the runners' own summary lines, so the run ends on one total.
#[derive(Default)]
struct Tally {
    passed: u64,
    failed: u64,
}

impl Tally {
    /// Counts from a libtest line (`test result: ok. 5 passed; 0 failed; …`) or a node:test TAP
    /// line (`# pass 4`, `# fail 0`).
    fn read_line(&mut self, line: &str) {
        if let Some(result) = line.strip_prefix("test result: ") {
            for part in result.split(['.', ';']) {
                let mut words = part.split_whitespace();
                match (
                    words.next().and_then(|n| n.parse::<u64>().ok()),
                    words.next(),
                ) {
                    (Some(count), Some("passed")) => self.passed += count,
                    (Some(count), Some("failed")) => self.failed += count,
                    _ => {}
                }
            }
        } else if let Some(count) = line.strip_prefix("# pass ") {
            self.passed += count.trim().parse::<u64>().unwrap_or(0);
        } else if let Some(count) = line.strip_prefix("# fail ") {
            self.failed += count.trim().parse::<u64>().unwrap_or(0);
        }
    }
}

/// Like [`run`], and counts the tests the command reports while passing its output through.
fn run_counted(command: &mut Command, tally: &mut Tally) -> Result<(), String> {
    let shown = show(command);
    println!("\n$ {shown}");
    let mut child = command
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|error| format!("cannot start `{shown}`: {error}"))?;
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines() {
            let line = line.map_err(|error| format!("cannot read `{shown}`'s output: {error}"))?;
            println!("{line}");
            tally.read_line(&line);
        }
    }
    let status = child
        .wait()
        .map_err(|error| format!("`{shown}` did not finish: {error}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{shown}` failed ({status})"))
    }
}

/// Named steps with their durations, reported at the end whether they passed or not.
struct Timeline {
    started: Instant,
    steps: Vec<(&'static str, Duration)>,
}

impl Timeline {
    fn new() -> Self {
        Self {
            started: Instant::now(),
            steps: Vec::new(),
        }
    }

    fn step(
        &mut self,
        name: &'static str,
        action: impl FnOnce() -> Result<(), String>,
    ) -> Result<(), String> {
        println!("\n==> {name}");
        let start = Instant::now();
        let result = action().map_err(|error| format!("{name}: {error}"));
        self.steps.push((name, start.elapsed()));
        result
    }

    fn report(&self) {
        println!("\nxtask timings:");
        for (name, duration) in &self.steps {
            println!("  {:>7.1} s  {name}", duration.as_secs_f64());
        }
        println!("  {:>7.1} s  total", self.started.elapsed().as_secs_f64());
    }
}

fn install_build_tools(timeline: &mut Timeline, workspace: &Workspace) -> Result<(), String> {
    timeline.step("install: wasm32 target", tools::ensure_wasm_target)?;
    timeline.step("install: trunk", tools::ensure_trunk)?;
    timeline.step("install: wasm-bindgen-cli", || {
        tools::ensure_wasm_bindgen(workspace)
    })?;
    timeline.step("install: npm packages", || {
        tools::ensure_node_modules(workspace)
    })
}

/// `trunk build --release`, offline: trunk must never download a tool behind our back.
fn build_app(timeline: &mut Timeline, workspace: &Workspace) -> Result<(), String> {
    timeline.step("trunk build --release", || {
        run(&mut workspace.cargo(&["fetch", "--locked"]))?;
        let mut trunk = workspace.command("trunk");
        trunk.args(["build", "--release", "--offline"]);
        run(&mut trunk)
    })
}

/// `cargo xtask serve`: install, build the app and `cwmpi` in release, then serve.
pub fn serve(workspace: &Workspace, args: &[String]) -> Result<(), String> {
    let mut timeline = Timeline::new();
    let result = install_build_tools(&mut timeline, workspace)
        .and_then(|()| build_app(&mut timeline, workspace))
        .and_then(|()| {
            timeline.step("build cwmpi", || {
                run(&mut workspace.cargo(&["build", "--locked", "--release", "-p", "cwmpi"]))
            })
        });
    timeline.report();
    result?;
    let mut cwmpi = workspace.command(workspace.root.join("target/release/cwmpi"));
    cwmpi.arg("serve").args(args);
    run(&mut cwmpi)
}

/// `cargo xtask test`: everything CI checks, cheapest first.
pub fn test(workspace: &Workspace) -> Result<(), String> {
    let mut timeline = Timeline::new();
    let mut tally = Tally::default();
    let result = run_tests(&mut timeline, &mut tally, workspace);
    timeline.report();
    // A failure before any runner reported still counts as one failed check.
    let failed = tally.failed.max(u64::from(result.is_err()));
    println!("\nsummary: {} passed, {failed} failed", tally.passed);
    result
}

fn run_tests(
    timeline: &mut Timeline,
    tally: &mut Tally,
    workspace: &Workspace,
) -> Result<(), String> {
    install_build_tools(timeline, workspace)?;
    timeline.step("install: chromium", tools::ensure_chromium)?;
    timeline.step("install: xmllint", tools::ensure_xmllint)?;
    timeline.step("fmt", || {
        run(&mut workspace.cargo(&["fmt", "--all", "--", "--check"]))
    })?;
    timeline.step("clippy (native)", || {
        run(&mut workspace.cargo(&[
            "clippy",
            "--locked",
            "--workspace",
            "--exclude",
            "cwmp-inspector",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]))
    })?;
    timeline.step("clippy (wasm32)", || {
        // The libraries must build for the browser; their tests run natively (proptest and
        // friends do not build for wasm32). The app's tests run in the browser, so they are
        // checked for wasm32 too.
        let mut libraries = workspace.cargo(&[
            "clippy",
            "--locked",
            "--target",
            "wasm32-unknown-unknown",
            "--lib",
        ]);
        for package in WASM_LIBRARIES {
            libraries.args(["-p", package]);
        }
        libraries.args(["--", "-D", "warnings"]);
        run(&mut libraries)?;
        run(&mut workspace.cargo(&[
            "clippy",
            "--locked",
            "--target",
            "wasm32-unknown-unknown",
            "-p",
            "cwmp-inspector",
            "--lib",
            "--bins",
            "--tests",
            "--",
            "-D",
            "warnings",
        ]))
    })?;
    timeline.step("tests (native)", || {
        run_counted(
            &mut workspace.cargo(&[
                "test",
                "--locked",
                "--workspace",
                "--exclude",
                "cwmp-inspector",
            ]),
            tally,
        )
    })?;
    timeline.step("tests (wasm32, headless Chromium)", || {
        let tmp = workspace.root.join("target/tmp");
        std::fs::create_dir_all(&tmp).map_err(|error| error.to_string())?;
        let mut test = workspace.cargo(&[
            "test",
            "--locked",
            "--target",
            "wasm32-unknown-unknown",
            "-p",
            "cwmp-inspector",
        ]);
        // Each run leaves a Chromium profile in TMPDIR: keep it inside target/.
        test.env("TMPDIR", &tmp);
        run_counted(&mut test, tally)
    })?;
    build_app(timeline, workspace)?;
    timeline.step("end-to-end (Chromium)", || end_to_end(workspace, tally))?;
    timeline.step("fuzz-smoke", || fuzz_smoke_run(workspace))
}

/// Serves dist/ with the real `cwmpi serve` on a free port and runs the Playwright tests
/// against it in Debian's Chromium.
fn end_to_end(workspace: &Workspace, tally: &mut Tally) -> Result<(), String> {
    run(&mut workspace.cargo(&["build", "--locked", "-p", "cwmpi"]))?;
    let mut server = workspace
        .command(workspace.root.join("target/debug/cwmpi"))
        .args(["serve", "--listen", "127.0.0.1:0", "--dist", "dist"])
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|error| format!("cannot start cwmpi: {error}"))?;
    let result = served_url(&mut server).and_then(|url| {
        println!("cwmpi serves the app at {url}");
        let mut node = workspace.command("node");
        node.args(["--test", "tests/e2e/"])
            .env("CWMPI_URL", &url)
            .env("CHROMIUM", tools::CHROMIUM)
            .env(
                "SCREENSHOT_DIR",
                workspace.root.join("target/e2e-screenshots"),
            );
        run_counted(&mut node, tally)
    });
    let _ = server.kill();
    let _ = server.wait();
    result
}

/// The URL `cwmpi serve` prints on its first line.
fn served_url(server: &mut Child) -> Result<String, String> {
    let stdout = server
        .stdout
        .take()
        .ok_or("cwmpi's output is not captured")?;
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .map_err(|error| format!("cannot read cwmpi's output: {error}"))?;
    line.split_whitespace()
        .find(|word| word.starts_with("http://"))
        .map(str::to_owned)
        .ok_or_else(|| format!("cwmpi did not print its URL; it printed {line:?}"))
}

/// About how long `fuzz-smoke` runs each fuzz target: enough to shake out shallow bugs.
const FUZZ_SECONDS: u32 = 60;
/// Inputs per target: about [`FUZZ_SECONDS`] at the 3,000 inputs a second measured here.
const FUZZ_RUNS: u32 = 180_000;

/// `cargo xtask fuzz-smoke`: every cargo-fuzz target for [`FUZZ_SECONDS`], seeded from the test
/// vectors. Skipped, successfully, where there is no nightly toolchain.
pub fn fuzz_smoke(workspace: &Workspace) -> Result<(), String> {
    let mut timeline = Timeline::new();
    let result = timeline.step("fuzz-smoke", || fuzz_smoke_run(workspace));
    timeline.report();
    result
}

fn fuzz_smoke_run(workspace: &Workspace) -> Result<(), String> {
    if !tools::has_nightly() {
        println!(
            "fuzz-smoke skipped: no nightly toolchain (cargo-fuzz needs nightly for \
             -Zsanitizer; get one with `rustup toolchain install nightly --profile minimal`, \
             then run `cargo xtask fuzz-smoke`)"
        );
        return Ok(());
    }
    tools::ensure_cargo_fuzz()?;
    let fuzz_dir = workspace.root.join("fuzz");
    let listed = workspace
        .fuzz(&["list"])
        .output()
        .map_err(|error| format!("cannot run cargo fuzz list: {error}"))?;
    if !listed.status.success() {
        return Err(format!(
            "cargo fuzz list failed: {}",
            String::from_utf8_lossy(&listed.stderr).trim()
        ));
    }
    let targets: Vec<String> = String::from_utf8_lossy(&listed.stdout)
        .lines()
        .map(str::trim)
        .filter(|target| !target.is_empty())
        .map(str::to_owned)
        .collect();
    if targets.is_empty() {
        return Err(format!(
            "cargo fuzz list found no targets in {}",
            fuzz_dir.display()
        ));
    }
    for target in &targets {
        let corpus = fuzz_dir.join("corpus").join(target);
        let seeded = seed_corpus(&workspace.root, &corpus)?;
        if seeded > 0 {
            println!("seeded {} with {seeded} test vectors", corpus.display());
        }
        // A fixed seed and run count make a fresh corpus explore the same inputs on every
        // machine, so CI fails on bugs, not on luck; the time limit is only a backstop.
        let runs = format!("-runs={FUZZ_RUNS}");
        let max_total_time = format!("-max_total_time={}", 2 * FUZZ_SECONDS);
        run(&mut workspace.fuzz(&["run", target, "--", "-seed=1", &runs, &max_total_time]))
            .map_err(|error| {
                format!(
                    "{error}; an input that crashed `{target}`, if that is what stopped it, is \
                 saved under fuzz/artifacts/{target}/ and `cargo +nightly fuzz run {target} \
                 <file>` (in fuzz/) replays it"
                )
            })?;
    }
    Ok(())
}

/// Fills an empty corpus directory with the codec's test vectors (every `.xml` under
/// `crates/cwmp-codec/tests/vectors`), flattened to one file each; returns how many it copied.
/// A corpus that already has files is left alone: it holds what earlier runs learned.
fn seed_corpus(root: &Path, corpus: &Path) -> Result<usize, String> {
    let has_files = std::fs::read_dir(corpus).is_ok_and(|mut entries| entries.next().is_some());
    if has_files {
        return Ok(0);
    }
    std::fs::create_dir_all(corpus)
        .map_err(|error| format!("cannot create {}: {error}", corpus.display()))?;
    let vectors = root.join("crates/cwmp-codec/tests/vectors");
    let mut pending = vec![vectors.clone()];
    let mut copied = 0;
    while let Some(dir) = pending.pop() {
        let entries = std::fs::read_dir(&dir)
            .map_err(|error| format!("cannot read {}: {error}", dir.display()))?;
        for entry in entries {
            let path = entry
                .map_err(|error| format!("cannot read {}: {error}", dir.display()))?
                .path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|extension| extension == "xml") {
                let relative = path.strip_prefix(&vectors).unwrap_or(&path);
                let name = relative.to_string_lossy().replace(['/', '\\'], "__");
                std::fs::copy(&path, corpus.join(name))
                    .map_err(|error| format!("cannot copy {}: {error}", path.display()))?;
                copied += 1;
            }
        }
    }
    Ok(copied)
}

/// `cargo xtask bench`: every benchmark in the workspace (criterion-style output from divan).
pub fn bench(workspace: &Workspace, args: &[String]) -> Result<(), String> {
    let mut bench = workspace.cargo(&[
        "bench",
        "--locked",
        "--workspace",
        "--exclude",
        "cwmp-inspector",
        "--bench",
        "*",
    ]);
    if !args.is_empty() {
        bench.arg("--").args(args);
    }
    run(&mut bench)
}

#[cfg(test)]
mod tests {
    use super::Tally;

    #[test]
    fn tally_reads_libtest_and_tap_summaries() {
        let mut tally = Tally::default();
        for line in [
            "test result: ok. 5 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out",
            "test result: FAILED. 1 passed; 2 failed; 0 ignored; 0 filtered out; finished in 0.09s",
            "# pass 4",
            "# fail 1",
            "test sniff::tests::pcap ... ok",
        ] {
            tally.read_line(line);
        }
        assert_eq!((tally.passed, tally.failed), (10, 3));
    }
}
