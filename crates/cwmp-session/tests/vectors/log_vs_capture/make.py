#!/usr/bin/env python3
"""Writes one GenieACS run three times: as GenieACS's debug log in YAML and in JSON lines, and
as a pcap (stdlib only).

The run: a CPE's BOOT Inform refused with a Digest challenge three times, 10 s apart, each on its
own connection; the fourth Inform, with credentials, and its session (GetParameterValues); a
connection request from the ACS; the session it triggers. The log follows the record layout of
GenieACS `lib/debug.ts` and the YAML writer of `lib/common/yaml.ts` (unquoted `accept: */*`,
`headers: ` before nested keys, `>-` folding of lines over 80 columns): format only, no code
copied. Run it in this directory.
"""
import json
import pathlib
import re
import struct

HERE = pathlib.Path(__file__).resolve().parent
ACS, CPE = [192, 0, 2, 1], [198, 51, 100, 7]
ACS_IP, CPE_IP = "192.0.2.1", "198.51.100.7"
DEVICE = "00D09E-HGW-LOG0001"
START_MS = 1_764_000_000_000  # 2025-11-24T16:00:00Z

ENV = ('<soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/" '
       'xmlns:cwmp="urn:dslforum-org:cwmp-1-0">\n<soap-env:Header>\n<cwmp:ID '
       'soap-env:mustUnderstand="1">%s</cwmp:ID>\n</soap-env:Header>\n<soap-env:Body>\n%s\n'
       '</soap-env:Body>\n</soap-env:Envelope>')


def inform(event):
    return ENV % ("1", (
        '<cwmp:Inform>\n<DeviceId><Manufacturer>Acme</Manufacturer><OUI>00D09E</OUI>'
        '<ProductClass>HGW</ProductClass><SerialNumber>LOG0001</SerialNumber></DeviceId>\n'
        f'<Event><EventStruct><EventCode>{event}</EventCode><CommandKey></CommandKey>'
        '</EventStruct></Event>\n<MaxEnvelopes>1</MaxEnvelopes>\n'
        '<CurrentTime>2025-11-24T16:00:00Z</CurrentTime>\n<RetryCount>0</RetryCount>\n'
        '<ParameterList><ParameterValueStruct><Name>InternetGatewayDevice.ManagementServer.'
        'ConnectionRequestURL</Name><Value>http://198.51.100.7:7547/cr</Value>'
        '</ParameterValueStruct></ParameterList>\n</cwmp:Inform>'))


INFORM_RESPONSE = ENV % ("1", "<cwmp:InformResponse>\n<MaxEnvelopes>1</MaxEnvelopes>\n"
                              "</cwmp:InformResponse>")
GPV = ENV % ("a1", "<cwmp:GetParameterValues>\n<ParameterNames><string>InternetGatewayDevice."
                   "DeviceInfo.SoftwareVersion</string></ParameterNames>\n"
                   "</cwmp:GetParameterValues>")
GPVR = ENV % ("a1", "<cwmp:GetParameterValuesResponse>\n<ParameterList><ParameterValueStruct>"
                    "<Name>InternetGatewayDevice.DeviceInfo.SoftwareVersion</Name><Value>1.2.3"
                    "</Value></ParameterValueStruct></ParameterList>\n"
                    "</cwmp:GetParameterValuesResponse>")
CHALLENGE = 'Digest realm="GenieACS",qop="auth,auth-int",nonce="%s"'
AUTH = ('Digest username="cpe", realm="GenieACS", nonce="n3", uri="/", qop=auth, nc=00000001, '
        'cnonce="c1", response="6629fae49393a05397450978507c4ef1"')


def cpe_request(body, extra=None):
    h = {"host": "192.0.2.1:7547", "user-agent": "acme-cwmp/1.0", "accept": "*/*",
         "content-type": 'text/xml; charset="utf-8"', "content-length": str(len(body.encode()))}
    h.update(extra or {})
    return ("POST", "/", h, body)


def acs_response(status, body, extra=None):
    h = {"content-type": 'text/xml; charset="utf-8"', "server": "GenieACS/1.2.13",
         "soapserver": "GenieACS/1.2.13", "content-length": str(len(body.encode()))}
    if not body:
        h = {"server": "GenieACS/1.2.13", "content-length": "0"}
    h.update(extra or {})
    return (status, h, body)


def unauthorized(nonce):
    return (401, {"www-authenticate": CHALLENGE % nonce, "content-length": "12"}, "Unauthorized")


# Each connection: who opened it, its start (ms from START_MS), and its request/response pairs.
CONNECTIONS = [
    ("cpe", 0, [(cpe_request(inform("1 BOOT")), unauthorized("n1"))]),
    ("cpe", 10_000, [(cpe_request(inform("1 BOOT")), unauthorized("n2"))]),
    ("cpe", 20_000, [(cpe_request(inform("1 BOOT")), unauthorized("n3"))]),
    ("cpe", 30_000, [
        (cpe_request(inform("1 BOOT"), {"authorization": AUTH}),
         acs_response(200, INFORM_RESPONSE, {"set-cookie": ["session=5f0c3a; Path=/"]})),
        (cpe_request("", {"cookie": "session=5f0c3a"}), acs_response(200, GPV)),
        (cpe_request(GPVR, {"cookie": "session=5f0c3a"}), acs_response(204, "")),
    ]),
    ("acs", 60_000, [
        (("GET", "/cr", {"accept": "*/*", "host": "198.51.100.7:7547"}, ""),
         (200, {"content-length": "0"}, "")),
    ]),
    ("cpe", 60_500, [
        (cpe_request(inform("6 CONNECTION REQUEST"), {"authorization": AUTH}),
         acs_response(200, INFORM_RESPONSE, {"set-cookie": ["session=77aa01; Path=/"]})),
        (cpe_request("", {"cookie": "session=77aa01"}), acs_response(204, "")),
    ]),
]


def iso(ms):
    import datetime
    t = datetime.datetime.fromtimestamp(ms / 1000, datetime.timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


def timeline():
    """(connection index, opener, start, [(request ms, request, response ms, response)])."""
    out = []
    for i, (opener, start, pairs) in enumerate(CONNECTIONS):
        at = START_MS + start
        timed = []
        for request, response in pairs:
            timed.append((at + 5, request, at + 20, response))
            at += 30
        out.append((i, opener, START_MS + start, timed))
    return out


# ---- the log ----

def records():
    recs = []
    for _, opener, start, timed in timeline():
        connection = iso(start + 1)
        for req_ms, (method, url, headers, body), res_ms, (status, rh, rbody) in timed:
            if opener == "cpe":
                recs.append(dict(event="incoming HTTP request", timestamp=iso(req_ms),
                                 remoteAddress=CPE_IP, deviceId=DEVICE, connection=connection,
                                 localPort=7547, method=method, url=url, headers=headers,
                                 body=body))
                recs.append(dict(event="outgoing HTTP response", timestamp=iso(res_ms),
                                 remoteAddress=CPE_IP, deviceId=DEVICE, connection=connection,
                                 statusCode=status, headers=rh, body=rbody))
            else:
                recs.append(dict(event="outgoing HTTP request", timestamp=iso(req_ms),
                                 remoteAddress=CPE_IP, deviceId=DEVICE, connection=connection,
                                 remotePort="7547", method=method, url=url, headers=headers,
                                 body=body))
                recs.append(dict(event="incoming HTTP response", timestamp=iso(res_ms),
                                 remoteAddress=CPE_IP, deviceId=DEVICE, connection=connection,
                                 statusCode=status, headers=rh, body=rbody))
    return recs


def scalar(s):
    # lib/common/yaml.ts quotes these and leaves the rest plain; `*` is not among them.
    if isinstance(s, int):
        return str(s)
    if re.fullmatch(r"\s*", s) or s in ("true", "false", "null"):
        return json.dumps(s)
    if re.match(r'''^[\s\-?:,\[\]{}#&$!|>'"%@`]|: | #|\s$''', s):
        return json.dumps(s)
    try:
        float(s)
        return json.dumps(s)
    except ValueError:
        return s


def fold(line):
    if len(line) <= 80 or line.startswith(" "):
        return [line]
    pieces, start = [], 0
    while len(line) - start > 80:
        cut = line.rfind(" ", start + 1, start + 81)
        if cut <= start:
            break
        pieces.append(line[start:cut])
        start = cut + 1
    pieces.append(line[start:])
    return pieces


def emit(r):
    out = ["---"]
    for k, v in r.items():
        if k == "headers":
            out.append("headers: ")
            for hk, hv in v.items():
                if isinstance(hv, list):
                    out.append(f"  {hk}: ")
                    out.extend("    - " + scalar(item) for item in hv)
                else:
                    out.append(f"  {hk}: {scalar(hv)}")
        elif isinstance(v, str) and "\n" in v:
            folded = [fold(line) for line in v.split("\n")]
            if all(len(f) == 1 for f in folded):
                out.append(f"{k}: |-")
                out.extend(("  " + f[0]) if f[0] else "" for f in folded)
            else:
                out.append(f"{k}: >-")
                for i, f in enumerate(folded):
                    if i > 0 and folded[i - 1][0] and not folded[i - 1][0].startswith(" "):
                        out.append("")
                    out.extend("  " + p for p in f)
        else:
            out.append(f"{k}: {scalar(v)}")
    return "\n".join(out) + "\n"


# ---- the capture ----

def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def tcp(src, dst, sport, dport, seq, ack, flags, payload=b""):
    segment = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 65535, 0, 0)
    pseudo = bytes(src) + bytes(dst) + struct.pack("!BBH", 0, 6, len(segment) + len(payload))
    segment = segment[:16] + struct.pack("!H", checksum(pseudo + segment + payload)) + segment[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(segment) + len(payload), 0, 0x4000, 64,
                     6, 0, bytes(src), bytes(dst))
    ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
    return b"\x02\0\0\0\0\x02\x02\0\0\0\0\x01\x08\x00" + ip + segment + payload


def wire_request(method, url, headers, body):
    lines = [f"{method} {url} HTTP/1.1"] + [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n" + body).encode()


def wire_response(status, headers, body):
    reason = {200: "OK", 204: "No Content", 401: "Unauthorized"}[status]
    lines = [f"HTTP/1.1 {status} {reason}"]
    for k, v in headers.items():
        lines += [f"{k}: {item}" for item in (v if isinstance(v, list) else [v])]
    return ("\r\n".join(lines) + "\r\n\r\n" + body).encode()


def capture():
    frames = []
    for i, opener, start, timed in timeline():
        client, server = (CPE, ACS) if opener == "cpe" else (ACS, CPE)
        cport, sport = 50000 + i, 7547
        cs, ss = 1000 * (i + 1), 900000 * (i + 1)
        us = start * 1000
        frames += [(us, tcp(client, server, cport, sport, cs, 0, 0x02)),
                   (us + 100, tcp(server, client, sport, cport, ss, cs + 1, 0x12)),
                   (us + 200, tcp(client, server, cport, sport, cs + 1, ss + 1, 0x10))]
        cs, ss = cs + 1, ss + 1
        end = us
        for req_ms, request, res_ms, response in timed:
            data = wire_request(*request)
            frames.append((req_ms * 1000, tcp(client, server, cport, sport, cs, ss, 0x18, data)))
            cs += len(data)
            data = wire_response(*response)
            frames.append((res_ms * 1000, tcp(server, client, sport, cport, ss, cs, 0x18, data)))
            ss += len(data)
            end = res_ms * 1000
        frames += [(end + 1000, tcp(client, server, cport, sport, cs, ss, 0x11)),
                   (end + 1100, tcp(server, client, sport, cport, ss, cs + 1, 0x11)),
                   (end + 1200, tcp(client, server, cport, sport, cs + 1, ss + 1, 0x10))]
    frames.sort(key=lambda f: f[0])
    out = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1)
    for micros, frame in frames:
        out += struct.pack("<IIII", micros // 1_000_000, micros % 1_000_000, len(frame), len(frame))
        out += frame
    return out


(HERE / "genieacs_run.yaml").write_text("".join(emit(r) for r in records()), newline="")
(HERE / "genieacs_run.jsonl").write_text(
    "".join(json.dumps(r, separators=(",", ":")) + "\n" for r in records()), newline="")
(HERE / "genieacs_run.pcap").write_bytes(capture())
