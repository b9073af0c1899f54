//! A capture whose CWMP runs over TLS: the analysis lists each TLS connection with its hosts,
//! ports, SNI and versions, so that the app can say why there is no session.

use cwmp_session::{TlsConnectionView, analyse};

#[test]
fn tls_connections_are_listed_with_hosts_sni_and_versions() {
    // tests/e2e/vectors/gen.py: a CPE's two TLS connections to its ACS, on 7547 and 443.
    let capture = analyse(
        include_bytes!("../../cwmp-capture/tests/vectors/tls/tls-only.pcap"),
        Some("tls-only.pcap"),
    );
    assert!(capture.sessions.is_empty());
    assert_eq!(capture.import_summary.import.tls_streams, 2);
    let connection = |stream, server: &str, version: &str| TlsConnectionView {
        stream,
        client: format!("198.51.100.7:{}", 49300 + stream),
        server: server.to_owned(),
        server_name: Some("acs.example.net".to_owned()),
        version: Some(version.to_owned()),
        offered: Some("TLS 1.3".to_owned()),
    };
    assert_eq!(
        capture.tls_connections,
        [
            connection(0, "192.0.2.10:7547", "TLS 1.2"),
            connection(1, "192.0.2.10:443", "TLS 1.3"),
        ]
    );
    let json = capture.to_json();
    assert!(json.contains("\"tls_connections\""), "{json}");
    assert!(json.contains("\"acs.example.net\""), "{json}");
}

#[test]
fn plain_captures_have_no_tls_field_in_their_json() {
    let capture = analyse(
        include_bytes!("../../../tests/e2e/vectors/udp-connection-request.pcap"),
        Some("plain.pcap"),
    );
    assert!(capture.tls_connections.is_empty());
    assert!(!capture.to_json().contains("tls_connections"));
}
