//! Retries: RetryCount and the back-off between attempts.

use super::events::delivered;
use super::{Capture, Finding, Rpc, Session, at, finding, inform, push, rpc};

fn retry_count(s: &Session) -> Option<(u32, usize)> {
    let m = inform(s)?;
    Some((m.summary.retry_count?, m.index))
}

fn inform_time_ns(s: &Session) -> Option<i64> {
    let m = inform(s)?;
    let Some(Rpc::Inform(i)) = rpc(m) else {
        return None;
    };
    let raw = &i.current_time.as_ref()?.raw;
    cwmp_capture::parse_rfc3339(raw).map(|t| t.0)
}

/// The wait between a failed try and its retry: capture times when present, else the Informs'
/// CurrentTime (start to start, an upper bound of the wait).
fn wait_ns(prev: &Session, s: &Session) -> Option<i64> {
    let end = prev.messages.iter().rev().find_map(|m| m.time_ns);
    let start = s.messages.iter().find_map(|m| m.time_ns);
    match (end, start) {
        (Some(a), Some(b)) => Some(b - a),
        _ => Some(inform_time_ns(s)? - inform_time_ns(prev)?),
    }
}

pub(super) fn retries(capture: &Capture, out: &mut Vec<Finding>) {
    for d in &capture.devices {
        let sessions: Vec<&Session> = d
            .sessions
            .iter()
            .filter_map(|&i| capture.sessions.get(i))
            .filter(|s| inform(s).is_some())
            .collect();
        let mut run: Vec<(&Session, u32, usize)> = Vec::new();
        for (k, s) in sessions.iter().enumerate() {
            let Some((n, i)) = retry_count(s) else {
                continue;
            };
            let prev = k.checked_sub(1).and_then(|p| sessions.get(p));
            if n > 0 {
                run.push((s, n, i));
                if let Some(prev) = prev {
                    if delivered(prev) && retry_count(prev).is_some() {
                        push(
                            out,
                            s,
                            "retry.count-not-reset",
                            &[i],
                            format!(
                                "RetryCount is {n} although the previous session of {} succeeded",
                                d.id
                            ),
                        );
                    } else if let Some(wait) = wait_ns(prev, s) {
                        let exp = n.clamp(1, 10) - 1;
                        let min = 5_000_000_000_i64 << exp;
                        if wait < min {
                            push(
                                out,
                                s,
                                "retry.too-fast",
                                &[i],
                                format!(
                                    "retry {n} came {:.1} s after the failed try; TR-069 Table 3 \
                                 asks for at least {} s with default settings",
                                    ms(wait),
                                    min / 1_000_000_000
                                ),
                            );
                        }
                    }
                }
            }
            let next_continues = sessions
                .get(k + 1)
                .and_then(|x| retry_count(x))
                .is_some_and(|(n, _)| n > 0);
            if !run.is_empty() && (n == 0 || !next_continues) {
                report_run(out, &run, &d.id);
                run.clear();
            }
        }
    }
}

fn report_run(out: &mut Vec<Finding>, run: &[(&Session, u32, usize)], device: &str) {
    let Some(&(last, _, _)) = run.last() else {
        return;
    };
    let counts: Vec<String> = run.iter().map(|r| r.1.to_string()).collect();
    let refs = run.iter().map(|&(s, _, i)| at(s, i)).collect();
    out.push(finding(
        "retry.count",
        Some(last.id),
        refs,
        format!(
            "{device} retried: RetryCount {} — earlier tries of the session failed",
            counts.join(", ")
        ),
    ));
}

#[allow(clippy::cast_precision_loss)]
fn ms(ns: i64) -> f64 {
    ns as f64 / 1e9
}
