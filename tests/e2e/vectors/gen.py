#!/usr/bin/env python3
"""Writes the hand-made e2e vectors of this directory (run from anywhere; stdlib only).

- connection-request-digest.http: a connection request refused with a Digest challenge, retried
  with credentials computed for the password `s3cret`, accepted; then the session it started.
- xss.http: a session whose headers, DeviceId, parameter values and fault string carry markup
  that would run if the page ever parsed captured text as HTML.
"""
import hashlib
import pathlib

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


(HERE / "connection-request-digest.http").write_text(connection_request(), newline="")
(HERE / "xss.http").write_text(xss(), newline="")
