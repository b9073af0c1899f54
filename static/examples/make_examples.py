#!/usr/bin/env python3
"""Writes the example captures of static/examples/ (see PROVENANCE.md). Run from this directory.

- fault-digest-401.http is made here from scratch: a CPE that must answer a Digest challenge
  (401, then the retry with Authorization), an ACS SetParameterValues that the CPE refuses with a
  CWMP fault 9007, and a connection request challenged with Digest (401) then accepted (200),
  followed by the session it starts. Digest responses are real MD5 digests (RFC 2617, qop=auth)
  for the passwords named below, so an auth checker can verify them.
- freeacs-digest-session.http joins FreeACS's MIT-licensed `digest` test session (copied under
  crates/cwmp-session/tests/vectors/golden/freeacs/digest/) into one HTTP transcript, the way
  crates/cwmp-session/tests/golden.rs does.
- The two other examples are copies of project test vectors (cp, unchanged).
"""
import hashlib
import pathlib
import shutil

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parent.parent

NS = ('xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" '
      'xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/" '
      'xmlns:xsd="http://www.w3.org/2001/XMLSchema" '
      'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
      'xmlns:cwmp="urn:dslforum-org:cwmp-1-0"')


def envelope(cwmp_id, body):
    return (f'<soap:Envelope {NS}><soap:Header><cwmp:ID soap:mustUnderstand="1">{cwmp_id}</cwmp:ID>'
            f'</soap:Header><soap:Body>{body}</soap:Body></soap:Envelope>\n')


def md5(text):
    return hashlib.md5(text.encode()).hexdigest()


def digest(user, password, realm, nonce, method, uri, nc, cnonce):
    ha1 = md5(f'{user}:{realm}:{password}')
    ha2 = md5(f'{method}:{uri}')
    response = md5(f'{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}')
    return (f'Digest username="{user}", realm="{realm}", nonce="{nonce}", uri="{uri}", '
            f'qop=auth, nc={nc}, cnonce="{cnonce}", response="{response}"')


def request(method, path, host, body='', extra=()):
    head = [f'{method} {path} HTTP/1.1', f'Host: {host}']
    if body:
        head += ['Content-Type: text/xml; charset="utf-8"', 'SOAPAction: ""']
    head += list(extra)
    head.append(f'Content-Length: {len(body.encode())}')
    return '\r\n'.join(head) + '\r\n\r\n' + body


def response(status, body='', extra=()):
    head = [f'HTTP/1.1 {status}']
    if body:
        head.append('Content-Type: text/xml; charset="utf-8"')
    head += list(extra)
    head.append(f'Content-Length: {len(body.encode())}')
    return '\r\n'.join(head) + '\r\n\r\n' + body


def inform(cwmp_id, event, time):
    return envelope(cwmp_id, (
        '<cwmp:Inform><DeviceId><Manufacturer>Example</Manufacturer><OUI>00005A</OUI>'
        '<ProductClass>Gateway</ProductClass><SerialNumber>EX0042</SerialNumber></DeviceId>'
        f'<Event soapenc:arrayType="cwmp:EventStruct[1]"><EventStruct><EventCode>{event}</EventCode>'
        '<CommandKey></CommandKey></EventStruct></Event><MaxEnvelopes>1</MaxEnvelopes>'
        f'<CurrentTime>{time}</CurrentTime><RetryCount>0</RetryCount>'
        '<ParameterList soapenc:arrayType="cwmp:ParameterValueStruct[2]">'
        '<ParameterValueStruct><Name>Device.DeviceInfo.SoftwareVersion</Name>'
        '<Value xsi:type="xsd:string">2.4.1</Value></ParameterValueStruct>'
        '<ParameterValueStruct><Name>Device.ManagementServer.ConnectionRequestURL</Name>'
        '<Value xsi:type="xsd:string">http://192.0.2.42:7547/cr/7f3a</Value></ParameterValueStruct>'
        '</ParameterList></cwmp:Inform>'))


def inform_response(cwmp_id):
    return envelope(cwmp_id, '<cwmp:InformResponse><MaxEnvelopes>1</MaxEnvelopes></cwmp:InformResponse>')


def fault_digest_401():
    acs = 'acs.example.net'
    user, realm = '00005A-Gateway-EX0042', 'acs.example.net'
    out = []
    # Session 1: the ACS challenges the Inform; the CPE retries with Digest credentials.
    out.append(request('POST', '/acs', acs, inform('1', '1 BOOT', '2025-06-02T09:00:00Z')))
    out.append(response('401 Unauthorized', extra=[
        f'WWW-Authenticate: Digest realm="{realm}", nonce="b7c1e0a94d", qop="auth", algorithm=MD5']))
    auth = digest(user, 'cpe-secret', realm, 'b7c1e0a94d', 'POST', '/acs', '00000001', '3f9a61c2')
    out.append(request('POST', '/acs', acs, inform('1', '1 BOOT', '2025-06-02T09:00:00Z'),
                       extra=[f'Authorization: {auth}']))
    out.append(response('200 OK', inform_response('1'), extra=['Set-Cookie: session=8d21f0; Path=/']))
    out.append(request('POST', '/acs', acs, extra=['Cookie: session=8d21f0']))
    spv = envelope('acs-17', (
        '<cwmp:SetParameterValues><ParameterList soapenc:arrayType="cwmp:ParameterValueStruct[1]">'
        '<ParameterValueStruct><Name>Device.ManagementServer.PeriodicInformInterval</Name>'
        '<Value xsi:type="xsd:unsignedInt">-60</Value></ParameterValueStruct></ParameterList>'
        '<ParameterKey>job-17</ParameterKey></cwmp:SetParameterValues>'))
    out.append(response('200 OK', spv))
    fault = envelope('acs-17', (
        '<soap:Fault><faultcode>Client</faultcode><faultstring>CWMP fault</faultstring><detail>'
        '<cwmp:Fault><FaultCode>9003</FaultCode><FaultString>Invalid arguments</FaultString>'
        '<SetParameterValuesFault><ParameterName>Device.ManagementServer.PeriodicInformInterval'
        '</ParameterName><FaultCode>9007</FaultCode><FaultString>Invalid parameter value: '
        'not an unsignedInt</FaultString></SetParameterValuesFault></cwmp:Fault></detail></soap:Fault>'))
    out.append(request('POST', '/acs', acs, fault, extra=['Cookie: session=8d21f0']))
    out.append(response('204 No Content'))
    # A connection request: challenged with Digest, then accepted.
    cr_host = '192.0.2.42:7547'
    out.append(request('GET', '/cr/7f3a', cr_host))
    out.append(response('401 Unauthorized', extra=[
        'WWW-Authenticate: Digest realm="IGD Authentication", nonce="5e1f09c4", qop="auth"']))
    auth = digest('acs', 'cr-secret', 'IGD Authentication', '5e1f09c4', 'GET', '/cr/7f3a',
                  '00000001', 'a0d2')
    out.append(request('GET', '/cr/7f3a', cr_host, extra=[f'Authorization: {auth}']))
    out.append(response('200 OK'))
    # Session 2: the session the connection request started.
    out.append(request('POST', '/acs', acs, inform('2', '6 CONNECTION REQUEST', '2025-06-02T09:05:00Z'),
                       extra=[f'Authorization: {digest(user, "cpe-secret", realm, "c41d7e22", "POST", "/acs", "00000001", "77e0")}']))
    out.append(response('200 OK', inform_response('2'), extra=['Set-Cookie: session=91aa3b; Path=/']))
    out.append(request('POST', '/acs', acs, extra=['Cookie: session=91aa3b']))
    gpv = envelope('acs-18', (
        '<cwmp:GetParameterValues><ParameterNames soapenc:arrayType="xsd:string[1]">'
        '<string>Device.ManagementServer.PeriodicInformInterval</string></ParameterNames>'
        '</cwmp:GetParameterValues>'))
    out.append(response('200 OK', gpv))
    gpvr = envelope('acs-18', (
        '<cwmp:GetParameterValuesResponse><ParameterList soapenc:arrayType="cwmp:ParameterValueStruct[1]">'
        '<ParameterValueStruct><Name>Device.ManagementServer.PeriodicInformInterval</Name>'
        '<Value xsi:type="xsd:unsignedInt">3600</Value></ParameterValueStruct></ParameterList>'
        '</cwmp:GetParameterValuesResponse>'))
    out.append(request('POST', '/acs', acs, gpvr, extra=['Cookie: session=91aa3b']))
    out.append(response('204 No Content'))
    return ''.join(out).encode()


def freeacs_digest():
    # Which side each numbered file is: as in crates/cwmp-session/tests/golden.rs (`side`).
    sides = {1: 'cpe', 2: 'acs', 3: 'cpe', 4: 'acs', 5: 'cpe', 6: 'acs', 7: 'cpe', 8: 'acs'}
    folder = REPO / 'crates/cwmp-session/tests/vectors/golden/freeacs/digest'
    files = sorted(folder.iterdir(), key=lambda p: int(p.name.split('_')[0]))
    out = b''
    for path in files:
        body = path.read_bytes()
        side = sides[int(path.name.split('_')[0])]
        if side == 'cpe':
            head = (f'POST /acs HTTP/1.1\r\nContent-Type: text/xml\r\nContent-Length: {len(body)}\r\n\r\n'
                    if body else 'POST /acs HTTP/1.1\r\nContent-Length: 0\r\n\r\n')
        else:
            head = (f'HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: {len(body)}\r\n\r\n'
                    if body else 'HTTP/1.1 204 No Content\r\n\r\n')
        out += head.encode() + body
    return out


(HERE / 'fault-digest-401.http').write_bytes(fault_digest_401())
(HERE / 'freeacs-digest-session.http').write_bytes(freeacs_digest())
shutil.copyfile(REPO / 'crates/cwmp-capture/tests/vectors/magma_baicells_qrtb_enodebd_tr069.pcap',
                HERE / 'magma-baicells-enodebd.pcap')
shutil.copyfile(REPO / 'crates/cwmp-capture/tests/vectors/text/genieacs_debug.jsonl',
                HERE / 'genieacs-debug-log.jsonl')
