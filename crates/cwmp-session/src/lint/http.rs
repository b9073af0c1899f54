//! HTTP rules: authentication and cookies.

use super::auth::device_groups;
use super::{Capture, Direction, Finding, MessageRef, Session, at, finding, push};

/// Per device, across its sessions: without TCP connections (text imports) the Inform retried
/// after a 401 starts a new session, and the loop must still be seen.
pub(super) fn auth_loop(capture: &Capture, out: &mut Vec<Finding>) {
    for sessions in device_groups(capture) {
        let mut streak: Vec<MessageRef> = Vec::new();
        let mut challenged = false;
        let mut reported = false;
        let acs = sessions.iter().flat_map(|s| {
            s.messages
                .iter()
                .filter(|m| m.direction == Direction::AcsToCpe)
                .map(move |m| (*s, m))
        });
        for (s, m) in acs {
            let Some(x) = capture.exchanges.get(m.exchange) else {
                continue;
            };
            if m.http_status != Some(401) {
                streak.clear();
                challenged = false;
                reported = false;
                continue;
            }
            if reported {
                continue;
            }
            streak.push(at(s, m.index));
            let with_credentials = x
                .request
                .as_ref()
                .is_some_and(|r| r.header("authorization").is_some());
            let stale = x.response.as_ref().is_some_and(|r| {
                r.headers_named("www-authenticate").any(|v| {
                    v.to_ascii_lowercase()
                        .replace(' ', "")
                        .contains("stale=true")
                })
            });
            let text = if streak.len() > 2 {
                format!("{} consecutive 401 Unauthorized answers", streak.len())
            } else if with_credentials && challenged && !stale {
                "401 Unauthorized after the CPE answered the challenge with credentials: \
                 authentication failed (the auth finding says why)"
                    .to_owned()
            } else {
                challenged = true;
                continue;
            };
            out.push(finding(
                "http.auth-loop",
                Some(s.id),
                std::mem::take(&mut streak),
                text,
            ));
            // One finding per loop: wait for the next success before reporting again.
            reported = true;
        }
    }
}

pub(super) fn cookies(capture: &Capture, s: &Session, out: &mut Vec<Finding>) {
    // (name, value, message that set it)
    let mut required: Vec<(String, String, usize)> = Vec::new();
    let mut reported = Vec::new();
    for m in &s.messages {
        let Some(x) = capture.exchanges.get(m.exchange) else {
            continue;
        };
        match m.direction {
            Direction::AcsToCpe => {
                let Some(r) = &x.response else { continue };
                for v in r.headers_named("set-cookie") {
                    let pair = v.split(';').next().unwrap_or_default().trim();
                    if let Some((n, val)) = pair.split_once('=') {
                        let n = n.trim().to_owned();
                        required.retain(|c| c.0 != n);
                        required.push((n, val.trim().trim_matches('"').to_owned(), m.index));
                    }
                }
            }
            Direction::CpeToAcs => {
                let Some(r) = &x.request else { continue };
                let sent = r.cookies();
                for (name, value, set_at) in &required {
                    if reported.contains(name) || sent.iter().any(|(n, v)| n == name && v == value)
                    {
                        continue;
                    }
                    reported.push(name.clone());
                    push(
                        out,
                        s,
                        "http.cookie-not-returned",
                        &[*set_at, m.index],
                        format!(
                            "the ACS set cookie {name}={value}, but the CPE's next POST ({}) does not \
                         return it",
                            m.rpc
                        ),
                    );
                }
            }
        }
    }
}
