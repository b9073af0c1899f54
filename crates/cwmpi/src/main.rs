//! The `cwmpi` command line.

use std::io::{self, BufWriter, Write as _};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};
use cwmpi::decode::{self, analyse_owned, read_input};
use cwmpi::serve::{self, DEFAULT_LISTEN};

/// Exit status when an input could not be read (clap also uses 2, for usage errors).
const UNREADABLE: u8 = 2;

/// cwmp-inspector on the command line.
#[derive(Debug, Parser)]
#[command(name = "cwmpi", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the built app (from `cargo xtask serve` or `trunk build --release`) over HTTP.
    Serve {
        /// Address and port to listen on. Loopback by default: the app is for this machine only
        /// unless you choose otherwise.
        #[arg(long, default_value = DEFAULT_LISTEN)]
        listen: SocketAddr,
        /// Directory holding the built app.
        #[arg(long, default_value = "dist")]
        dist: PathBuf,
    },
    /// Decode captures and logs into CWMP sessions, one line per message.
    ///
    /// Reads pcap, pcapng, HTTP text, Follow TCP Stream, SOAP, hex dumps, HAR and GenieACS logs;
    /// the format is recognised from the content. Exits 2 when any input cannot be read (the
    /// others are still decoded).
    Decode {
        /// Inputs to decode; `-` reads standard input.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<String>,
        /// Print the JSON contract instead: one object for one FILE, an array of objects (one per
        /// readable FILE, in order) for several.
        #[arg(long)]
        json: bool,
        /// Print peak memory and time to standard error at exit (for the benchmark).
        #[arg(long, hide = true)]
        stats: bool,
    },
    /// Print the rule findings of captures and logs, one line each.
    ///
    /// Lines read `FILE:SESSION:MESSAGE: SEVERITY RULE [SPEC] MESSAGE`. Exits 1 when any finding
    /// has error severity, 2 when an input cannot be read, 0 otherwise.
    Lint {
        /// Inputs to check; `-` reads standard input.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<String>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Serve { listen, dist } => run_serve(listen, &dist),
        Command::Decode { files, json, stats } => return run_decode(&files, json, stats),
        Command::Lint { files } => return run_lint(&files),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("cwmpi: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run_serve(listen: SocketAddr, dist: &std::path::Path) -> Result<(), serve::ServeError> {
    let app = serve::router(dist)?;
    let runtime = tokio::runtime::Runtime::new().map_err(serve::ServeError::Serve)?;
    runtime.block_on(async {
        let (listener, local) = serve::bind(listen).await?;
        if !local.ip().is_loopback() {
            eprintln!(
                "cwmpi: warning: listening on {local}, which is not loopback: \
                 other machines on the network can load the app"
            );
        }
        println!("cwmp-inspector is being served at http://{local}/ (Ctrl+C to stop)");
        // The line above is how scripts learn the port when `--listen` asked for port 0.
        let _ = std::io::stdout().flush();
        serve::run(listener, app).await
    })
}

/// Reads one input, or says on stderr why it cannot.
fn read_or_report(path: &str) -> Option<Vec<u8>> {
    match read_input(path) {
        Ok(bytes) => Some(bytes),
        Err(error) => {
            eprintln!("cwmpi: {path}: {error}");
            None
        }
    }
}

/// Ends quietly when stdout is closed early (`| head`), and reports any other write error.
fn output_status(result: io::Result<()>) -> Result<(), ExitCode> {
    match result {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => Err(ExitCode::SUCCESS),
        Err(error) => {
            eprintln!("cwmpi: cannot write the output: {error}");
            Err(ExitCode::FAILURE)
        }
    }
}

fn run_decode(files: &[String], json: bool, stats: bool) -> ExitCode {
    let started = Instant::now();
    if stats {
        stage("start");
    }
    let mut out = BufWriter::new(io::stdout().lock());
    let mut unreadable = false;
    let array = json && files.len() > 1;
    let mut written = 0;
    if array && let Err(code) = output_status(out.write_all(b"[\n")) {
        return code;
    }
    for (index, path) in files.iter().enumerate() {
        let Some(bytes) = read_or_report(path) else {
            unreadable = true;
            continue;
        };
        if stats {
            stage("read");
        }
        // Each capture is dropped before the next file is read: memory is that of the largest.
        let capture = if stats {
            decode::analyse_probed(bytes, path, stage)
        } else {
            analyse_owned(bytes, path)
        };
        let result = if json {
            let separator: &[u8] = if written > 0 { b",\n" } else { b"" };
            out.write_all(separator).and_then(|()| {
                serde_json::to_writer_pretty(&mut out, &capture).map_err(io::Error::from)
            })
        } else {
            let separator: &[u8] = if written > 0 { b"\n" } else { b"" };
            out.write_all(separator)
                .and_then(|()| decode::write_human(&mut out, path, &capture))
        };
        if let Err(code) = output_status(result) {
            return code;
        }
        written += 1;
        if index + 1 == files.len() {
            // The last capture: the process ends next, which frees its memory at once, whereas
            // dropping its millions of allocations one by one takes a tenth of the run.
            std::mem::forget(capture);
        }
    }
    let end: &[u8] = match (json, array) {
        (true, true) => b"\n]\n",
        (true, false) if written > 0 => b"\n",
        _ => b"",
    };
    if let Err(code) = output_status(out.write_all(end).and_then(|()| out.flush())) {
        return code;
    }
    if stats {
        stage("output");
        let peak =
            decode::peak_rss_bytes().map_or_else(|| "unavailable".to_owned(), |b| b.to_string());
        eprintln!("peak_rss_bytes: {peak}");
        eprintln!("seconds: {:.3}", started.elapsed().as_secs_f64());
    }
    if unreadable {
        ExitCode::from(UNREADABLE)
    } else {
        ExitCode::SUCCESS
    }
}

/// `--stats`: resident and peak memory after a stage, to standard error.
fn stage(name: &str) {
    static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    let start = START.get_or_init(Instant::now);
    let show = |v: Option<u64>| v.map_or_else(|| "unavailable".to_owned(), |b| b.to_string());
    eprintln!(
        "stage {name}: at {:.3} s, rss_bytes {} peak_rss_bytes {}",
        start.elapsed().as_secs_f64(),
        show(decode::rss_bytes()),
        show(decode::peak_rss_bytes())
    );
}

fn run_lint(files: &[String]) -> ExitCode {
    let mut out = BufWriter::new(io::stdout().lock());
    let mut unreadable = false;
    let mut errors = false;
    for path in files {
        let Some(bytes) = read_or_report(path) else {
            unreadable = true;
            continue;
        };
        let capture = analyse_owned(bytes, path);
        errors |= capture.has_errors();
        if let Err(code) = output_status(decode::write_findings(&mut out, path, &capture)) {
            return code;
        }
    }
    if let Err(code) = output_status(out.flush()) {
        return code;
    }
    if unreadable {
        ExitCode::from(UNREADABLE)
    } else if errors {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
