//! cwmp-inspector, the browser app: a support engineer hands it a capture (drop, paste or file
//! picker) and it shows what the CWMP traffic in it says.
//!
//! Everything runs in the browser: nothing the user loads leaves it unless they ask.

mod app;
mod components;
pub mod history;
pub mod inspector;
pub mod intake;
pub mod share;
pub mod worker;

pub use app::App;

/// The app's version, shown in "About".
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
