//! The commands: what `serve`, `test` and `bench` run, in order.

use std::ffi::OsString;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::tools;

/// The library crates, which must build for the browser as well as the host.
const WASM_PACKAGES: &[&str] = &[
    "cwmp-inspector",
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
        let mut clippy = workspace.cargo(&[
            "clippy",
            "--locked",
            "--target",
            "wasm32-unknown-unknown",
            "--lib",
            "--bins",
            "--tests",
        ]);
        for package in WASM_PACKAGES {
            clippy.args(["-p", package]);
        }
        clippy.args(["--", "-D", "warnings"]);
        run(&mut clippy)
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
    timeline.step("end-to-end (Chromium)", || end_to_end(workspace, tally))
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
