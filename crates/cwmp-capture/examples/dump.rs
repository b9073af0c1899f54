//! Prints what an import finds, one line per exchange: for eyeballing inputs during development.

fn main() {
    for path in std::env::args().skip(1) {
        let bytes = std::fs::read(&path).expect("readable file");
        let import = cwmp_capture::import(&bytes);
        println!("{path}: {:?}", import.format);
        for x in &import.exchanges {
            let req = x.request.as_ref().map(|m| {
                format!(
                    "{} {} {}B f{:?}",
                    m.method().unwrap_or(""),
                    m.header("content-length").unwrap_or("-"),
                    m.body.len(),
                    m.frames
                )
            });
            let resp = x
                .response
                .as_ref()
                .map(|m| format!("{:?} {}B f{:?}", m.status(), m.body.len(), m.frames));
            println!("  s{:?} {:?} -> {:?}", x.stream, req, resp);
        }
        for e in &import.errors {
            println!("  error: {e}");
        }
        println!("  {:?}", import.summary);
    }
}
