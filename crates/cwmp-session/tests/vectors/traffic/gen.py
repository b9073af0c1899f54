#!/usr/bin/env python3
"""Writes the generated captures of this directory (run from anywhere; Python stdlib only).

Each is a classic pcap (Ethernet, IPv4 or IPv6, TCP with handshake, sequence numbers and
checksums) of what an ACS-side capture shows:

- cr-dual-stack.pcap: the ACS sends a connection request over IPv6 to the ConnectionRequestURL
  `http://[2001:db8::7]:7548/ping/a1` (401, Digest retry, 200); the CPE opens its
  `6 CONNECTION REQUEST` session over IPv4, and its Inform reports that URL.
- cr-nat.pcap: two CPEs. One listens at the public `http://203.0.113.7:7547/cr/nat1` (its CR URL)
  but its sessions come from a carrier NAT (198.51.100.20). The other CPE's own
  `6 CONNECTION REQUEST` session starts first (its request is not in the capture).
- cr-reset.pcap: a connection request whose GET the CPE answers with a TCP RST.
- cr-no-answer.pcap: a connection request whose GET is acknowledged and never answered.
- cr-auth-loop.pcap: a CPE's periodic session, then a connection request to it challenged with
  401, retried twice with credentials, each time 401 again.
- cr-syn-refused.pcap: two CPEs report their ConnectionRequestURLs; the ACS's connection to the
  first is refused (its SYN answered by a RST), its SYNs to the second are never answered.
- other-http.pcap: on an ACS host, a CWMP session mixed with the ACS's REST API (GenieACS NBI
  shape, `POST /devices/<id>/tasks?connection_request` with a chunked JSON body and answer),
  a small NBI GET answered with JSON, a web UI GET and a firmware download GET.
"""
import pathlib
import struct

HERE = pathlib.Path(__file__).resolve().parent
T0 = 1_764_000_000_000_000  # microseconds


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def v4(text):
    return bytes(int(x) for x in text.split("."))


def v6(text):
    head, _, tail = text.partition("::")
    h = [int(x, 16) for x in head.split(":") if x]
    t = [int(x, 16) for x in tail.split(":") if x]
    return struct.pack("!8H", *(h + [0] * (8 - len(h) - len(t)) + t))


def ip_packet(src, dst, payload):
    """IPv4 or IPv6 header (by address length) around a TCP segment, in an Ethernet frame."""
    if len(src) == 4:
        header = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 0, 0x4000, 64, 6, 0,
                             src, dst)
        header = header[:10] + struct.pack("!H", checksum(header)) + header[12:]
        return b"\x02\0\0\0\0\x02\x02\0\0\0\0\x01\x08\x00" + header + payload
    header = struct.pack("!IHBB16s16s", 6 << 28, len(payload), 6, 64, src, dst)
    return b"\x02\0\0\0\0\x02\x02\0\0\0\0\x01\x86\xdd" + header + payload


def tcp(src, dst, sport, dport, seq, ack, flags, payload=b""):
    segment = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 65535, 0, 0)
    if len(src) == 4:
        pseudo = src + dst + struct.pack("!BBH", 0, 6, len(segment) + len(payload))
    else:
        pseudo = src + dst + struct.pack("!IxxxB", len(segment) + len(payload), 6)
    segment = segment[:16] + struct.pack("!H", checksum(pseudo + segment + payload)) + segment[18:]
    return ip_packet(src, dst, segment + payload)


class Conn:
    """One TCP connection; appends its frames to `frames` with increasing times."""

    def __init__(self, frames, at, client, server, cport, sport):
        self.frames, self.at = frames, at
        self.c, self.s, self.cp, self.sp = client, server, cport, sport
        self.cs, self.ss = 1000, 9000
        self.add(True, self.cs, 0, 0x02)
        self.add(False, self.ss, self.cs + 1, 0x12)
        self.cs, self.ss = self.cs + 1, self.ss + 1
        self.add(True, self.cs, self.ss, 0x10)

    def add(self, from_client, seq, ack, flags, data=b""):
        self.at += 200
        if from_client:
            frame = tcp(self.c, self.s, self.cp, self.sp, seq, ack, flags, data)
        else:
            frame = tcp(self.s, self.c, self.sp, self.cp, seq, ack, flags, data)
        self.frames.append((self.at, frame))

    def send(self, from_client, text, gap=2000):
        data = text.encode() if isinstance(text, str) else text
        self.at += gap
        if from_client:
            self.add(True, self.cs, self.ss, 0x18, data)
            self.cs += len(data)
        else:
            self.add(False, self.ss, self.cs, 0x18, data)
            self.ss += len(data)

    def ack(self, from_client):
        self.add(from_client, self.cs if from_client else self.ss,
                 self.ss if from_client else self.cs, 0x10)

    def close(self):
        self.add(True, self.cs, self.ss, 0x11)
        self.add(False, self.ss, self.cs + 1, 0x11)
        self.add(True, self.cs + 1, self.ss + 1, 0x10)

    def reset_by_server(self):
        self.add(False, self.ss, self.cs, 0x14)


def pcap(frames):
    frames = sorted(frames, key=lambda f: f[0])
    out = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1)
    for micros, frame in frames:
        out += struct.pack("<IIII", micros // 1_000_000, micros % 1_000_000, len(frame), len(frame))
        out += frame
    return out


def envelope(cwmp_id, body):
    return ('<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" '
            'xmlns:cwmp="urn:dslforum-org:cwmp-1-0" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            'xmlns:xsd="http://www.w3.org/2001/XMLSchema">'
            f'<soap:Header><cwmp:ID soap:mustUnderstand="1">{cwmp_id}</cwmp:ID></soap:Header>'
            f'<soap:Body>{body}</soap:Body></soap:Envelope>')


def inform(event, serial, cr_url):
    return envelope("1", (
        '<cwmp:Inform><DeviceId><Manufacturer>Acme</Manufacturer><OUI>00D09E</OUI>'
        f'<ProductClass>HGW</ProductClass><SerialNumber>{serial}</SerialNumber></DeviceId>'
        f'<Event><EventStruct><EventCode>{event}</EventCode><CommandKey></CommandKey>'
        '</EventStruct></Event><MaxEnvelopes>1</MaxEnvelopes>'
        '<CurrentTime>2025-11-24T16:00:00Z</CurrentTime><RetryCount>0</RetryCount>'
        '<ParameterList><ParameterValueStruct>'
        '<Name>InternetGatewayDevice.ManagementServer.ConnectionRequestURL</Name>'
        f'<Value xsi:type="xsd:string">{cr_url}</Value></ParameterValueStruct></ParameterList>'
        '</cwmp:Inform>'))


INFORM_RESPONSE = envelope("1", "<cwmp:InformResponse><MaxEnvelopes>1</MaxEnvelopes>"
                                "</cwmp:InformResponse>")


def post(host, body):
    data = body.encode()
    return (f"POST /acs HTTP/1.1\r\nHost: {host}\r\nContent-Type: text/xml; charset=utf-8\r\n"
            f"SOAPAction: \"\"\r\nContent-Length: {len(data)}\r\n\r\n{body}")


def ok(body=""):
    data = body.encode()
    if not data:
        return "HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n"
    return (f"HTTP/1.1 200 OK\r\nContent-Type: text/xml; charset=utf-8\r\n"
            f"Content-Length: {len(data)}\r\n\r\n{body}")


def session(frames, at, cpe, acs, cport, event, serial, cr_url):
    """A whole CWMP session: Inform, InformResponse, empty POST, 204."""
    c = Conn(frames, at, cpe, acs, cport, 7547)
    host = "acs.example.net:7547"
    c.send(True, post(host, inform(event, serial, cr_url)))
    c.send(False, ok(INFORM_RESPONSE))
    c.send(True, post(host, ""))
    c.send(False, ok())
    c.close()


def get(host, target, authorization=None):
    auth = f"Authorization: {authorization}\r\n" if authorization else ""
    return f"GET {target} HTTP/1.1\r\nHost: {host}\r\n{auth}User-Agent: acs\r\n\r\n"


CHALLENGE = ('HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Digest realm="cpe", '
             'nonce="6e6f6e6365", qop="auth"\r\nContent-Length: 0\r\n\r\n')


def digest(target, nc):
    return (f'Digest username="acs", realm="cpe", nonce="6e6f6e6365", uri="{target}", '
            f'qop=auth, nc={nc:08x}, cnonce="abc", response="{"0" * 32}"')


def connection_request(frames, at, acs, cpe, port, host, target, answers):
    """One connection: a GET per answer; `answers` are 401 (challenge), 200, or None (last)."""
    c = Conn(frames, at, acs, cpe, 40100 + len(frames), port)
    for n, answer in enumerate(answers):
        c.send(True, get(host, target, digest(target, n) if n else None))
        if answer == 401:
            c.send(False, CHALLENGE, gap=500)
        elif answer == 200:
            c.send(False, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", gap=500)
    return c


def dual_stack():
    frames = []
    acs6, cpe6 = v6("2001:db8::1"), v6("2001:db8::7")
    url = "http://[2001:db8::7]:7548/ping/a1"
    c = connection_request(frames, T0, acs6, cpe6, 7548, "[2001:db8::7]:7548", "/ping/a1",
                           [401, 200])
    c.close()
    session(frames, T0 + 1_000_000, v4("192.0.2.7"), v4("192.0.2.1"), 50001,
            "6 CONNECTION REQUEST", "DS0001", url)
    return pcap(frames)


def nat():
    frames = []
    acs = v4("192.0.2.1")
    # The other CPE's session starts first; its own request is not in the capture.
    session(frames, T0 + 200_000, v4("198.51.100.30"), acs, 50010, "6 CONNECTION REQUEST",
            "OTHER01", "http://198.51.100.30:7547/cr/other")
    c = connection_request(frames, T0, acs, v4("203.0.113.7"), 7547, "203.0.113.7:7547",
                           "/cr/nat1", [200])
    c.close()
    session(frames, T0 + 2_000_000, v4("198.51.100.20"), acs, 50011, "6 CONNECTION REQUEST",
            "NAT0001", "http://203.0.113.7:7547/cr/nat1")
    return pcap(frames)


def reset():
    frames = []
    c = connection_request(frames, T0, v4("192.0.2.1"), v4("192.0.2.40"), 7547,
                           "192.0.2.40:7547", "/cr/rst", [None])
    c.reset_by_server()
    return pcap(frames)


def no_answer():
    frames = []
    c = connection_request(frames, T0, v4("192.0.2.1"), v4("192.0.2.41"), 7547,
                           "192.0.2.41:7547", "/cr/silent", [None])
    c.ack(False)
    return pcap(frames)


def auth_loop():
    frames = []
    # The CPE's periodic session reports its URL; the request to it a minute later fails.
    session(frames, T0 - 60_000_000, v4("192.0.2.42"), v4("192.0.2.1"), 50040, "2 PERIODIC",
            "LOOP0001", "http://192.0.2.42:7547/cr/loop")
    c = connection_request(frames, T0, v4("192.0.2.1"), v4("192.0.2.42"), 7547,
                           "192.0.2.42:7547", "/cr/loop", [401, 401, 401])
    c.close()
    return pcap(frames)


def syn_refused():
    """Two CPEs report their URLs in periodic sessions; then the ACS's connection to the first is
    refused (SYN answered by RST) and its SYNs to the second are never answered."""
    frames = []
    acs = v4("192.0.2.1")
    session(frames, T0, v4("192.0.2.60"), acs, 50030, "2 PERIODIC", "SYN0001",
            "http://192.0.2.60:7547/cr/refused")
    session(frames, T0 + 100_000, v4("192.0.2.61"), acs, 50031, "2 PERIODIC", "SYN0002",
            "http://192.0.2.61:7547/cr/silent")
    at = T0 + 5_000_000
    frames.append((at, tcp(acs, v4("192.0.2.60"), 40200, 7547, 7000, 0, 0x02)))
    frames.append((at + 300, tcp(v4("192.0.2.60"), acs, 7547, 40200, 0, 7001, 0x14)))
    for n in range(3):
        frames.append((at + 1_000 + n * 1_000_000,
                       tcp(acs, v4("192.0.2.61"), 40201, 7547, 8000, 0, 0x02)))
    return pcap(frames)


def chunked(text, size=40):
    data = text.encode()
    out = b""
    for i in range(0, len(data), size):
        part = data[i:i + size]
        out += f"{len(part):x}\r\n".encode() + part + b"\r\n"
    return out + b"0\r\n\r\n"


def other_http():
    frames = []
    acs, cpe, ops = v4("192.0.2.1"), v4("192.0.2.50"), v4("10.9.0.5")
    device = "00D09E-HGW-MIX0001"
    # The operator's script asks the NBI for a task with a connection request (chunked JSON).
    nbi = Conn(frames, T0, ops, acs, 51000, 7557)
    body = '{"name":"getParameterValues","parameterNames":["InternetGatewayDevice.DeviceInfo."]}'
    nbi.send(True, (f"POST /devices/{device}/tasks?connection_request HTTP/1.1\r\n"
                    "Host: acs.example.net:7557\r\nContent-Type: application/json\r\n"
                    "Transfer-Encoding: chunked\r\n\r\n").encode() + chunked(body))
    answer = '{"_id":"6746f0a1c2","name":"getParameterValues","device":"' + device + '"}'
    nbi.send(False, ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                     "Transfer-Encoding: chunked\r\n\r\n").encode() + chunked(answer), gap=400_000)
    nbi.close()
    # A small NBI query whose JSON answer is no bigger than a connection request's.
    query = Conn(frames, T0 + 20_000, ops, acs, 51002, 7557)
    query.send(True, "GET /devices?projection=_id HTTP/1.1\r\nHost: acs.example.net:7557\r\n\r\n")
    query.send(False, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2"
                      "\r\n\r\n[]")
    query.close()
    # The web UI.
    ui = Conn(frames, T0 + 50_000, ops, acs, 51001, 3000)
    ui.send(True, "GET /devices HTTP/1.1\r\nHost: acs.example.net:3000\r\nAccept: text/html\r\n\r\n")
    page = "<!DOCTYPE html><html><head><title>Devices</title></head><body>1 device</body></html>"
    ui.send(False, f"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {len(page)}"
                   f"\r\n\r\n{page}")
    ui.close()
    # The connection request and the session it triggers.
    c = connection_request(frames, T0 + 100_000, acs, cpe, 7547, "192.0.2.50:7547", "/cr/mix",
                           [401, 200])
    c.close()
    session(frames, T0 + 300_000, cpe, acs, 50020, "6 CONNECTION REQUEST", "MIX0001",
            "http://192.0.2.50:7547/cr/mix")
    # The CPE fetches a firmware image from the file server.
    fw = Conn(frames, T0 + 900_000, cpe, acs, 50021, 7567)
    fw.send(True, "GET /firmware/hgw-2.1.bin HTTP/1.1\r\nHost: acs.example.net:7567\r\n\r\n")
    image = bytes(range(256)) * 8
    fw.send(False, (f"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
                    f"Content-Length: {len(image)}\r\n\r\n").encode() + image)
    fw.close()
    return pcap(frames)


for name, make in [("cr-dual-stack.pcap", dual_stack), ("cr-nat.pcap", nat),
                   ("cr-reset.pcap", reset), ("cr-no-answer.pcap", no_answer),
                   ("cr-auth-loop.pcap", auth_loop), ("cr-syn-refused.pcap", syn_refused),
                   ("other-http.pcap", other_http)]:
    (HERE / name).write_bytes(make())
