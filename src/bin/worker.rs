//! The decoding worker: trunk builds it as a Web Worker (`data-type="worker"` in index.html), and
//! the app starts it for each input (see `cwmp_inspector::worker`).

fn main() {
    cwmp_inspector::worker::serve();
}
