//! Sans-IO ACS and CPE emulators: a data model, RPC handlers, a task queue and fault injection.
//!
//! Each emulator is data plus pure handlers, driven with `handle_*` and drained with `poll_*`,
//! with time passed in. The same code runs two peers against each other in the browser, against
//! real peers through the `cwmpi` relay, and on a simulated clock in tests.
