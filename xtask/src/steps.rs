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

    /// A command run in the workspace root with this environment.
    pub(crate) fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut command = Command::new(program);
        command
            .current_dir(&self.root)
            .env("PATH", &self.path)
            // Trunk asks the crates.io web API for updates, which this network does not reach.
            .env("TRUNK_SKIP_VERSION_CHECK", "true");
        command
    }

    /// `cargo <args>` in the workspace root.
    pub(crate) fn cargo(&self, args: &[&str]) -> Command {
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

/// The command line, for echoing.
pub(crate) fn show(command: &Command) -> String {
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

/// `cargo xtask dev`: install what is missing, then `trunk serve` (rebuilds on change) with the
/// PATH that has the pinned wasm-opt and wasm-bindgen on it, which a bare `trunk serve` lacks.
pub fn dev(workspace: &Workspace, args: &[String]) -> Result<(), String> {
    let mut timeline = Timeline::new();
    let result = install_build_tools(&mut timeline, workspace)
        .and_then(|()| run(&mut workspace.cargo(&["fetch", "--locked"])));
    timeline.report();
    result?;
    let mut trunk = workspace.command("trunk");
    trunk.arg("serve").args(args);
    run(&mut trunk)
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
    timeline.step("install: tshark", tools::ensure_tshark)?;
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
pub(crate) fn served_url(server: &mut Child) -> Result<String, String> {
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

/// Each fuzz target's budget: a run count that takes about 45 s at the rate measured here on
/// two cores, and a time limit that is only a backstop, so that the three targets together stay
/// under three minutes. A fixed seed and run count make a fresh corpus explore the same inputs
/// on every machine, so CI fails on bugs, not on luck.
struct FuzzBudget {
    target: &'static str,
    runs: u32,
    max_seconds: u32,
}

const FUZZ_BUDGETS: &[FuzzBudget] = &[
    // About 1,800 inputs a second from a fresh corpus (99,557 runs in 56 s here).
    FuzzBudget {
        target: "decode",
        runs: 90_000,
        max_seconds: 55,
    },
    // About 1,800 a second: the real capture in the corpus is 88 KB.
    FuzzBudget {
        target: "capture",
        runs: 80_000,
        max_seconds: 55,
    },
    // About 10,000 a second on short texts, fewer as the corpus grows.
    FuzzBudget {
        target: "http",
        runs: 400_000,
        max_seconds: 55,
    },
];

/// The budget of a target missing from [`FUZZ_BUDGETS`]: about the same time.
const DEFAULT_FUZZ_BUDGET: FuzzBudget = FuzzBudget {
    target: "",
    runs: 100_000,
    max_seconds: 55,
};

/// `cargo xtask fuzz-smoke`: every cargo-fuzz target for its [`FuzzBudget`], seeded from the
/// test vectors. Skipped, successfully, where there is no nightly toolchain.
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
    let mut done = Vec::new();
    for target in &targets {
        let corpus = fuzz_dir.join("corpus").join(target);
        let seeded = seed_corpus(&corpus, &seeds(&workspace.root, target)?)?;
        if seeded > 0 {
            println!("seeded {} with {seeded} test vectors", corpus.display());
        }
        let budget = FUZZ_BUDGETS
            .iter()
            .find(|budget| budget.target == target)
            .unwrap_or(&DEFAULT_FUZZ_BUDGET);
        let runs = format!("-runs={}", budget.runs);
        let max_total_time = format!("-max_total_time={}", budget.max_seconds);
        let start = Instant::now();
        let summary = run_fuzz_target(&mut workspace.fuzz(&[
            "run",
            target,
            "--",
            "-seed=1",
            &runs,
            &max_total_time,
        ]))
        .map_err(|error| {
            format!(
                "{error}; an input that crashed `{target}`, if that is what stopped it, is \
                 saved under fuzz/artifacts/{target}/ and `cargo +nightly fuzz run {target} \
                 <file>` (in fuzz/) replays it"
            )
        })?;
        done.push((target, summary, start.elapsed()));
    }
    println!("\nfuzz-smoke:");
    for (target, summary, elapsed) in done {
        println!(
            "  {target:<8} {:>5.1} s with its build; libFuzzer: {}",
            elapsed.as_secs_f64(),
            summary.as_deref().unwrap_or("no summary line")
        );
    }
    Ok(())
}

/// Runs a fuzz target, passing its output through, and returns libFuzzer's closing
/// `Done N runs in S second(s)` line, which it writes to stderr.
fn run_fuzz_target(command: &mut Command) -> Result<Option<String>, String> {
    let shown = show(command);
    println!("\n$ {shown}");
    let mut child = command
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|error| format!("cannot start `{shown}`: {error}"))?;
    let mut done = None;
    if let Some(stderr) = child.stderr.take() {
        // Split on bytes: a crash report may quote the input, which need not be UTF-8.
        for line in BufReader::new(stderr).split(b'\n') {
            let line = line.map_err(|error| format!("cannot read `{shown}`'s output: {error}"))?;
            let line = String::from_utf8_lossy(&line);
            eprintln!("{line}");
            if line.starts_with("Done ") {
                done = Some(line.into_owned());
            }
        }
    }
    let status = child
        .wait()
        .map_err(|error| format!("`{shown}` did not finish: {error}"))?;
    if status.success() {
        Ok(done)
    } else {
        Err(format!("`{shown}` failed ({status})"))
    }
}

/// HTTP transcripts for the `http` target: its first byte says where the client half ends.
const HTTP_SEEDS: &[(&str, &[u8])] = &[
    (
        "keep-alive",
        b"\x80POST /acs HTTP/1.1\r\nHost: acs\r\nContent-Length: 5\r\n\r\n<a/>\n\
          POST /acs HTTP/1.1\r\nHost: acs\r\nContent-Length: 0\r\n\r\n\
          HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabcHTTP/1.1 204 No Content\r\n\r\n",
    ),
    (
        "chunked",
        b"\x40GET / HTTP/1.1\r\nHost: a\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\
          \r\n4\r\nabcd\r\n2;x=y\r\nef\r\n0\r\nTrailer: t\r\n\r\n",
    ),
    (
        "continue-head",
        b"\x70POST /acs HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nhi\
          HEAD /f HTTP/1.1\r\n\r\nHTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n\
          Content-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n",
    ),
    (
        "close-delimited",
        b"\x30GET / HTTP/1.0\r\n\r\nHTTP/1.0 200 OK\r\nContent-Encoding: deflate\r\n\r\nx\x9c\
          \x03\x00\x00\x00\x00\x01",
    ),
];

/// The files a target's corpus starts from, as (name, contents).
fn seeds(root: &Path, target: &str) -> Result<Vec<(String, Vec<u8>)>, String> {
    match target {
        "decode" => files_with_extension(&root.join("crates/cwmp-codec/tests/vectors"), &["xml"]),
        "capture" => {
            let mut files = files_with_extension(
                &root.join("crates/cwmp-capture/tests/vectors"),
                &["pcap", "pcapng"],
            )?;
            // A few frames of each classic pcap too: small inputs mutate much faster.
            let heads: Vec<(String, Vec<u8>)> = files
                .iter()
                .filter_map(|(name, bytes)| {
                    Some((format!("head12__{name}"), pcap_head(bytes, 12)?))
                })
                .collect();
            files.extend(heads);
            Ok(files)
        }
        "http" => Ok(HTTP_SEEDS
            .iter()
            .map(|(name, text)| ((*name).to_owned(), text.to_vec()))
            .collect()),
        _ => Ok(Vec::new()),
    }
}

/// The global header and first `frames` records of a classic little-endian pcap.
fn pcap_head(pcap: &[u8], frames: usize) -> Option<Vec<u8>> {
    if pcap.get(..4)? != [0xd4, 0xc3, 0xb2, 0xa1] {
        return None;
    }
    let mut end = 24;
    for _ in 0..frames {
        let len = u32::from_le_bytes(pcap.get(end + 8..end + 12)?.try_into().ok()?);
        end += 16 + usize::try_from(len).ok()?;
    }
    Some(pcap.get(..end)?.to_vec())
}

/// Every file under `dir` (recursively) with one of `extensions`, named by its path below `dir`
/// flattened to one component.
fn files_with_extension(dir: &Path, extensions: &[&str]) -> Result<Vec<(String, Vec<u8>)>, String> {
    let mut pending = vec![dir.to_owned()];
    let mut files = Vec::new();
    while let Some(current) = pending.pop() {
        let entries = std::fs::read_dir(&current)
            .map_err(|error| format!("cannot read {}: {error}", current.display()))?;
        for entry in entries {
            let path = entry
                .map_err(|error| format!("cannot read {}: {error}", current.display()))?
                .path();
            if path.is_dir() {
                pending.push(path);
            } else if path
                .extension()
                .is_some_and(|extension| extensions.iter().any(|wanted| extension == *wanted))
            {
                let relative = path.strip_prefix(dir).unwrap_or(&path);
                let name = relative.to_string_lossy().replace(['/', '\\'], "__");
                let bytes = std::fs::read(&path)
                    .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
                files.push((name, bytes));
            }
        }
    }
    Ok(files)
}

/// Fills an empty corpus directory with `seeds`; returns how many it wrote. A corpus that
/// already has files is left alone: it holds what earlier runs learned.
fn seed_corpus(corpus: &Path, seeds: &[(String, Vec<u8>)]) -> Result<usize, String> {
    let has_files = std::fs::read_dir(corpus).is_ok_and(|mut entries| entries.next().is_some());
    if has_files {
        return Ok(0);
    }
    std::fs::create_dir_all(corpus)
        .map_err(|error| format!("cannot create {}: {error}", corpus.display()))?;
    for (name, bytes) in seeds {
        let path = corpus.join(name);
        std::fs::write(&path, bytes)
            .map_err(|error| format!("cannot write {}: {error}", path.display()))?;
    }
    Ok(seeds.len())
}

/// `cargo xtask bench`: every benchmark in the workspace (criterion-style output from divan),
/// then the capture pipeline against tshark on the large generated capture, then the app's
/// budgets in Chromium (see [`crate::browser_bench`]).
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
    run(&mut bench)?;
    tools::ensure_tshark()?;
    // The browser budgets run even when the tshark comparison fails: each reports its numbers.
    let tshark = compare_with_tshark(workspace);
    let browser = crate::browser_bench::run(workspace);
    tshark.and(browser)
}

/// The fastest of `runs` wall-clock runs of the release `cwmpi decode --json --stats FILE`, the
/// largest peak memory it reported (peak memory does not get better by picking the lucky run),
/// and the last run's stage report. The browser budgets compare against the same figure.
pub(crate) fn time_native_decode(
    workspace: &Workspace,
    file: &Path,
    runs: usize,
) -> Result<NativeDecode, String> {
    let cwmpi = workspace.root.join("target/release/cwmpi");
    let mut timed = NativeDecode {
        best: f64::INFINITY,
        peak: None,
        stages: String::new(),
    };
    for _ in 0..runs {
        let mut command = workspace.command(&cwmpi);
        command
            .args(["decode", "--json", "--stats"])
            .arg(file)
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        let shown = show(&command);
        println!("$ {shown} > /dev/null");
        let start = Instant::now();
        let output = command
            .output()
            .map_err(|error| format!("cannot start `{shown}`: {error}"))?;
        let seconds = start.elapsed().as_secs_f64();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        if !output.status.success() {
            return Err(format!(
                "`{shown}` failed ({}): {}",
                output.status,
                stderr.trim()
            ));
        }
        timed.best = timed.best.min(seconds);
        if let Ok(bytes) = field(&stderr, "peak_rss_bytes")?.parse::<u64>() {
            timed.peak = Some(timed.peak.map_or(bytes, |p| p.max(bytes)));
        }
        timed.stages = stderr;
    }
    Ok(timed)
}

/// What [`time_native_decode`] measured.
pub(crate) struct NativeDecode {
    /// Seconds of the fastest run.
    pub best: f64,
    /// The largest peak RSS reported, in bytes.
    pub peak: Option<u64>,
    /// The last run's stderr (its `stage …` lines).
    pub stages: String,
}

/// Timed runs of each side in the tshark comparison; the fastest counts, as the one least
/// disturbed by the rest of the machine.
const COMPARISON_RUNS: usize = 3;
/// How many times faster than tshark the pipeline is meant to be.
const TARGET_RATIO: f64 = 20.0;

/// Builds the `throughput` example (release) and has it generate a benchmark capture when missing
/// (`--prepare`: the 300 MB one; `--prepare-browser`: the 100 MB one; `--prepare-acs`: the
/// ACS-side one); returns its path.
pub(crate) fn prepare_bench_capture(workspace: &Workspace, which: &str) -> Result<PathBuf, String> {
    run(&mut workspace.cargo(&[
        "build",
        "--locked",
        "--release",
        "-p",
        "cwmp-capture",
        "--example",
        "throughput",
    ]))?;
    let example = workspace.root.join("target/release/examples/throughput");
    let prepared = output_of(workspace.command(&example).arg(which))?;
    Ok(PathBuf::from(field(&prepared, "file")?))
}

/// Times `tshark -Y http` and `examples/throughput` (release) on the large generated capture,
/// each as a whole process by wall clock, and prints both with their message counts.
fn compare_with_tshark(workspace: &Workspace) -> Result<(), String> {
    println!("\n==> cwmp-capture against tshark on the large generated capture");
    // Generates the capture when missing, so that no timed run includes the generation.
    let file = prepare_bench_capture(workspace, "--prepare")?;
    let example = workspace.root.join("target/release/examples/throughput");
    let size = std::fs::metadata(&file)
        .map_err(|error| format!("cannot read {}: {error}", file.display()))?
        .len();

    let mut ours = (f64::INFINITY, String::new());
    for _ in 0..COMPARISON_RUNS {
        let start = Instant::now();
        let output = output_of(&mut workspace.command(&example))?;
        let seconds = start.elapsed().as_secs_f64();
        if seconds < ours.0 {
            ours = (seconds, output);
        }
    }
    // The generated sessions go to the ACS port 7547, which Wireshark does not know.
    let (tshark_seconds, tshark_lines) = time_tshark(workspace, &file, &[7547])?;
    let (ours_seconds, ours_output) = ours;
    let exchanges: u64 = field(&ours_output, "exchanges")?.parse().unwrap_or(0);
    #[allow(clippy::cast_precision_loss)] // sizes in MB for people
    let megabytes = size as f64 / 1e6;
    let ratio = tshark_seconds / ours_seconds;
    println!(
        "\ncapture:       {} ({megabytes:.1} MB, {} TCP connections)",
        file.display(),
        field(&ours_output, "connections")?
    );
    println!(
        "tshark:        {tshark_seconds:>7.2} s  ({:.1} MB/s)  {tshark_lines} lines",
        megabytes / tshark_seconds
    );
    println!(
        "cwmp-capture:  {ours_seconds:>7.2} s  ({:.1} MB/s; import alone {} s, {} MB/s)  \
         {exchanges} exchanges, {} messages",
        megabytes / ours_seconds,
        field(&ours_output, "seconds")?,
        field(&ours_output, "mb_per_second")?,
        field(&ours_output, "messages")?
    );
    println!(
        "ratio:         {ratio:.1}x faster than tshark (target {TARGET_RATIO}x{})",
        if ratio >= TARGET_RATIO {
            ""
        } else {
            "; NOT MET"
        }
    );
    // tshark prints one line per frame that ends messages; with one message a frame that is one
    // line per message, two per exchange.
    println!(
        "exchanges:     {exchanges} ours, {} from tshark's {tshark_lines} lines / 2{}",
        tshark_lines / 2,
        if u64::try_from(tshark_lines / 2).is_ok_and(|theirs| theirs == exchanges) {
            ""
        } else {
            " (DIFFERENT)"
        }
    );
    compare_cwmpi(workspace, &file, size, tshark_seconds)?;
    compare_on_acs_capture(workspace)
}

/// The fastest of [`COMPARISON_RUNS`] runs of `tshark -Y http` on `file`, with `http_ports`
/// decoded as HTTP, and how many lines it printed.
fn time_tshark(
    workspace: &Workspace,
    file: &Path,
    http_ports: &[u16],
) -> Result<(f64, usize), String> {
    let mut tshark = (f64::INFINITY, 0);
    for _ in 0..COMPARISON_RUNS {
        let mut command = workspace.command("tshark");
        command.args(["-n", "-r"]).arg(file);
        for port in http_ports {
            command.args(["-d", &format!("tcp.port=={port},http")]);
        }
        command
            .args(["-Y", "http", "-T", "fields"])
            .args(["-e", "frame.number", "-e", "http.request.method"])
            .args(["-e", "http.response.code"])
            // It warns that it runs as root, which is no news here.
            .stderr(Stdio::null());
        let start = Instant::now();
        let output = output_of(&mut command)?;
        let seconds = start.elapsed().as_secs_f64();
        if seconds < tshark.0 {
            tshark = (seconds, output.lines().count());
        }
    }
    Ok(tshark)
}

/// How many times faster than tshark `cwmpi decode --json` is meant to be on the ACS-side
/// capture, whose small messages cost more per byte than the large capture's.
const TARGET_ACS_RATIO: f64 = 10.0;

/// `cwmpi decode --json` against tshark on the generated ACS-side capture (thousands of devices,
/// small Informs and answers, Digest challenges, connection requests over IPv4 and IPv6, HTTP
/// that is not CWMP; see `cwmp-capture/tests/common/acs.rs`), with peak memory.
pub fn compare_on_acs_capture(workspace: &Workspace) -> Result<(), String> {
    println!("\n==> cwmpi decode --json against tshark on the ACS-side capture");
    let file = prepare_bench_capture(workspace, "--prepare-acs")?;
    let prepared = output_of(
        workspace
            .command(workspace.root.join("target/release/examples/throughput"))
            .arg("--prepare-acs"),
    )?;
    run(&mut workspace.cargo(&["build", "--locked", "--release", "-p", "cwmpi"]))?;
    let size: u64 = field(&prepared, "bytes")?.parse().unwrap_or(0);
    let ports: Vec<u16> = field(&prepared, "http_ports")?
        .split(',')
        .filter_map(|p| p.parse().ok())
        .collect();
    let (tshark_seconds, tshark_lines) = time_tshark(workspace, &file, &ports)?;
    let NativeDecode { best, peak, stages } =
        time_native_decode(workspace, &file, COMPARISON_RUNS)?;
    #[allow(clippy::cast_precision_loss)] // sizes in MB for people
    let megabytes = size as f64 / 1e6;
    let ratio = tshark_seconds / best;
    let verdict = |met: bool| if met { "" } else { "; NOT MET" };
    println!("\ncapture:       {} ({megabytes:.1} MB)", file.display());
    println!(
        "tshark:        {tshark_seconds:>7.2} s  ({:.1} MB/s)  {tshark_lines} lines",
        megabytes / tshark_seconds
    );
    println!(
        "cwmpi decode:  {best:>7.2} s  ({:.1} MB/s)",
        megabytes / best
    );
    println!(
        "ratio:         {ratio:.1}x faster than tshark (target {TARGET_ACS_RATIO}x{})",
        verdict(ratio >= TARGET_ACS_RATIO)
    );
    match peak {
        Some(peak) => {
            #[allow(clippy::cast_precision_loss)] // sizes in MB for people
            let (times, peak_mb) = (peak as f64 / size as f64, peak as f64 / 1e6);
            println!(
                "peak memory:   {peak_mb:.1} MB = {times:.2}x the capture (target <= {TARGET_PEAK_RATIO}x{})",
                verdict(times <= TARGET_PEAK_RATIO)
            );
        }
        None => println!("peak memory:   unavailable (no /proc/self/status here)"),
    }
    for line in stages.lines().filter(|l| l.starts_with("stage ")) {
        println!("  {line}");
    }
    Ok(())
}

/// How much memory `cwmpi decode` may take, as a multiple of the capture's size.
const TARGET_PEAK_RATIO: f64 = 3.0;

/// Times the whole `cwmpi decode --json` (import, sessions, JSON to /dev/null) against tshark's
/// time, and reads its peak memory from its `--stats` line (`VmHWM`: the process's own
/// high-water mark, so nothing outside it is counted).
fn compare_cwmpi(
    workspace: &Workspace,
    file: &Path,
    size: u64,
    tshark_seconds: f64,
) -> Result<(), String> {
    println!("\n==> cwmpi decode --json against tshark on the same capture");
    run(&mut workspace.cargo(&["build", "--locked", "--release", "-p", "cwmpi"]))?;
    let NativeDecode { best, peak, stages } = time_native_decode(workspace, file, COMPARISON_RUNS)?;
    #[allow(clippy::cast_precision_loss)] // sizes in MB for people
    let megabytes = size as f64 / 1e6;
    let ratio = tshark_seconds / best;
    println!(
        "\ncwmpi decode:  {best:>7.2} s  ({:.1} MB/s)  tshark {tshark_seconds:.2} s",
        megabytes / best
    );
    println!(
        "ratio:         {ratio:.1}x faster than tshark (target {TARGET_RATIO}x{})",
        if ratio >= TARGET_RATIO {
            ""
        } else {
            "; NOT MET"
        }
    );
    match peak {
        Some(peak) => {
            #[allow(clippy::cast_precision_loss)] // sizes in MB for people
            let (times, peak_mb) = (peak as f64 / size as f64, peak as f64 / 1e6);
            println!(
                "peak memory:   {peak_mb:.1} MB = {times:.2}x the capture (target <= {TARGET_PEAK_RATIO}x{})",
                if times <= TARGET_PEAK_RATIO {
                    ""
                } else {
                    "; NOT MET"
                }
            );
        }
        None => println!("peak memory:   unavailable (no /proc/self/status here)"),
    }
    // Where the time and memory go, from the last run: after reading, import, analysis, output.
    for line in stages.lines().filter(|l| l.starts_with("stage ")) {
        println!("  {line}");
    }
    Ok(())
}

/// Runs `command` (echoed first) and returns its standard output; fails unless it succeeds.
pub(crate) fn output_of(command: &mut Command) -> Result<String, String> {
    let shown = show(command);
    println!("$ {shown}");
    let output = command
        .stdout(Stdio::piped())
        .output()
        .map_err(|error| format!("cannot start `{shown}`: {error}"))?;
    if !output.status.success() {
        return Err(format!(
            "`{shown}` failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// The value of a `key: value` line.
pub(crate) fn field<'a>(output: &'a str, key: &str) -> Result<&'a str, String> {
    output
        .lines()
        .find_map(|line| line.strip_prefix(key)?.strip_prefix(": "))
        .ok_or_else(|| format!("no `{key}:` line in {output:?}"))
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
