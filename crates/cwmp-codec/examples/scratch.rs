fn main() {
    for path in std::env::args().skip(1) {
        let bytes = std::fs::read(&path).unwrap();
        match cwmp_codec::decode(&bytes) {
            Ok(decoded) => {
                let name = match &decoded.message {
                    cwmp_codec::Message::Empty => "(empty)".to_string(),
                    cwmp_codec::Message::Envelope(e) => match &e.body {
                        cwmp_codec::Body::Rpc(r) => r.name().to_string(),
                        cwmp_codec::Body::Fault(_) => "Fault".into(),
                        cwmp_codec::Body::Empty => "(empty body)".into(),
                    },
                };
                let codes: Vec<_> = decoded
                    .diagnostics
                    .iter()
                    .map(|d| d.code.as_str())
                    .collect();
                let ns = match &decoded.message {
                    cwmp_codec::Message::Envelope(e) => {
                        e.namespace.unwrap_or(cwmp_codec::CwmpNamespace::Cwmp1_2)
                    }
                    _ => cwmp_codec::CwmpNamespace::Cwmp1_2,
                };
                let encoded = cwmp_codec::encode(
                    &decoded.message,
                    &cwmp_codec::EncodeOptions {
                        namespace: ns,
                        xml_declaration: true,
                    },
                );
                if std::env::var("SHOW").is_ok() {
                    println!("{encoded}");
                    if let Ok(d) = cwmp_codec::decode(encoded.as_bytes()) {
                        if d.message != decoded.message {
                            println!("{:#?}\n----\n{:#?}", decoded.message, d.message);
                        }
                    }
                }
                let again =
                    cwmp_codec::decode(encoded.as_bytes()).map(|d| d.message == decoded.message);
                println!("{path}: {name} {codes:?} roundtrip={again:?}");
            }
            Err(error) => println!("{path}: ERROR {error}"),
        }
    }
}
