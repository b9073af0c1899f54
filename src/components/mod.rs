//! The pieces of the start screen.

mod about;
mod dialog;
mod examples;
mod history_list;
mod intake_panel;
mod loaded_inputs;
mod share_dialog;

pub use about::AboutDialog;
pub use dialog::use_dialog_keys;
pub use examples::Examples;
pub use history_list::HistoryList;
pub use intake_panel::{IntakePanel, read_files};
pub use loaded_inputs::LoadedInputs;
pub use share_dialog::ShareDialog;
