//! The `cwmpi` command line.

use std::io::Write as _;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use cwmpi::serve::{self, DEFAULT_LISTEN};

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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Serve { listen, dist } => run_serve(listen, &dist),
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
