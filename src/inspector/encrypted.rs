//! The centre pane of a capture whose CWMP runs over TLS: which connections, and what would
//! make them readable, instead of a bare "no session".

use cwmp_session::{Capture, TlsConnectionView};
use yew::prelude::*;

/// Connections listed before "and N more".
const LISTED: usize = 12;

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
            <p>{ format!(
                "This capture holds {count} and no readable CWMP: the sessions ran over HTTPS, \
                 so their messages are encrypted."
            ) }</p>
            <ul class="tls-list">
                { for tls.iter().take(LISTED).map(row) }
            </ul>
            if tls.len() > LISTED {
                <p class="muted">{ format!("and {} more", tls.len() - LISTED) }</p>
            }
            <p>{ "To read them, get the TLS session keys: a TLS key log (the SSLKEYLOGFILE \
                  format) written by the ACS or by the CPE while the capture was taken. \
                  Wireshark decrypts the capture with it (Preferences → Protocols → TLS → \
                  (Pre)-Master-Secret log filename); save the decrypted HTTP (File → Export \
                  Objects → HTTP, or Follow → TLS Stream) and open that here. Without keys, \
                  capture where the traffic is plain: behind the ACS's TLS terminator, or \
                  with an http:// ACS URL in a lab." }</p>
        </div>
    }
}

fn row(connection: &TlsConnectionView) -> Html {
    let mut details = Vec::new();
    if let Some(name) = &connection.server_name {
        details.push(format!("SNI {name}"));
    }
    match (&connection.version, &connection.offered) {
        (Some(version), _) => details.push(version.clone()),
        (None, Some(offered)) => details.push(format!("client offers up to {offered}")),
        (None, None) => {}
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
