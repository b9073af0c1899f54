//! Codec diagnostics, as findings.

use super::{BTreeMap, Finding, Session, Severity, at};

pub(super) fn codec(s: &Session, out: &mut Vec<Finding>) {
    // code → (severity, first message text, messages)
    let mut groups: BTreeMap<&str, (Severity, &str, Vec<usize>)> = BTreeMap::new();
    for m in &s.messages {
        for d in &m.diagnostics {
            let g = groups.entry(d.code.as_str()).or_insert((
                d.severity,
                d.message.as_str(),
                Vec::new(),
            ));
            g.0 = g.0.max(d.severity);
            if !g.2.contains(&m.index) {
                g.2.push(m.index);
            }
        }
    }
    for (code, (severity, text, msgs)) in groups {
        let rule = format!("codec.{code}");
        let n = msgs.len();
        let message = if n > 1 {
            format!("{text} (and in {} more messages)", n - 1)
        } else {
            text.to_owned()
        };
        out.push(Finding {
            rule,
            severity,
            message,
            spec: "TR-069 Annex A; cwmp-1-N.xsd".to_owned(),
            session: Some(s.id),
            messages: msgs.into_iter().map(|i| at(s, i)).collect(),
            connection_request: None,
        });
    }
}
