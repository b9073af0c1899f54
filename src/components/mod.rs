//! The pieces of the start screen.

mod about;
mod intake_panel;
mod loaded_inputs;

pub use about::AboutDialog;
pub use intake_panel::IntakePanel;
pub use loaded_inputs::LoadedInputs;
