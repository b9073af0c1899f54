#!/usr/bin/env python3
"""Builds the lint test vectors (<rule-id>.pos.http / .neg.http, or .har when a rule needs capture
times) from the compact descriptions below, so that every Content-Length is right.
Run from anywhere: python3 gen.py. Rewrites the vectors and PROVENANCE.md next to this script."""
import base64, hashlib, json, os

HERE = os.path.dirname(os.path.abspath(__file__))
NS0, NS1, NS2, NS3 = ("urn:dslforum-org:cwmp-1-%d" % i for i in (0, 1, 2, 3))


def env(body, ns=NS0, cid="1", headers=""):
    idh = '<cwmp:ID soap:mustUnderstand="1">%s</cwmp:ID>' % cid if cid is not None else ""
    return ('<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" '
            'xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/" '
            'xmlns:xsd="http://www.w3.org/2001/XMLSchema" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:cwmp="%s">'
            '<soap:Header>%s%s</soap:Header><soap:Body>%s</soap:Body></soap:Envelope>'
            % (ns, idh, headers, body))


def inform_body(events, retry=0, time="2024-01-01T00:00:00Z", oui="00D09E", serial="SN0001"):
    ev = "".join('<EventStruct><EventCode>%s</EventCode><CommandKey>%s</CommandKey></EventStruct>'
                 % (e, "k1" if e.startswith("M ") else "") for e in events)
    return ('<cwmp:Inform><DeviceId><Manufacturer>Acme</Manufacturer><OUI>%s</OUI>'
            '<ProductClass>Box</ProductClass><SerialNumber>%s</SerialNumber></DeviceId>'
            '<Event soapenc:arrayType="cwmp:EventStruct[%d]">%s</Event>'
            '<MaxEnvelopes>1</MaxEnvelopes><CurrentTime>%s</CurrentTime>'
            '<RetryCount>%d</RetryCount>'
            '<ParameterList soapenc:arrayType="cwmp:ParameterValueStruct[1]">'
            '<ParameterValueStruct><Name>Device.DeviceInfo.SoftwareVersion</Name>'
            '<Value xsi:type="xsd:string">1.0</Value></ParameterValueStruct></ParameterList>'
            '</cwmp:Inform>' % (oui, serial, len(events), ev, time, retry))


IR = '<cwmp:InformResponse><MaxEnvelopes>1</MaxEnvelopes></cwmp:InformResponse>'
GPV = ('<cwmp:GetParameterValues><ParameterNames soapenc:arrayType="xsd:string[1]">'
       '<string>Device.DeviceInfo.UpTime</string></ParameterNames></cwmp:GetParameterValues>')
GPVR = ('<cwmp:GetParameterValuesResponse>'
        '<ParameterList soapenc:arrayType="cwmp:ParameterValueStruct[1]"><ParameterValueStruct>'
        '<Name>Device.DeviceInfo.UpTime</Name><Value xsi:type="xsd:unsignedInt">42</Value>'
        '</ParameterValueStruct></ParameterList></cwmp:GetParameterValuesResponse>')
SPVR = '<cwmp:SetParameterValuesResponse><Status>0</Status></cwmp:SetParameterValuesResponse>'
GRM = '<cwmp:GetRPCMethods></cwmp:GetRPCMethods>'
GRMR = ('<cwmp:GetRPCMethodsResponse><MethodList soapenc:arrayType="xsd:string[1]">'
        '<string>Inform</string></MethodList></cwmp:GetRPCMethodsResponse>')


def tc(code=0):
    return ('<cwmp:TransferComplete><CommandKey>k1</CommandKey><FaultStruct>'
            '<FaultCode>%d</FaultCode><FaultString>%s</FaultString></FaultStruct>'
            '<StartTime>2024-01-01T00:00:00Z</StartTime><CompleteTime>2024-01-01T00:01:00Z'
            '</CompleteTime></cwmp:TransferComplete>' % (code, "" if code == 0 else "failed"))


def addobj(path):
    return ('<cwmp:AddObject><ObjectName>%s</ObjectName><ParameterKey></ParameterKey>'
            '</cwmp:AddObject>' % path)


TCR = '<cwmp:TransferCompleteResponse></cwmp:TransferCompleteResponse>'


def dscc(code):
    return ('<cwmp:DUStateChangeComplete><Results><UUID>6ba7b810-9dad-11d1-80b4-00c04fd430c8</UUID>'
            '<DeploymentUnitRef>Device.SoftwareModules.DeploymentUnit.1</DeploymentUnitRef>'
            '<Version>1.0</Version><CurrentState>Installed</CurrentState><Resolved>1</Resolved>'
            '<ExecutionUnitRefList></ExecutionUnitRefList><StartTime>2024-01-01T00:00:00Z'
            '</StartTime><CompleteTime>2024-01-01T00:01:00Z</CompleteTime><Fault>'
            '<FaultCode>%d</FaultCode><FaultString></FaultString></Fault>'
            '</Results><CommandKey>k1</CommandKey></cwmp:DUStateChangeComplete>' % code)


DSCCR = '<cwmp:DUStateChangeCompleteResponse></cwmp:DUStateChangeCompleteResponse>'
CT = '<cwmp:CancelTransfer><CommandKey>k1</CommandKey></cwmp:CancelTransfer>'
CTR = '<cwmp:CancelTransferResponse></cwmp:CancelTransferResponse>'


def fault(code, name="Fault"):
    return ('<soap:Fault><faultcode>Server</faultcode><faultstring>CWMP fault</faultstring>'
            '<detail><cwmp:Fault><FaultCode>%d</FaultCode><FaultString>%s</FaultString>'
            '</cwmp:Fault></detail></soap:Fault>' % (code, name))


def hold(v=1):
    return '<cwmp:HoldRequests soap:mustUnderstand="1">%d</cwmp:HoldRequests>' % v


def supported(v):
    return '<cwmp:SupportedCWMPVersions soap:mustUnderstand="0">%s</cwmp:SupportedCWMPVersions>' % v


def use(v):
    return '<cwmp:UseCWMPVersion soap:mustUnderstand="1">%s</cwmp:UseCWMPVersion>' % v


# A message: (side, status-or-None, extra headers, body)
def C(body="", headers=()):
    return ("cpe", None, list(headers), body)


def A(body="", status=200, headers=()):
    return ("acs", status, list(headers), body)


def GET(status=200, headers=(), answer=()):
    """A connection request GET: `headers` on the GET, `answer` on its response."""
    return ("get", status, list(headers), list(answer))


def E204():
    return A("", 204)


def session(events=("1 BOOT",), ns=NS0, retry=0, time="2024-01-01T00:00:00Z", ih="", rh="",
            middle=(), oui="00D09E"):
    """Inform / InformResponse, the middle, then empty POST / 204."""
    return ([C(env(inform_body(list(events), retry, time, oui), ns, "1", ih)),
             A(env(IR, ns, "1", rh))] + list(middle) + [C(), E204()])


REASONS = {
    200: "OK", 204: "No Content", 401: "Unauthorized", 500: "Internal Server Error"}


def http(msgs):
    out = []
    for side, status, headers, body in msgs:
        b = body.encode() if isinstance(body, str) else b""
        if side == "cpe":
            h = ["POST /acs HTTP/1.1", "Host: acs.example.com"]
            if b:
                h.append('Content-Type: text/xml; charset="utf-8"')
                h.append('SOAPAction: ""')
        elif side == "get":
            out.append(("\r\n".join(["GET /cr/a1b2 HTTP/1.1", "Host: 192.0.2.10:7547"] + headers)
                        + "\r\n\r\n").encode())
            out.append(("\r\n".join(["HTTP/1.1 %d %s" % (status, REASONS[status])] + body
                                     + ["Content-Length: 0"]) + "\r\n\r\n").encode())
            continue
        else:
            h = ["HTTP/1.1 %d %s" % (status, REASONS[status])]
            if b:
                h.append('Content-Type: text/xml; charset="utf-8"')
        h += headers
        h.append("Content-Length: %d" % len(b))
        out.append(("\r\n".join(h) + "\r\n\r\n").encode() + b)
    return b"\r\n".join(out) + b"\r\n"


def har(msgs, gaps, url="http://acs.example.com/acs"):
    """A HAR file: one entry per POST and its answer; gaps[i] = seconds before exchange i."""
    entries, t, i = [], 1704067200.0, 0
    pairs = [(msgs[k], msgs[k + 1]) for k in range(0, len(msgs), 2)]
    for (req, resp), gap in zip(pairs, gaps):
        t += gap
        stamp = "2024-01-01T00:%02d:%06.3fZ" % (int(t - 1704067200) // 60, (t - 1704067200) % 60)
        hdr = lambda hs: [{"name": n, "value": v} for n, v in (x.split(": ", 1) for x in hs)]
        entries.append({
            "startedDateTime": stamp, "time": 10,
            "request": {"method": "POST", "url": url,
                        "httpVersion": "HTTP/1.1",
                        "headers": hdr(["Content-Type: text/xml"] + req[2]),
                        "postData": {"mimeType": "text/xml", "text": req[3]}},
            "response": {"status": resp[1], "statusText": REASONS[resp[1]],
                         "httpVersion": "HTTP/1.1",
                         "headers": hdr(["Content-Type: text/xml"] + resp[2]),
                         "content": {"size": len(resp[3]), "mimeType": "text/xml",
                                     "text": resp[3]}}})
    return json.dumps({"log": {"version": "1.2", "creator": {"name": "gen.py", "version": "1"},
                               "entries": entries}}, indent=1).encode()


AUTH_CH = 'WWW-Authenticate: Digest realm="acs", nonce="n1", qop="auth"'
AUTH = ('Authorization: Digest username="00D09E-Box-SN0001", realm="acs", nonce="n1", uri="/acs", '
        'qop=auth, nc=00000001, cnonce="c1", response="0123456789abcdef0123456789abcdef"')
# Digest answers computed for real (RFC 7616 §3.4.1, MD5, qop=auth), so that a vector in which
# every field matches but the password is wrong is honest: the ACS's password is ACS_PASSWORD.
CPE_USER, ACS_PASSWORD = "00D09E-Box-SN0001", "cpe-s3cret"


def md5(text):
    return hashlib.md5(text.encode()).hexdigest()


def challenge(realm="acs", nonce="n1", qop="auth", extra=""):
    q = ', qop="%s"' % qop if qop else ""
    return 'WWW-Authenticate: Digest realm="%s", nonce="%s"%s%s' % (realm, nonce, q, extra)


def digest(password=ACS_PASSWORD, realm="acs", nonce="n1", uri="/acs", qop="auth",
           method="POST", user=CPE_USER, algorithm=None, cnonce="0a4f113b", nc="00000001"):
    """The Authorization header a client computes from what it sends."""
    ha1 = md5("%s:%s:%s" % (user, realm, password))
    ha2 = md5("%s:%s" % (method, uri))
    if qop:
        response = md5("%s:%s:%s:%s:%s:%s" % (ha1, nonce, nc, cnonce, qop, ha2))
        q = ', qop=%s, nc=%s, cnonce="%s"' % (qop, nc, cnonce)
    else:
        response, q = md5("%s:%s:%s" % (ha1, nonce, ha2)), ""
    alg = ", algorithm=%s" % algorithm if algorithm else ""
    return ('Authorization: Digest username="%s", realm="%s", nonce="%s", uri="%s"%s%s, '
            'response="%s"' % (user, realm, nonce, uri, q, alg, response))


def basic(password=ACS_PASSWORD, user=CPE_USER):
    token = base64.b64encode(("%s:%s" % (user, password)).encode()).decode()
    return "Authorization: Basic %s" % token


BASIC_CH = 'WWW-Authenticate: Basic realm="acs"'
WRONG = "cpe-s3cr3t"


def refused_after(authz, ch=None):
    """Inform, challenged; the retry carrying `authz`, refused with the same challenge."""
    ch = ch or challenge()
    return [INF(), A("", 401, [ch]), C(env(inform_body(["1 BOOT"])), [authz]), A("", 401, [ch])]


def accepted_after(authz, ch=None):
    ch = ch or challenge()
    return [INF(), A("", 401, [ch]), C(env(inform_body(["1 BOOT"])), [authz])] + session()[1:]


INF = lambda ev=("1 BOOT",), ns=NS0, ih="", **kw: C(env(inform_body(list(ev), **kw), ns, "1", ih))
NS2OK = dict(ns=NS2)

# rule id -> (description, positive, negative); a vector is a message list, or ("har", msgs, gaps)
V = {
 "session.inform-first": ("empty POST before any Inform",
    [C(), E204()], session()),
 "session.inform-response-first": ("ACS sends GetParameterValues instead of InformResponse",
    [INF(), A(env(GPV, cid="2")), C(env(GPVR, cid="2")), E204()], session()),
 "session.cpe-request-after-empty-post": ("CPE calls GetRPCMethods after its empty POST",
    [INF(), A(env(IR)), C(), A(env(GPV, cid="2")), C(env(GRM, cid="c1")),
     A(env(GRMR, cid="c1")), C(env(GPVR, cid="2")), E204()],
    session(middle=[C(env(GRM, cid="c1")), A(env(GRMR, cid="c1"))])),
 "session.cpe-request-while-held": ("CPE calls GetRPCMethods while HoldRequests is true",
    session(rh=hold(1), middle=[C(env(GRM, cid="c1")), A(env(GRMR, cid="c1"))]),
    session(rh=hold(0), middle=[C(env(GRM, cid="c1")), A(env(GRMR, cid="c1"))])),
 "session.response-type": ("GetParameterValues answered with SetParameterValuesResponse",
    session(middle=[C(), A(env(GPV, cid="2")), C(env(SPVR, cid="2"))])[:-2] + [E204()],
    session(middle=[C(), A(env(GPV, cid="2")), C(env(GPVR, cid="2"))])[:-2] + [E204()]),
 "session.response-id": ("GetParameterValuesResponse with another cwmp:ID",
    session(middle=[C(), A(env(GPV, cid="5")), C(env(GPVR, cid="6"))])[:-2] + [E204()],
    session(middle=[C(), A(env(GPV, cid="5")), C(env(GPVR, cid="5"))])[:-2] + [E204()]),
 "session.empty-200": ("session ended by an empty 200 OK",
    session()[:-1] + [A("", 200)], session()),
 "session.not-terminated": ("transcript stops after the empty POST, unanswered",
    session()[:-1], session()),
 "session.timeout": ("HAR: 45 s of silence before the empty POST (default timeout 30 s)",
    ("har", session(), [0, 45]), ("har", session(), [0, 2])),
 "http.auth-loop": ("Inform challenged, retried with credentials, challenged again",
    [INF(), A("", 401, [AUTH_CH]), C(env(inform_body(["1 BOOT"])), [AUTH]),
     A("", 401, [AUTH_CH])],
    [INF(), A("", 401, [AUTH_CH])] + [C(env(inform_body(["1 BOOT"])), [AUTH])]
    + session()[1:]),
 "auth.challenge-unanswered": ("Inform challenged three times, never retried with credentials",
    [INF(), A("", 401, [challenge()])] * 3, accepted_after(digest())),
 "auth.scheme-mismatch": ("Digest challenge answered with Basic, twice",
    [INF(), A("", 401, [challenge()])]
    + [C(env(inform_body(["1 BOOT"])), [basic()]), A("", 401, [challenge()])] * 2,
    refused_after(basic(WRONG), BASIC_CH)),
 "auth.realm-mismatch": ("Digest answer for realm \"cwmp\" to a challenge for realm \"acs\"",
    refused_after(digest(realm="cwmp")), refused_after(digest(WRONG))),
 "auth.stale-nonce": ("Digest answer with nonce \"n0\", which the ACS never issued",
    refused_after(digest(nonce="n0")), refused_after(digest(WRONG))),
 "auth.uri-mismatch": ("Digest answer with uri \"/cwmp\" on a POST to /acs",
    refused_after(digest(uri="/cwmp")), refused_after(digest(WRONG))),
 "auth.qop-not-offered": ("Digest answer with qop auth-int to a challenge offering auth",
    refused_after(digest(qop="auth-int")), refused_after(digest(WRONG))),
 "auth.algorithm-mismatch": ("MD5 Digest answer to a challenge asking SHA-256",
    refused_after(digest(), challenge(extra=", algorithm=SHA-256")),
    refused_after(digest(WRONG))),
 "auth.credentials-refused": ("every Digest field matches, the password is wrong",
    refused_after(digest(WRONG)), refused_after(digest(WRONG, realm="cwmp"))),
 "auth.connection-request-unauthenticated": ("connection request accepted without credentials",
    [GET(200)] + session(events=["6 CONNECTION REQUEST"]),
    [GET(401, answer=[challenge(nonce="cr1").replace("acs", "cpe", 1)]),
     GET(200, [digest(realm="cpe", nonce="cr1", uri="/cr/a1b2", method="GET", user="acs")])]
    + session(events=["6 CONNECTION REQUEST"])),
 "auth.basic-over-http": ("HAR: Basic credentials to an http:// ACS URL",
    ("har", [INF(), A("", 401, [BASIC_CH]), C(env(inform_body(["1 BOOT"])), [basic()])]
     + session()[1:], [0, 1, 1, 1]),
    ("har", [INF(), A("", 401, [BASIC_CH]), C(env(inform_body(["1 BOOT"])), [basic()])]
     + session()[1:], [0, 1, 1, 1], "https://acs.example.com/acs")),
 "session.repeated-fault": ("AddObject of the same path answered with fault 9005 four times",
    session(middle=[C()] + sum([[A(env(addobj("Device.NAT.PortMapping."), cid=str(i))),
                                 C(env(fault(9005, "Invalid parameter name"), cid=str(i)))]
                                for i in range(2, 6)], []))[:-2] + [E204()],
    session(middle=[C()] + sum([[A(env(addobj(path), cid=str(i))),
                                 C(env(fault(9005, "Invalid parameter name"), cid=str(i)))]
                                for i, path in enumerate(
                                    ["Device.NAT.PortMapping.", "Device.NAT.PortMappings.",
                                     "Device.NAT.PortMapping."], 2)], []))[:-2] + [E204()]),
 "http.cookie-not-returned": ("ACS sets a cookie the CPE's empty POST does not return",
    [INF(), A(env(IR), 200, ["Set-Cookie: sid=abc123; Path=/"]), C(), E204()],
    [INF(), A(env(IR), 200, ["Set-Cookie: sid=abc123; Path=/"]), C("", ["Cookie: sid=abc123"]),
     E204()]),
 "event.reboot-without-boot": ("M Reboot without 1 BOOT",
    session(events=["M Reboot"]), session(events=["1 BOOT", "M Reboot"])),
 "event.transfer-complete-event-missing": ("M Download without 7 TRANSFER COMPLETE",
    session(events=["M Download"], middle=[C(env(tc(), cid="c1")), A(env(TCR, cid="c1"))]),
    session(events=["7 TRANSFER COMPLETE", "M Download"],
            middle=[C(env(tc(), cid="c1")), A(env(TCR, cid="c1"))])),
 "event.transfer-complete-missing": ("7 TRANSFER COMPLETE and M Download, no TransferComplete",
    session(events=["7 TRANSFER COMPLETE", "M Download"]),
    session(events=["7 TRANSFER COMPLETE", "M Download"],
            middle=[C(env(tc(), cid="c1")), A(env(TCR, cid="c1"))])),
 "event.transfer-complete-unannounced": ("TransferComplete in a 2 PERIODIC session",
    session(events=["2 PERIODIC"], middle=[C(env(tc(), cid="c1")), A(env(TCR, cid="c1"))]),
    session(events=["7 TRANSFER COMPLETE", "M Download"],
            middle=[C(env(tc(), cid="c1")), A(env(TCR, cid="c1"))])),
 "event.bootstrap-repeated": ("two sessions of one device, the second with 0 BOOTSTRAP again",
    session(events=["0 BOOTSTRAP", "1 BOOT"]) + session(events=["0 BOOTSTRAP", "1 BOOT"]),
    session(events=["0 BOOTSTRAP", "1 BOOT"]) + session(events=["2 PERIODIC"])),
 "event.bootstrap-without-boot": ("0 BOOTSTRAP alone",
    session(events=["0 BOOTSTRAP"]), session(events=["0 BOOTSTRAP", "1 BOOT"])),
 "event.connection-request-unmatched": ("6 CONNECTION REQUEST session, no connection request",
    session(events=["6 CONNECTION REQUEST"]),
    [GET(200)] + session(events=["6 CONNECTION REQUEST"])),
 "event.connection-request-no-session": ("accepted connection request, then a 2 PERIODIC session",
    [GET(200)] + session(events=["2 PERIODIC"]),
    [GET(200)] + session(events=["6 CONNECTION REQUEST"])),
 "retry.count": ("Inform with RetryCount 1 after a refused try",
    [INF(), A("", 500)] + session(retry=1, time="2024-01-01T00:00:30Z"),
    session() + session(events=["2 PERIODIC"], time="2024-01-01T01:00:00Z")),
 "retry.count-not-reset": ("successful session, then RetryCount 1",
    session() + session(events=["2 PERIODIC"], retry=1, time="2024-01-01T01:00:00Z"),
    [INF(), A("", 500)] + session(retry=1, time="2024-01-01T00:00:30Z")),
 "retry.too-fast": ("retry 1 two seconds after the refused try (minimum 5 s)",
    [INF(), A("", 500)] + session(retry=1, time="2024-01-01T00:00:02Z"),
    [INF(), A("", 500)] + session(retry=1, time="2024-01-01T00:00:07Z")),
 "fault.transfer-complete-code": ("TransferComplete with fault 9005",
    session(events=["7 TRANSFER COMPLETE", "M Download"],
            middle=[C(env(tc(9005), cid="c1")), A(env(TCR, cid="c1"))]),
    session(events=["7 TRANSFER COMPLETE", "M Download"],
            middle=[C(env(tc(9010), cid="c1")), A(env(TCR, cid="c1"))])),
 "fault.du-code": ("DUStateChangeComplete with fault 9010 (a transfer-only code)",
    session(events=["11 DU STATE CHANGE COMPLETE", "M ChangeDUState"], ns=NS2,
            middle=[C(env(dscc(9010), NS2, "c1")), A(env(DSCCR, NS2, "c1"))]),
    session(events=["11 DU STATE CHANGE COMPLETE", "M ChangeDUState"], ns=NS2,
            middle=[C(env(dscc(9003), NS2, "c1")), A(env(DSCCR, NS2, "c1"))])),
 "version.rpc": ("CancelTransfer in a cwmp-1-0 session",
    session(middle=[C(), A(env(CT, cid="2")), C(env(CTR, cid="2"))])[:-2] + [E204()],
    session(ns=NS2, middle=[C(), A(env(CT, NS2, "2")), C(env(CTR, NS2, "2"))])[:-2] + [E204()]),
 "version.event": ("13 WAKEUP in a cwmp-1-1 session",
    session(events=["13 WAKEUP"], ns=NS1), session(events=["13 WAKEUP"], ns=NS2)),
 "version.fault": ("ACS fault 8006 in a cwmp-1-0 session",
    [INF(), A(env(fault(8006, "ACS version incompatible with CPE")))],
    [INF(ns=NS2, ih=supported("1.4")),
     A(env(fault(8006, "ACS version incompatible with CPE"), NS2))]),
 "version.unofficial-namespace": ("session in urn:dslforum-org:cwmp-1-3",
    session(ns=NS3), session(ns=NS2)),
 "version.use-not-supported": ("UseCWMPVersion 1.4, CPE supports 1.0-1.2",
    session(ns=NS2, ih=supported("1.0,1.1,1.2"), rh=use("1.4")),
    session(ns=NS2, ih=supported("1.0,1.1,1.2,1.3,1.4"), rh=use("1.4"))),
 "version.supported-ignored": ("SupportedCWMPVersions answered without UseCWMPVersion",
    session(ns=NS2, ih=supported("1.0,1.1,1.2,1.3,1.4")),
    session(ns=NS2, ih=supported("1.0,1.1,1.2,1.3,1.4"), rh=use("1.4"))),
 "version.header-before-1-4": ("SupportedCWMPVersions in a cwmp-1-0 session",
    session(ih=supported("1.0,1.4"), rh=use("1.0")),
    session(ns=NS2, ih=supported("1.0,1.4"), rh=use("1.4"))),
 "codec": ("lowercase OUI (codec diagnostic lowercase-oui)",
    session(oui="00d09e"), session()),
}


# Further vectors, for the native tests beyond one positive and one negative per rule:
# file stem -> (description, messages).
EXTRA = {
 "auth.stale-nonce.stale-true": ("the ACS answers a right-looking Digest answer with stale=true",
    [INF(), A("", 401, [challenge()]), C(env(inform_body(["1 BOOT"])), [digest()]),
     A("", 401, [challenge(nonce="n2", extra=", stale=true")])]),
 "auth.credentials-refused.connection-request": (
    "connection request: every Digest field matches, the ACS's password is wrong, 401 twice",
    [GET(401, answer=[challenge(realm="cpe", nonce="cr1")]),
     GET(401, [digest(WRONG, realm="cpe", nonce="cr1", uri="/cr/a1b2", method="GET",
                      user="acs")], [challenge(realm="cpe", nonce="cr1")])]),
 "auth.basic-over-http.connection-request": ("connection request with Basic credentials",
    [GET(401, answer=['WWW-Authenticate: Basic realm="cpe"']),
     GET(200, [basic(user="acs")])] + session(events=["6 CONNECTION REQUEST"])),
}


def write(name, v):
    if isinstance(v, tuple) and v[0] == "har":
        data, ext = har(*v[1:]), "har"
    else:
        data, ext = http(v), "http"
    fname = "%s.%s" % (name, ext)
    with open(os.path.join(HERE, fname), "wb") as f:
        f.write(data)
    return fname


def main():
    for f in os.listdir(HERE):
        if f.endswith((".http", ".har")):
            os.remove(os.path.join(HERE, f))
    lines = ["# Lint test vectors", "",
             "Synthetic transcripts written by `gen.py` in this directory (no captured data); "
             "one line per file.", ""]
    for rule, (desc, pos, neg) in sorted(V.items()):
        p = write(rule + ".pos", pos)
        n = write(rule + ".neg", neg)
        lines.append("- `%s`: synthetic, gen.py; breaks `%s`: %s." % (p, rule, desc))
        lines.append("- `%s`: synthetic, gen.py; the same situation done right for `%s`."
                     % (n, rule))
    for stem, (desc, msgs) in sorted(EXTRA.items()):
        lines.append("- `%s`: synthetic, gen.py; %s." % (write(stem, msgs), desc))
    lines.append("- `gen.py`: the generator, written for this project.")
    with open(os.path.join(HERE, "PROVENANCE.md"), "w") as f:
        f.write("\n".join(lines) + "\n")


main()
