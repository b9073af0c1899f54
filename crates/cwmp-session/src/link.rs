//! Connection requests (HTTP, TR-069 §3.2.2, and UDP, Annex G) and the sessions they triggered.
//!
//! A request is linked to a session by what identifies the CPE, not only by its address:
//! dual-stack CPEs take requests on IPv6 and open sessions over IPv4, and behind NAT the two
//! addresses differ too. The clues, strongest first:
//!
//! 1. the `ConnectionRequestURL` (or `UDPConnectionRequestAddress`) a device reported in any of
//!    its Informs, against the request's `Host` header, destination and path: the request is that
//!    device's, and its session is the device's next `6 CONNECTION REQUEST` session;
//! 2. the CPE's IP address;
//! 3. for an accepted request (2xx) without other clue, time alone: the next
//!    `6 CONNECTION REQUEST` session of a device that reported no URL.
//!
//! In each case the session must start within [`CONNECTION_REQUEST_WINDOW_NS`] after the request
//! and not be claimed by another. Everything is indexed once, so linking is linear in requests
//! plus sessions: no address is parsed from a string inside the loop.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};

use cwmp_capture::{ConnectionRequest, ConnectionRequestOutcome, HttpExchange, Import};
use cwmp_codec::{Body, Envelope, Rpc};

use crate::model::{
    ConnectionRequestAttemptView, ConnectionRequestView, Session, UdpConnectionRequestView, rfc3339,
};

/// How far after a connection request the session it triggered may start.
const CONNECTION_REQUEST_WINDOW_NS: i64 = 120_000_000_000;

/// Where a CPE listens for connection requests: host (lowercase; an IP literal in canonical form,
/// without brackets), port and path.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Endpoint {
    host: String,
    port: u16,
}

/// Canonical host: lowercase, IP literals in their standard form, IPv6 without brackets.
fn canonical_host(host: &str) -> String {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    bare.parse::<IpAddr>()
        .map_or_else(|_| bare.to_ascii_lowercase(), |ip| ip.to_string())
}

/// Splits `host[:port]` or `[v6]:port`; `default_port` when none is written.
fn authority(text: &str, default_port: u16) -> Option<Endpoint> {
    let text = text.trim();
    let (host, port) = if let Some(rest) = text.strip_prefix('[') {
        let (host, after) = rest.split_once(']')?;
        (host, after.strip_prefix(':'))
    } else if text.matches(':').count() == 1 {
        let (host, port) = text.split_once(':')?;
        (host, Some(port))
    } else {
        // A bare IPv6 literal, or a host without port.
        (text, None)
    };
    if host.is_empty() {
        return None;
    }
    let port = match port {
        Some(p) => p.parse().ok()?,
        None => default_port,
    };
    Some(Endpoint {
        host: canonical_host(host),
        port,
    })
}

/// Parses `http://host:port/path?query` into its endpoint and path (without the query).
fn parse_url(url: &str) -> Option<(Endpoint, String)> {
    let url = url.trim();
    let (scheme, rest) = url.split_once("://")?;
    let default_port = if scheme.eq_ignore_ascii_case("https") {
        443
    } else {
        80
    };
    let (auth, path) = rest.find('/').map_or((rest, "/"), |i| rest.split_at(i));
    // Credentials in the authority (`user@host`) are not part of where it listens.
    let auth = auth.rsplit_once('@').map_or(auth, |(_, a)| a);
    Some((authority(auth, default_port)?, path_only(path).to_owned()))
}

fn path_only(target: &str) -> &str {
    let path = target.split(['?', '#']).next().unwrap_or("");
    if path.is_empty() { "/" } else { path }
}

/// The Inform of a session, if it has one.
fn inform(s: &Session) -> Option<&cwmp_codec::model::Inform> {
    s.messages.iter().find_map(|m| match m.envelope.as_deref() {
        Some(Envelope {
            body: Body::Rpc(Rpc::Inform(i)),
            ..
        }) => Some(i),
        _ => None,
    })
}

/// What the sessions say about where each device listens, indexed once.
#[derive(Default)]
struct Listeners {
    /// `ConnectionRequestURL`s: endpoint → (path, device), one entry per distinct report.
    http: HashMap<Endpoint, Vec<(String, usize)>>,
    /// `UDPConnectionRequestAddress`es: endpoint → device.
    udp: HashMap<Endpoint, usize>,
    /// Devices that reported a `ConnectionRequestURL`.
    reported: Vec<bool>,
}

impl Listeners {
    fn new(sessions: &[Session], devices: usize) -> Self {
        let mut out = Self {
            reported: vec![false; devices],
            ..Self::default()
        };
        for s in sessions {
            let (Some(device), Some(inform)) = (s.device, inform(s)) else {
                continue;
            };
            for p in inform.parameter_list.iter().flatten() {
                let Some(name) = p.name.as_ref().map(|n| n.value.as_str()) else {
                    continue;
                };
                let Some(value) = p.value.as_ref().map(|v| v.raw.as_str()) else {
                    continue;
                };
                if name.ends_with("ManagementServer.ConnectionRequestURL") {
                    if let Some((endpoint, path)) = parse_url(value) {
                        let paths = out.http.entry(endpoint).or_default();
                        if !paths.iter().any(|(p, d)| *p == path && *d == device) {
                            paths.push((path, device));
                        }
                        if let Some(r) = out.reported.get_mut(device) {
                            *r = true;
                        }
                    }
                } else if name.ends_with("ManagementServer.UDPConnectionRequestAddress")
                    && let Some(endpoint) = authority(value, 0)
                {
                    out.udp.insert(endpoint, device);
                }
            }
        }
        out
    }

    /// The device whose URL is `endpoint` and `path`: the one that reported that path, else the
    /// only device that reported that endpoint.
    fn http_device(&self, endpoint: &Endpoint, path: &str) -> Option<usize> {
        let reports = self.http.get(endpoint)?;
        if let Some((_, d)) = reports.iter().find(|(p, _)| p == path) {
            return Some(*d);
        }
        let first = reports.first()?.1;
        reports.iter().all(|(_, d)| *d == first).then_some(first)
    }
}

/// The `6 CONNECTION REQUEST` sessions, indexed by device and by CPE address, each list in
/// session order (which is time order), and who has been claimed.
struct Candidates {
    start: Vec<Option<i64>>,
    first_exchange: Vec<Option<usize>>,
    by_device: HashMap<usize, Vec<usize>>,
    by_ip: HashMap<IpAddr, Vec<usize>>,
    /// Sessions of devices that reported no `ConnectionRequestURL` (or of no known device).
    unreported: Vec<usize>,
    claimed: Vec<bool>,
}

impl Candidates {
    fn new(sessions: &[Session], listeners: &Listeners) -> Self {
        let mut out = Self {
            start: Vec::with_capacity(sessions.len()),
            first_exchange: Vec::with_capacity(sessions.len()),
            by_device: HashMap::new(),
            by_ip: HashMap::new(),
            unreported: Vec::new(),
            claimed: vec![false; sessions.len()],
        };
        for (i, s) in sessions.iter().enumerate() {
            let first = s.messages.first();
            out.start.push(first.and_then(|m| m.time_ns));
            out.first_exchange.push(first.map(|m| m.exchange));
            if !s.events.iter().any(|e| e == "6 CONNECTION REQUEST") {
                continue;
            }
            if let Some(d) = s.device {
                out.by_device.entry(d).or_default().push(i);
            }
            if let Some(ip) = s
                .cpe
                .as_deref()
                .and_then(|a| a.parse::<SocketAddr>().ok())
                .map(|a| a.ip())
            {
                out.by_ip.entry(ip).or_default().push(i);
            }
            if s.device
                .is_none_or(|d| !listeners.reported.get(d).copied().unwrap_or(false))
            {
                out.unreported.push(i);
            }
        }
        out
    }

    /// The first unclaimed session of `list` that a request sent at `at` (or, without times,
    /// just before exchange `after_exchange`) may have triggered; claims it.
    fn claim(
        &mut self,
        list: &[usize],
        at: Option<i64>,
        after_exchange: Option<usize>,
    ) -> Option<usize> {
        let from = at.map_or(0, |a| list.partition_point(|&i| self.start[i] < Some(a)));
        let found = list[from..]
            .iter()
            .copied()
            .take_while(|&i| match (at, self.start[i]) {
                (Some(a), Some(b)) => b - a <= CONNECTION_REQUEST_WINDOW_NS,
                _ => true,
            })
            .find(|&i| {
                !self.claimed[i]
                    && match (at, self.start[i], after_exchange) {
                        (Some(_), Some(_), _) => true,
                        // Without times, exchanges are in input order.
                        (_, _, Some(x)) => self.first_exchange[i].is_some_and(|f| f > x),
                        _ => false,
                    }
            })?;
        self.claimed[found] = true;
        Some(found)
    }
}

/// Who a request was sent to, for [`link`].
struct Target {
    /// The device that listens there, from its reported URL.
    device: Option<usize>,
    /// The CPE address the request went to.
    ip: Option<IpAddr>,
    /// Whether time alone may link it (an accepted request, or one without addresses).
    by_time: bool,
}

/// The session a request triggered, by the clues of [`Target`] in order.
fn link(
    candidates: &mut Candidates,
    target: &Target,
    at: Option<i64>,
    after_exchange: Option<usize>,
) -> Option<usize> {
    let lists = std::mem::take(&mut candidates.by_device);
    let by_device = target
        .device
        .and_then(|d| lists.get(&d))
        .and_then(|l| candidates.claim(l, at, after_exchange));
    candidates.by_device = lists;
    if target.device.is_some() {
        return by_device;
    }
    let lists = std::mem::take(&mut candidates.by_ip);
    let by_ip = target
        .ip
        .and_then(|ip| lists.get(&ip))
        .and_then(|l| candidates.claim(l, at, after_exchange));
    candidates.by_ip = lists;
    if by_ip.is_some() || !target.by_time {
        return by_ip;
    }
    let list = std::mem::take(&mut candidates.unreported);
    let by_time = candidates.claim(&list, at, after_exchange);
    candidates.unreported = list;
    by_time
}

/// The `Host` header of an exchange's request.
fn host_header(x: &HttpExchange) -> Option<&str> {
    x.request.as_ref()?.headers_named("host").next()
}

/// The connection requests of the import, HTTP and UDP, each linked to the session it
/// triggered; sets [`Session::connection_request`] and [`Session::udp_connection_request`].
pub(crate) fn connection_requests(
    import: &Import,
    sessions: &mut [Session],
    devices: usize,
) -> (Vec<ConnectionRequestView>, Vec<UdpConnectionRequestView>) {
    let listeners = Listeners::new(sessions, devices);
    let mut candidates = Candidates::new(sessions, &listeners);
    let mut http = Vec::with_capacity(import.connection_requests.len());
    for (id, cr) in import.connection_requests.iter().enumerate() {
        let first = cr.attempts.first();
        let path = path_only(&cr.target);
        let by_host = first
            .and_then(|a| import.exchanges.get(a.exchange))
            .and_then(host_header)
            .and_then(|h| authority(h, 80))
            .and_then(|e| listeners.http_device(&e, path));
        let by_destination = || {
            let dst = cr.cpe?;
            let endpoint = Endpoint {
                host: dst.ip().to_string(),
                port: dst.port(),
            };
            listeners.http_device(&endpoint, path)
        };
        let outcome = cr.outcome();
        let target = Target {
            device: by_host.or_else(by_destination),
            ip: cr.cpe.map(|a| a.ip()),
            by_time: cr.accepted() || cr.cpe.is_none(),
        };
        let session = link(
            &mut candidates,
            &target,
            cr.time.map(|t| t.0),
            Some(first.map_or(0, |a| a.exchange)),
        );
        if let Some(s) = session {
            sessions[s].connection_request = Some(id);
        }
        http.push(ConnectionRequestView {
            id,
            time: cr.time.map(rfc3339),
            acs: cr.acs.map(|a| a.to_string()),
            cpe: cr.cpe.map(|a| a.to_string()),
            target: cr.target.clone(),
            scheme: cr.scheme.clone(),
            realm: cr.realm.clone(),
            nonce: cr.nonce.clone(),
            uri: cr.uri.clone(),
            qop: cr.qop.clone(),
            response: cr.response.clone(),
            username: cr.username.clone(),
            result: cr.result,
            outcome: Some(outcome),
            device: target
                .device
                .or_else(|| session.and_then(|s| sessions[s].device)),
            session,
            attempts: cr
                .attempts
                .iter()
                .map(|a| ConnectionRequestAttemptView {
                    time: a.time.map(rfc3339),
                    status: a.status,
                    authorized: a.authorization.is_some(),
                    exchange: a.exchange,
                    reset: a.reset,
                })
                .collect(),
            record: cr.clone(),
        });
    }
    failed_connections(import, &listeners, sessions, &mut http);
    let udp = udp_connection_requests(import, &listeners, &mut candidates, sessions);
    (http, udp)
}

/// The UDP connection requests (Annex G), linked like HTTP ones: by the
/// `UDPConnectionRequestAddress` a device reported, else by the CPE's address.
fn udp_connection_requests(
    import: &Import,
    listeners: &Listeners,
    candidates: &mut Candidates,
    sessions: &mut [Session],
) -> Vec<UdpConnectionRequestView> {
    let mut udp = Vec::with_capacity(import.udp_connection_requests.len());
    for (id, datagram) in import.udp_connection_requests.iter().enumerate() {
        let request = &datagram.message;
        let endpoint = Endpoint {
            host: datagram.dst.ip().to_string(),
            port: datagram.dst.port(),
        };
        let target = Target {
            device: listeners.udp.get(&endpoint).copied(),
            ip: Some(datagram.dst.ip()),
            by_time: false,
        };
        let session = link(candidates, &target, datagram.time.map(|t| t.0), None);
        if let Some(s) = session {
            sessions[s].udp_connection_request = Some(id);
        }
        udp.push(UdpConnectionRequestView {
            id,
            frame: datagram.frame,
            time: datagram.time.map(rfc3339),
            acs: datagram.src.to_string(),
            cpe: datagram.dst.to_string(),
            target: request.target.clone(),
            ts: request.ts,
            message_id: request.id.clone(),
            username: request.username.clone(),
            cnonce: request.cnonce.clone(),
            signature: request.signature.clone(),
            problems: request.problems.clone(),
            session,
        });
    }
    udp
}

/// Adds, as failed connection requests, the TCP connections the server never accepted (SYN reset
/// or unanswered) to where a device said it takes connection requests; then puts all requests
/// back in time order, renumbering them and the sessions' links.
fn failed_connections(
    import: &Import,
    listeners: &Listeners,
    sessions: &mut [Session],
    http: &mut Vec<ConnectionRequestView>,
) {
    let before = http.len();
    for failed in &import.failed_connections {
        let endpoint = Endpoint {
            host: failed.server.ip().to_string(),
            port: failed.server.port(),
        };
        let Some(reports) = listeners.http.get(&endpoint) else {
            continue;
        };
        let Some((path, first)) = reports.first() else {
            continue;
        };
        let device = reports.iter().all(|(_, d)| d == first).then_some(*first);
        let outcome = if failed.reset {
            ConnectionRequestOutcome::Reset
        } else {
            ConnectionRequestOutcome::NoAnswer
        };
        let record = ConnectionRequest {
            acs: Some(failed.client),
            cpe: Some(failed.server),
            target: path.clone(),
            time: failed.time,
            ..ConnectionRequest::default()
        };
        http.push(ConnectionRequestView {
            id: http.len(),
            time: failed.time.map(rfc3339),
            acs: Some(failed.client.to_string()),
            cpe: Some(failed.server.to_string()),
            target: path.clone(),
            scheme: None,
            realm: None,
            nonce: None,
            uri: None,
            qop: None,
            response: None,
            username: None,
            result: None,
            outcome: Some(outcome),
            device,
            session: None,
            attempts: Vec::new(),
            record,
        });
    }
    if http.len() == before {
        return;
    }
    http.sort_by_key(|cr| (cr.record.time, cr.id));
    let mut new_id = vec![0; http.len()];
    for (position, cr) in http.iter_mut().enumerate() {
        new_id[cr.id] = position;
        cr.id = position;
    }
    for s in sessions.iter_mut() {
        if let Some(old) = s.connection_request {
            s.connection_request = new_id.get(old).copied();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_authorities_are_read_to_one_canonical_form() {
        let (e, path) = parse_url("http://[::1]:7548/ping/abc?x=1").expect("url");
        assert_eq!(
            (e.host.as_str(), e.port, path.as_str()),
            ("::1", 7548, "/ping/abc")
        );
        let (e, path) = parse_url("HTTP://CPE.Example.net").expect("url");
        assert_eq!(
            (e.host.as_str(), e.port, path.as_str()),
            ("cpe.example.net", 80, "/")
        );
        let (e, _) = parse_url("https://u:p@10.0.0.1/").expect("url");
        assert_eq!((e.host.as_str(), e.port), ("10.0.0.1", 443));
        let e = authority("[2001:DB8::1]:7547", 80).expect("authority");
        assert_eq!((e.host.as_str(), e.port), ("2001:db8::1", 7547));
        let e = authority("2001:db8::1", 80).expect("bare v6");
        assert_eq!((e.host.as_str(), e.port), ("2001:db8::1", 80));
        assert_eq!(authority("h:x", 80), None);
        assert_eq!(parse_url("not a url"), None);
    }
}
