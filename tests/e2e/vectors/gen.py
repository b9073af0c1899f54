#!/usr/bin/env python3
"""Writes the hand-made e2e vectors of this directory (run from anywhere; stdlib only).

- connection-request-digest.http: a connection request refused with a Digest challenge, retried
  with credentials computed for the password `s3cret`, accepted; then the session it started.
- xss.http: a session whose headers, DeviceId, parameter values and fault string carry markup
  that would run if the page ever parsed captured text as HTML.
- auth-refused.http: an Inform refused with a Digest challenge (and an HTML page), retried with
  every field right but the wrong password, refused again.
- udp-connection-request.pcap: a UDP connection request (TR-069 Annex G) signed for the password
  `udp-s3cret`, then over TCP the session it triggered.
- ../../../crates/cwmp-capture/tests/vectors/tls/tls-only.pcap: CWMP over TLS, nothing readable: a CPE's two TLS connections to its ACS, on 7547
  (the server picks TLS 1.2) and on 443 (TLS 1.3), each with its hellos and encrypted records.
"""
import hashlib
import hmac
import pathlib
import struct

HERE = pathlib.Path(__file__).resolve().parent


def md5(text):
    return hashlib.md5(text.encode()).hexdigest()


def post(body, extra=""):
    data = body.encode()
    return (f"POST /acs HTTP/1.1\r\nHost: 198.51.100.5:7547\r\n{extra}"
            f"Content-Type: text/xml; charset=utf-8\r\nSOAPAction: \"\"\r\n"
            f"Content-Length: {len(data)}\r\n\r\n{body}")


def ok(body="", extra=""):
    data = body.encode()
    if not data:
        return f"HTTP/1.1 204 No Content\r\n{extra}Content-Length: 0\r\n\r\n"
    return (f"HTTP/1.1 200 OK\r\n{extra}Content-Type: text/xml; charset=utf-8\r\n"
            f"Content-Length: {len(data)}\r\n\r\n{body}")


def envelope(cwmp_id, body):
    return ('<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" '
            'xmlns:cwmp="urn:dslforum-org:cwmp-1-0" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            'xmlns:xsd="http://www.w3.org/2001/XMLSchema">'
            f'<soap:Header><cwmp:ID soap:mustUnderstand="1">{cwmp_id}</cwmp:ID></soap:Header>'
            f'<soap:Body>{body}</soap:Body></soap:Envelope>')


def inform(event, manufacturer, serial, params):
    values = "".join(
        f'<ParameterValueStruct><Name>{n}</Name><Value xsi:type="xsd:string">{v}</Value>'
        '</ParameterValueStruct>' for n, v in params)
    return envelope("1", (
        f'<cwmp:Inform><DeviceId><Manufacturer>{manufacturer}</Manufacturer><OUI>00D09E</OUI>'
        f'<ProductClass>HGW</ProductClass><SerialNumber>{serial}</SerialNumber></DeviceId>'
        f'<Event><EventStruct><EventCode>{event}</EventCode><CommandKey></CommandKey>'
        '</EventStruct></Event><MaxEnvelopes>1</MaxEnvelopes>'
        '<CurrentTime>2026-11-24T10:00:00Z</CurrentTime><RetryCount>0</RetryCount>'
        f'<ParameterList>{values}</ParameterList></cwmp:Inform>'))


INFORM_RESPONSE = envelope("1", "<cwmp:InformResponse><MaxEnvelopes>1</MaxEnvelopes>"
                                "</cwmp:InformResponse>")


def connection_request():
    user, password, realm = "acs", "s3cret", "cwmp"
    nonce, uri, nc, cnonce = "dcd98b7102dd2f0e8b11d0f600bfb0c093", "/cr/7f3a", "00000001", "0a4f113b"
    ha1 = md5(f"{user}:{realm}:{password}")
    ha2 = md5(f"GET:{uri}")
    response = md5(f"{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}")
    return (
        f"GET {uri} HTTP/1.1\r\nHost: 192.0.2.10:7547\r\n\r\n"
        f"HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Digest realm=\"{realm}\", "
        f"nonce=\"{nonce}\", qop=\"auth\"\r\nContent-Length: 0\r\n\r\n"
        f"GET {uri} HTTP/1.1\r\nHost: 192.0.2.10:7547\r\nAuthorization: Digest "
        f"username=\"{user}\", realm=\"{realm}\", nonce=\"{nonce}\", uri=\"{uri}\", qop=auth, "
        f"nc={nc}, cnonce=\"{cnonce}\", response=\"{response}\"\r\n\r\n"
        "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
        + post(inform("6 CONNECTION REQUEST", "Acme", "CR0001",
                      [("Device.DeviceInfo.SoftwareVersion", "1.0")]))
        + ok(INFORM_RESPONSE)
        + post("")
        + ok())


def xss():
    script = "&lt;script&gt;window.__xss = 'script'&lt;/script&gt;"
    image = "&lt;img src=x onerror=\"window.__xss = 'img'\"&gt;"
    fault = envelope("2", (
        "<soap:Fault><faultcode>Client</faultcode><faultstring>CWMP fault</faultstring><detail>"
        f"<cwmp:Fault><FaultCode>9005</FaultCode><FaultString>{image}</FaultString></cwmp:Fault>"
        "</detail></soap:Fault>"))
    gpv = envelope("2", "<cwmp:GetParameterValues><ParameterNames>"
                        f"<string>Device.{script}</string></ParameterNames>"
                        "</cwmp:GetParameterValues>")
    return (
        post(inform("2 PERIODIC", f"Evil{script}", "XSS0001",
                    [("Device.DeviceInfo.ModelName", image),
                     ("Device.DeviceInfo.Description", script)]),
             extra="X-Note: <img src=x onerror=\"window.__xss = 'header'\">\r\n")
        + ok(INFORM_RESPONSE, extra="Set-Cookie: session=<script>window.__xss='cookie'</script>\r\n")
        + post("")
        + ok(gpv)
        + post(fault)
        + ok())


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def ipv4(src, dst, proto, payload):
    header = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 0, 0x4000, 64, proto, 0,
                         bytes(src), bytes(dst))
    header = header[:10] + struct.pack("!H", checksum(header)) + header[12:]
    return header + payload


def ether(ip):
    return b"\x02\0\0\0\0\x02" + b"\x02\0\0\0\0\x01" + b"\x08\x00" + ip


def udp(src, dst, sport, dport, payload):
    return ether(ipv4(src, dst, 17, struct.pack("!HHHH", sport, dport, 8 + len(payload), 0)
                      + payload))


def tcp(src, dst, sport, dport, seq, ack, flags, payload=b""):
    segment = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 65535, 0, 0)
    pseudo = bytes(src) + bytes(dst) + struct.pack("!BBH", 0, 6, len(segment) + len(payload))
    segment = segment[:16] + struct.pack("!H", checksum(pseudo + segment + payload)) + segment[18:]
    return ether(ipv4(src, dst, 6, segment + payload))


def pcap(frames):
    out = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1)
    for micros, frame in frames:
        out += struct.pack("<IIII", micros // 1_000_000, micros % 1_000_000, len(frame), len(frame))
        out += frame
    return out


def udp_connection_request():
    acs, cpe = [192, 0, 2, 10], [198, 51, 100, 7]
    ts, msg_id, user, cnonce = "1764000000", "7001", "cpe-user", "XTGU9"
    sig = hmac.new(b"udp-s3cret", (ts + msg_id + user + cnonce).encode(), hashlib.sha1).hexdigest()
    request = (f"GET http://198.51.100.7:7547?ts={ts}&id={msg_id}&un={user}&cn={cnonce}&sig={sig} "
               "HTTP/1.1\r\nHost: 198.51.100.7:7547\r\n\r\n").encode()
    start = 1_764_000_000_000_000
    frames = [(start, udp(acs, cpe, 40000, 7547, request))]
    # A second later the CPE opens its session: handshake, then the four HTTP messages.
    client, server = 49200, 7547
    c_seq, s_seq = 1000, 5000
    at = start + 1_000_000
    frames += [(at, tcp(cpe, acs, client, server, c_seq, 0, 0x02)),
               (at + 100, tcp(acs, cpe, server, client, s_seq, c_seq + 1, 0x12)),
               (at + 200, tcp(cpe, acs, client, server, c_seq + 1, s_seq + 1, 0x10))]
    c_seq, s_seq = c_seq + 1, s_seq + 1
    at += 1000
    exchanges = [
        (post(inform("6 CONNECTION REQUEST", "Acme", "UDPCR0001", [])), ok(INFORM_RESPONSE)),
        (post(""), ok()),
    ]
    for request_text, response_text in exchanges:
        data = request_text.encode()
        frames.append((at, tcp(cpe, acs, client, server, c_seq, s_seq, 0x18, data)))
        c_seq += len(data)
        at += 5000
        data = response_text.encode()
        frames.append((at, tcp(acs, cpe, server, client, s_seq, c_seq, 0x18, data)))
        s_seq += len(data)
        at += 5000
    frames += [(at, tcp(cpe, acs, client, server, c_seq, s_seq, 0x11)),
               (at + 100, tcp(acs, cpe, server, client, s_seq, c_seq + 1, 0x11)),
               (at + 200, tcp(cpe, acs, client, server, c_seq + 1, s_seq + 1, 0x10))]
    return pcap(frames)


def auth_refused():
    """Inform refused with a Digest challenge and an HTML page; the retry answers every field
    right but was computed with the wrong password ("s3cret!" where the ACS has "s3cret"), and
    is refused again."""
    user, realm, nonce, uri = "00D09E-HGW-AUTH0001", "acs.example.net", "5e1f0c2a7d", "/acs"
    nc, cnonce = "00000001", "9b1d3f"
    ha1 = md5(f"{user}:{realm}:s3cret!")
    response = md5(f"{ha1}:{nonce}:{nc}:{cnonce}:auth:{md5(f'POST:{uri}')}")
    page = ("<!DOCTYPE html><html><head><title>401 Unauthorized</title></head><body>"
            "<h1>Unauthorized</h1><p>This server could not verify your credentials.<br></body>"
            "</html>")
    refused = (f"HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Digest realm=\"{realm}\", "
               f"nonce=\"{nonce}\", qop=\"auth\", algorithm=MD5\r\n"
               f"Content-Type: text/html\r\nContent-Length: {len(page)}\r\n\r\n{page}")
    authorization = (f"Authorization: Digest username=\"{user}\", realm=\"{realm}\", "
                     f"nonce=\"{nonce}\", uri=\"{uri}\", algorithm=MD5, qop=auth, nc={nc}, "
                     f"cnonce=\"{cnonce}\", response=\"{response}\"\r\n")
    body = inform("1 BOOT", "Acme", "AUTH0001", [("Device.DeviceInfo.SoftwareVersion", "1.0")])
    return post(body) + refused + post(body, extra=authorization) + refused


(HERE / "auth-refused.http").write_text(auth_refused(), newline="")


def client_hello(server_name, versions):
    sni = server_name.encode()
    entry = b"\0" + struct.pack("!H", len(sni)) + sni
    extensions = struct.pack("!HH", 0, len(entry) + 2) + struct.pack("!H", len(entry)) + entry
    offered = b"".join(struct.pack("!H", v) for v in versions)
    extensions += struct.pack("!HHB", 43, len(offered) + 1, len(offered)) + offered
    body = (struct.pack("!H", 0x0303) + bytes(range(32)) + b"\0" + struct.pack("!HH", 2, 0x1301)
            + b"\x01\0" + struct.pack("!H", len(extensions)) + extensions)
    return handshake_record(1, 0x0301, body)


def server_hello(selected):
    extensions = b""
    if selected == 0x0304:
        extensions = struct.pack("!HHH", 43, 2, 0x0304)
    body = (struct.pack("!H", 0x0303) + bytes(range(32, 64)) + b"\0" + struct.pack("!H", 0x1301)
            + b"\0" + struct.pack("!H", len(extensions)) + extensions)
    return handshake_record(2, 0x0303, body)


def handshake_record(kind, record_version, body):
    message = bytes([kind]) + struct.pack("!I", len(body))[1:] + body
    return b"\x16" + struct.pack("!HH", record_version, len(message)) + message


def tls_only():
    cpe, acs = [198, 51, 100, 7], [192, 0, 2, 10]
    frames = []
    at = 1_764_100_000_000_000
    for client, server, selected in [(49300, 7547, 0x0303), (49301, 443, 0x0304)]:
        c_seq, s_seq = 2000, 9000
        frames += [(at, tcp(cpe, acs, client, server, c_seq, 0, 0x02)),
                   (at + 100, tcp(acs, cpe, server, client, s_seq, c_seq + 1, 0x12)),
                   (at + 200, tcp(cpe, acs, client, server, c_seq + 1, s_seq + 1, 0x10))]
        c_seq, s_seq = c_seq + 1, s_seq + 1
        secret = b"\x17\x03\x03\x00\x20" + bytes(range(0x20))
        for data_from_cpe, data in [(True, client_hello("acs.example.net", [0x0304, 0x0303])),
                                    (False, server_hello(selected)),
                                    (True, secret), (False, secret)]:
            at += 1000
            if data_from_cpe:
                frames.append((at, tcp(cpe, acs, client, server, c_seq, s_seq, 0x18, data)))
                c_seq += len(data)
            else:
                frames.append((at, tcp(acs, cpe, server, client, s_seq, c_seq, 0x18, data)))
                s_seq += len(data)
        at += 1_000_000
    return pcap(frames)


(HERE / "connection-request-digest.http").write_text(connection_request(), newline="")
(HERE / "udp-connection-request.pcap").write_bytes(udp_connection_request())
(HERE / "xss.http").write_text(xss(), newline="")
# Not beside the others: it has no session, which the share round trips require of their inputs.
(HERE.parents[2] / "crates/cwmp-capture/tests/vectors/tls/tls-only.pcap").write_bytes(tls_only())
