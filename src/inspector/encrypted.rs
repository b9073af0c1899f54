//! The centre pane of a capture whose CWMP runs over TLS: which connections, and what would
//! make them readable, instead of a bare "no session".

use cwmp_session::{Capture, TlsConnectionView};
use yew::prelude::*;

/// Properties of [`EncryptedNote`].
#[derive(Properties, PartialEq)]
pub struct EncryptedNoteProps {
    /// The capture, with its TLS connections.
    pub capture: crate::intake::SharedCapture,
}

/// Says that the capture's CWMP is encrypted, lists the TLS connections (hosts, ports, SNI,
/// version) and what would make them readable.
#[function_component]
pub fn EncryptedNote(props: &EncryptedNoteProps) -> Html {
    let capture: &Capture = &props.capture;
    let tls = &capture.tls_connections;
    let count = match tls.len() {
        1 => "1 TLS connection".to_owned(),
        n => format!("{n} TLS connections"),
    };
    html! {
        <div class="encrypted-note" data-testid="encrypted-note">
            <h2>{ "Encrypted: CWMP over TLS cannot be read" }</h2>
            <p>{ format!("{count}, no readable CWMP:") }</p>
            <ul>
                { for tls.iter().map(row) }
            </ul>
            <p>{ "To read them: a TLS key log (SSLKEYLOGFILE) from the ACS or the CPE lets \
                  Wireshark decrypt the capture; export its HTTP and open that here." }</p>
        </div>
    }
}

fn row(connection: &TlsConnectionView) -> Html {
    let mut details = Vec::new();
    if let Some(name) = &connection.server_name {
        details.push(format!("SNI {name}"));
    }
    // The version both settled on; else what the client offered.
    if let Some(version) = connection.version.as_ref().or(connection.offered.as_ref()) {
        details.push(version.clone());
    }
    html! {
        <li data-testid="tls-connection">
            <code>{ format!("{} → {}", connection.client, connection.server) }</code>
            if !details.is_empty() {
                { format!(" · {}", details.join(" · ")) }
            }
        </li>
    }
}
