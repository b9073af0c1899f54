//! `cargo xtask bench-browser`, also the last part of `cargo xtask bench`: the app's budgets.
//!
//! 1. **Download:** the page's wasm, js and css, each compressed with gzip -9, together at most
//!    [`PAGE_BUDGET_BYTES`]. The data-model index (fetched when a message is opened) and the
//!    decoding worker (started on the first decode) are left out and reported beside it.
//! 2. **Startup:** navigation to interactive (rendered, the file input in place and the main
//!    thread idle), median of [`LOADS`] cold loads in Chromium, then again with the CPU throttled
//!    4x as a slow laptop.
//! 3. **A 100 MB capture in the browser:** time to the first session row and to the whole
//!    inspector, against `cwmpi decode --json` on the same file; the browser must reach
//!    [`TARGET_NATIVE_SHARE`] of native throughput. The longest main-thread task is reported.
//!
//! The app is built into `target/bench-dist` (never `dist/`, which others serve and test) and
//! served by the real `cwmpi serve`; `tests/bench/browser.mjs` drives Chromium and prints
//! `key: value` lines. A budget that fails or cannot be measured does not stop the others; the
//! command fails at the end, with every number printed.

use std::io::{BufRead as _, BufReader, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use flate2::Compression;
use flate2::write::GzEncoder;

use crate::steps::{self, Workspace, field, served_url, show};
use crate::tools;

/// Where the benchmark builds the app, relative to the workspace root.
const DIST: &str = "target/bench-dist";
/// The page's wasm, js and css together, gzip -9, in bytes (350 KB).
const PAGE_BUDGET_BYTES: u64 = 350_000;
/// Navigation to interactive, median of the cold loads, unthrottled. The issue names no figure:
/// one second on a desktop is the usual line for "instant".
const STARTUP_BUDGET_MS: f64 = 1_000.0;
/// The same with the CPU 4x slower, the slow-laptop figure.
const SLOW_STARTUP_BUDGET_MS: f64 = 3_000.0;
/// Cold loads per startup figure.
const LOADS: usize = 5;
/// The browser's throughput on the 100 MB capture as a share of native `cwmpi decode --json`.
const TARGET_NATIVE_SHARE: f64 = 0.5;
/// Native runs; the fastest counts, as the one least disturbed by the rest of the machine.
const NATIVE_RUNS: usize = 3;
/// Browser decodes of the capture, each in a new browser; the fastest counts, like native.
const BROWSER_RUNS: usize = 3;
/// A main-thread task longer than this is a visible freeze (shown, not a budget).
const FREEZE_MS: f64 = 200.0;

/// Which part of the app a built file belongs to.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Part {
    /// Named by index.html: loaded by the page at startup.
    Page,
    /// The decoding worker, loaded on the first decode.
    Worker,
    /// The data-model index, fetched when a message is opened.
    DataModel,
    /// Anything else (other pages, examples): not loaded at startup.
    Other,
}

impl Part {
    /// The part of `relative`, given index.html's markup without its comments (a comment there
    /// names the worker's files, which the page does not load).
    fn of(relative: &Path, index_html: &str) -> Self {
        let name = relative.to_string_lossy();
        if relative.starts_with("datamodel") {
            Self::DataModel
        } else if name.starts_with("worker") {
            // trunk names the worker binary's files worker.js, worker_bg.wasm and
            // worker_loader.js (`data-bin="worker"` in index.html).
            Self::Worker
        } else if name == "index.html" || index_html.contains(&format!("/{name}")) {
            Self::Page
        } else {
            Self::Other
        }
    }

    fn label(self) -> &'static str {
        match self {
            Self::Page => "page",
            Self::Worker => "worker",
            Self::DataModel => "datamodel (lazy)",
            Self::Other => "not at startup",
        }
    }
}

/// `html` without its `<!-- … -->` comments.
fn without_comments(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("<!--") {
        out.push_str(&rest[..start]);
        rest = rest[start..]
            .find("-->")
            .map_or("", |end| &rest[start + end + 3..]);
    }
    out.push_str(rest);
    out
}

/// One built file with its size before and after gzip -9.
struct Built {
    relative: PathBuf,
    part: Part,
    raw: u64,
    gzip: u64,
}

/// One budget's outcome for the closing summary.
struct Verdict {
    budget: &'static str,
    measured: String,
    target: String,
    pass: bool,
}

/// `cargo xtask bench-browser`: every budget, each reported even when another fails.
pub fn run(workspace: &Workspace) -> Result<(), String> {
    println!("\n==> the app's budgets: download size, startup, a 100 MB capture in Chromium");
    tools::ensure_wasm_target()?;
    tools::ensure_trunk()?;
    tools::ensure_wasm_bindgen(workspace)?;
    tools::ensure_node_modules(workspace)?;
    tools::ensure_chromium()?;
    let mut verdicts = Vec::new();
    let dist = workspace.root.join(DIST);

    let built = build_dist(workspace, &dist);
    match built
        .as_ref()
        .map_err(Clone::clone)
        .and_then(|()| sizes(&dist))
    {
        Ok(files) => verdicts.push(size_budget(&files)),
        Err(error) => verdicts.push(unmeasured("download (gzip -9)", &error)),
    }

    let browser = built.and_then(|()| measure_in_browser(workspace));
    match &browser {
        Ok((output, capture)) => {
            verdicts.extend(startup_budgets(output));
            verdicts.push(match capture {
                Some(file) => decode_budget(workspace, output, file),
                None => unmeasured(
                    "100 MB capture, browser/native",
                    "the capture could not be prepared",
                ),
            });
        }
        Err(error) => {
            for budget in [
                "interactive (median)",
                "interactive, CPU 4x",
                "100 MB capture, browser/native",
            ] {
                verdicts.push(unmeasured(budget, error));
            }
        }
    }

    println!(
        "\nbudget                           measured                         target        verdict"
    );
    for verdict in &verdicts {
        println!(
            "{:<32} {:<32} {:<13} {}",
            verdict.budget,
            verdict.measured,
            verdict.target,
            if verdict.pass { "PASS" } else { "FAIL" }
        );
    }
    if let Ok((output, _)) = &browser {
        println!(
            "{:<32} {:<32} {:<13} info",
            "longest task, 100 MB load",
            format!(
                "{} during, {} after",
                ms(number(output, "decode_longest_task_during_ms_worst")),
                ms(number(output, "decode_longest_task_after_ms_worst"))
            ),
            format!("< {}", ms(Some(FREEZE_MS)))
        );
    }
    let failed: Vec<_> = verdicts
        .iter()
        .filter(|v| !v.pass)
        .map(|v| v.budget)
        .collect();
    if failed.is_empty() {
        println!("budgets: PASS");
        Ok(())
    } else {
        println!("budgets: FAIL ({})", failed.join(", "));
        Err(format!("budgets not met: {}", failed.join(", ")))
    }
}

fn unmeasured(budget: &'static str, error: &str) -> Verdict {
    println!("budget {budget}: not measured: {error}");
    Verdict {
        budget,
        measured: "not measured".to_owned(),
        target: String::new(),
        pass: false,
    }
}

/// `trunk build --release --offline --dist target/bench-dist`, after `cargo fetch --locked`.
fn build_dist(workspace: &Workspace, dist: &Path) -> Result<(), String> {
    steps::run(&mut workspace.cargo(&["fetch", "--locked"]))?;
    let mut trunk = workspace.command("trunk");
    trunk
        .args(["build", "--release", "--offline", "--dist"])
        .arg(dist);
    steps::run(&mut trunk)
}

/// Every file under `dist`, with its gzip -9 size, largest first.
fn sizes(dist: &Path) -> Result<Vec<Built>, String> {
    let index = dist.join("index.html");
    let index_html = without_comments(
        &std::fs::read_to_string(&index)
            .map_err(|error| format!("cannot read {}: {error}", index.display()))?,
    );
    let mut files = Vec::new();
    let mut pending = vec![dist.to_owned()];
    while let Some(dir) = pending.pop() {
        let entries = std::fs::read_dir(&dir)
            .map_err(|error| format!("cannot list {}: {error}", dir.display()))?;
        for entry in entries {
            let path = entry.map_err(|error| error.to_string())?.path();
            if path.is_dir() {
                pending.push(path);
                continue;
            }
            let bytes = std::fs::read(&path)
                .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
            let relative = path.strip_prefix(dist).unwrap_or(&path).to_owned();
            files.push(Built {
                part: Part::of(&relative, &index_html),
                relative,
                raw: bytes.len() as u64,
                gzip: gzip_size(&bytes)?,
            });
        }
    }
    files.sort_by_key(|file| std::cmp::Reverse(file.gzip));
    Ok(files)
}

fn gzip_size(bytes: &[u8]) -> Result<u64, String> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    encoder
        .write_all(bytes)
        .and_then(|()| encoder.finish())
        .map(|compressed| compressed.len() as u64)
        .map_err(|error| format!("gzip failed: {error}"))
}

/// Prints the size table and judges the page's wasm, js and css against the budget.
fn size_budget(files: &[Built]) -> Verdict {
    println!("\nfile                                          raw bytes     gzip -9  part");
    for file in files
        .iter()
        .filter(|f| matches!(f.part, Part::Page | Part::Worker))
    {
        println!(
            "{:<44} {:>10}  {:>10}  {}",
            file.relative.display(),
            group(file.raw),
            group(file.gzip),
            file.part.label()
        );
    }
    let sum = |keep: &dyn Fn(&Built) -> bool| -> (u64, u64, usize) {
        files
            .iter()
            .filter(|f| keep(f))
            .fold((0, 0, 0), |(raw, gzip, n), f| {
                (raw + f.raw, gzip + f.gzip, n + 1)
            })
    };
    let is_code = |f: &Built| {
        f.relative
            .extension()
            .is_some_and(|e| e == "wasm" || e == "js" || e == "css")
    };
    let page = sum(&|f| f.part == Part::Page && is_code(f));
    let page_all = sum(&|f| f.part == Part::Page);
    let worker = sum(&|f| f.part == Part::Worker);
    let datamodel = sum(&|f| f.part == Part::DataModel);
    let other = sum(&|f| f.part == Part::Other);
    println!(
        "{:<44} {:>10}  {:>10}",
        "page: wasm + js + css",
        group(page.0),
        group(page.1)
    );
    println!(
        "{:<44} {:>10}  {:>10}",
        "page with index.html (and icon)",
        group(page_all.0),
        group(page_all.1)
    );
    println!(
        "{:<44} {:>10}  {:>10}",
        "worker (first decode)",
        group(worker.0),
        group(worker.1)
    );
    println!(
        "{:<44} {:>10}  {:>10}",
        "total: page + worker",
        group(page_all.0 + worker.0),
        group(page_all.1 + worker.1)
    );
    println!(
        "{:<44} {:>10}  {:>10}",
        format!("datamodel index (lazy, {} files)", datamodel.2),
        group(datamodel.0),
        group(datamodel.1)
    );
    println!(
        "{:<44} {:>10}  {:>10}",
        format!("other files, not at startup ({})", other.2),
        group(other.0),
        group(other.1)
    );
    let names = |part: Part| {
        files
            .iter()
            .filter(|f| f.part == part)
            .map(|f| f.relative.display().to_string())
            .collect::<Vec<_>>()
            .join(" ")
    };
    println!("size_page_files: {}", names(Part::Page));
    println!("size_worker_files: {}", names(Part::Worker));
    let pass = page.1 <= PAGE_BUDGET_BYTES;
    println!("size_page_code_gzip_bytes: {}", page.1);
    println!("size_page_code_raw_bytes: {}", page.0);
    println!("size_page_all_gzip_bytes: {}", page_all.1);
    println!("size_worker_gzip_bytes: {}", worker.1);
    println!("size_worker_raw_bytes: {}", worker.0);
    println!("size_total_gzip_bytes: {}", page_all.1 + worker.1);
    println!("size_datamodel_gzip_bytes: {}", datamodel.1);
    println!("size_budget_gzip_bytes: {PAGE_BUDGET_BYTES}");
    println!("size_verdict: {}", pass_fail(pass));
    Verdict {
        budget: "download (gzip -9)",
        measured: format!(
            "{} KB (+ worker {} KB)",
            kilobytes(page.1),
            kilobytes(worker.1)
        ),
        target: format!("<= {} KB", kilobytes(PAGE_BUDGET_BYTES)),
        pass,
    }
}

/// Builds `cwmpi` and the 100 MB capture, serves the bench dist and runs `browser.mjs`.
/// Returns its output and the capture, when the capture could be prepared.
fn measure_in_browser(workspace: &Workspace) -> Result<(String, Option<PathBuf>), String> {
    steps::run(&mut workspace.cargo(&["build", "--locked", "--release", "-p", "cwmpi"]))?;
    let capture = prepare_capture(workspace)
        .inspect_err(|error| println!("decode_prepare_error: {error}"))
        .ok();
    let mut server = workspace
        .command(workspace.root.join("target/release/cwmpi"))
        .args(["serve", "--listen", "127.0.0.1:0", "--dist", DIST])
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|error| format!("cannot start cwmpi: {error}"))?;
    let result = served_url(&mut server).and_then(|url| {
        println!("cwmpi serves {DIST} at {url}");
        let mut node = workspace.command("node");
        node.arg("tests/bench/browser.mjs")
            .env("CWMPI_URL", &url)
            .env("CHROMIUM", tools::CHROMIUM)
            .env("LOADS", LOADS.to_string())
            .env("DECODE_RUNS", BROWSER_RUNS.to_string());
        if let Some(file) = &capture {
            node.env("CAPTURE", file);
        }
        echoed_output(&mut node)
    });
    let _ = server.kill();
    let _ = server.wait();
    result.map(|output| (output, capture))
}

/// The example that generates the 100 MB capture (once, under target/bench-data).
fn prepare_capture(workspace: &Workspace) -> Result<PathBuf, String> {
    steps::prepare_bench_capture(workspace, "--prepare-browser")
}

/// Runs `command`, printing its output as it comes (a browser run takes a while), and returns
/// it. A non-zero exit is reported, not an error: what it printed still counts.
fn echoed_output(command: &mut Command) -> Result<String, String> {
    let shown = show(command);
    println!("$ {shown}");
    let mut child = command
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|error| format!("cannot start `{shown}`: {error}"))?;
    let mut output = String::new();
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines() {
            let line = line.map_err(|error| format!("cannot read `{shown}`: {error}"))?;
            println!("  {line}");
            output.push_str(&line);
            output.push('\n');
        }
    }
    let status = child
        .wait()
        .map_err(|error| format!("`{shown}` did not finish: {error}"))?;
    if !status.success() {
        println!("`{shown}` ended with {status}; its figures so far are used");
    }
    Ok(output)
}

/// A number from a `key: value` line, when there is one.
fn number(output: &str, key: &str) -> Option<f64> {
    field(output, key).ok()?.parse().ok()
}

fn startup_budgets(output: &str) -> Vec<Verdict> {
    println!(
        "\nstartup (median of {LOADS} cold loads)   interactive        FCP    wasm instantiate   file input"
    );
    let mut verdicts = Vec::new();
    for (prefix, label, budget, name) in [
        (
            "startup",
            "unthrottled",
            STARTUP_BUDGET_MS,
            "interactive (median)",
        ),
        (
            "startup4x",
            "CPU 4x slower",
            SLOW_STARTUP_BUDGET_MS,
            "interactive, CPU 4x",
        ),
    ] {
        let get = |key: &str| number(output, &format!("{prefix}_{key}"));
        let interactive = get("interactive_ms");
        println!(
            "{label:<36} {:>11}  {:>9}  {:>17}  {:>11}",
            ms(interactive),
            ms(get("fcp_ms")),
            ms(get("wasm_instantiate_ms")),
            ms(get("capture_input_ms"))
        );
        if let Ok(resources) = field(output, &format!("{prefix}_resources")) {
            // cwmpi serve sends no Content-Encoding, so this is what crossed the wire.
            let transferred: u64 = resources
                .split_whitespace()
                .filter_map(|r| r.rsplit_once('=')?.1.parse::<u64>().ok())
                .sum();
            println!("{prefix}_transfer_bytes: {transferred}");
        }
        let pass = interactive.is_some_and(|t| t <= budget);
        println!("{prefix}_verdict: {}", pass_fail(pass));
        verdicts.push(Verdict {
            budget: name,
            measured: ms(interactive),
            target: format!("<= {}", ms(Some(budget))),
            pass,
        });
    }
    verdicts
}

/// Times native `cwmpi decode --json --stats` on `file` and compares with the browser's figure.
fn decode_budget(workspace: &Workspace, output: &str, file: &Path) -> Verdict {
    const NAME: &str = "100 MB capture, browser/native";
    let native = match native_decode(workspace, file) {
        Ok(native) => native,
        Err(error) => return unmeasured(NAME, &error),
    };
    let size = std::fs::metadata(file).map_or(0, |m| m.len());
    #[allow(clippy::cast_precision_loss)] // a size in MB for people
    let megabytes = size as f64 / 1e6;
    let native_rate = megabytes / native.0;
    let total_ms = number(output, "decode_total_ms");
    let browser_rate = total_ms.map(|t| megabytes / (t / 1000.0));
    let share = browser_rate.map(|rate| rate / native_rate);
    let longest_during = number(output, "decode_longest_task_during_ms_worst");
    let longest_after = number(output, "decode_longest_task_after_ms_worst");

    println!("\n100 MB capture: {} ({megabytes:.1} MB)", file.display());
    println!(
        "  browser:  first session row {}, inspector shown {} ({} MB/s), outcome {}",
        ms(number(output, "decode_first_session_ms")),
        ms(total_ms),
        browser_rate.map_or_else(|| "n/a".to_owned(), |r| format!("{r:.1}")),
        field(output, "decode_outcome").unwrap_or("not run")
    );
    println!(
        "  native:   cwmpi decode --json {:.0} ms ({native_rate:.1} MB/s, fastest of {NATIVE_RUNS}), peak RSS {}",
        native.0 * 1000.0,
        native.1.map_or_else(
            || "unavailable".to_owned(),
            |b| format!("{} MB", b / 1_000_000)
        )
    );
    println!(
        "  browser runs (ms): {} ({}); details below are of run {}",
        field(output, "decode_total_ms_runs").unwrap_or("n/a"),
        field(output, "decode_outcome_runs").unwrap_or("n/a"),
        field(output, "decode_shown_run").unwrap_or("n/a")
    );
    println!(
        "  stages:   {}",
        field(output, "decode_stages").unwrap_or("n/a")
    );
    println!(
        "  memory:   renderer (page + worker) peak {:.0} MB; by stage {}",
        number(output, "decode_renderer_peak_rss_bytes").map_or(0.0, |b| b / 1e6),
        field(output, "decode_rss_by_stage").unwrap_or("n/a")
    );
    for (when, longest, detail) in [
        (
            "during",
            longest_during,
            field(output, "decode_longest_task_during"),
        ),
        (
            "after",
            longest_after,
            field(output, "decode_longest_task_after"),
        ),
    ] {
        println!(
            "  longest main-thread task {when} the load: {} (worst of all runs {}){}",
            detail.unwrap_or("n/a"),
            ms(longest),
            if longest.is_some_and(|t| t > FREEZE_MS) {
                " (a visible freeze)"
            } else {
                ""
            }
        );
    }
    println!(
        "  problems: {}",
        field(output, "decode_problems").unwrap_or("n/a")
    );
    println!("decode_native_seconds: {:.3}", native.0);
    println!("decode_native_mb_per_s: {native_rate:.2}");
    if let Some(peak) = native.1 {
        println!("decode_native_peak_rss_bytes: {peak}");
    }
    if let Some(share) = share {
        println!("decode_browser_native_ratio: {share:.3}");
    }
    let pass = share.is_some_and(|s| s >= TARGET_NATIVE_SHARE);
    println!("decode_verdict: {}", pass_fail(pass));
    Verdict {
        budget: NAME,
        measured: share.map_or_else(
            || "no figure (see decode_outcome)".to_owned(),
            |s| {
                format!(
                    "{:.0}% ({:.1} / {native_rate:.1} MB/s)",
                    s * 100.0,
                    browser_rate.unwrap_or(0.0)
                )
            },
        ),
        target: format!(">= {:.0}%", TARGET_NATIVE_SHARE * 100.0),
        pass,
    }
}

/// The fastest wall-clock time of `cwmpi decode --json --stats FILE > /dev/null`, in seconds,
/// with the largest peak RSS it reported.
fn native_decode(workspace: &Workspace, file: &Path) -> Result<(f64, Option<u64>), String> {
    let timed = crate::steps::time_native_decode(workspace, file, NATIVE_RUNS)?;
    Ok((timed.best, timed.peak))
}

fn pass_fail(pass: bool) -> &'static str {
    if pass { "PASS" } else { "FAIL" }
}

fn ms(value: Option<f64>) -> String {
    value.map_or_else(|| "n/a".to_owned(), |v| format!("{v:.0} ms"))
}

fn kilobytes(bytes: u64) -> String {
    #[allow(clippy::cast_precision_loss)] // a size in KB for people
    let kb = bytes as f64 / 1000.0;
    format!("{kb:.1}")
}

/// A count with thousands separators.
fn group(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{Part, group, without_comments};
    use std::path::Path;

    #[test]
    fn files_are_sorted_into_page_worker_datamodel_and_other() {
        let index = without_comments(
            "<!-- /worker.js and /worker_bg.wasm --><script type=\"module\">\
             import init from '/app-01.js'; init({ module_or_path: '/app-01_bg.wasm' });\
             </script><link rel=\"stylesheet\" href=\"/app-02.css\"/>",
        );
        let part = |name: &str| Part::of(Path::new(name), &index);
        assert_eq!(part("app-01_bg.wasm"), Part::Page);
        assert_eq!(part("app-01.js"), Part::Page);
        assert_eq!(part("app-02.css"), Part::Page);
        assert_eq!(part("index.html"), Part::Page);
        assert_eq!(part("worker_bg.wasm"), Part::Worker);
        assert_eq!(part("worker_loader.js"), Part::Worker);
        assert_eq!(part("datamodel/tr-181.json"), Part::DataModel);
        assert_eq!(part("embed.js"), Part::Other);
        assert_eq!(part("examples/a.pcap"), Part::Other);
    }

    #[test]
    fn groups_thousands() {
        assert_eq!(group(0), "0");
        assert_eq!(group(999), "999");
        assert_eq!(group(1_000), "1,000");
        assert_eq!(group(100_472_174), "100,472,174");
    }
}
