import json
ENV='<soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/" xmlns:cwmp="urn:dslforum-org:cwmp-1-0">\n<soap-env:Header>\n<cwmp:ID soap-env:mustUnderstand="1">%s</cwmp:ID>\n</soap-env:Header>\n<soap-env:Body>\n%s\n</soap-env:Body>\n</soap-env:Envelope>'
inform=ENV%("1",'<cwmp:Inform>\n<DeviceId>\n<Manufacturer>Huawei</Manufacturer>\n<OUI>202BC1</OUI>\n<ProductClass>BM632w</ProductClass>\n<SerialNumber>000001</SerialNumber>\n</DeviceId>\n<Event><EventStruct><EventCode>6 CONNECTION REQUEST</EventCode><CommandKey></CommandKey></EventStruct></Event>\n<MaxEnvelopes>1</MaxEnvelopes>\n<CurrentTime>2024-03-01T11:00:00+01:00</CurrentTime>\n<RetryCount>0</RetryCount>\n<ParameterList></ParameterList>\n</cwmp:Inform>')
informresp=ENV%("1",'<cwmp:InformResponse>\n<MaxEnvelopes>1</MaxEnvelopes>\n</cwmp:InformResponse>')
gpv=ENV%("a1",'<cwmp:GetParameterValues>\n<ParameterNames><string>InternetGatewayDevice.DeviceInfo.SoftwareVersion</string></ParameterNames>\n</cwmp:GetParameterValues>')
gpvr=ENV%("a1",'<cwmp:GetParameterValuesResponse>\n<ParameterList><ParameterValueStruct><Name>InternetGatewayDevice.DeviceInfo.SoftwareVersion</Name><Value>V100R001</Value></ParameterValueStruct></ParameterList>\n</cwmp:GetParameterValuesResponse>')
dev="202BC1-BM632w-000001"; C1="2024-03-01T10:00:00.100Z"; C2="2024-03-01T10:05:00.000Z"; C3="2024-03-01T10:05:00.050Z"
ip="192.0.2.10"
def inc(ts,body,extra={}):
    h={"host":"acs.example.net:7547","user-agent":"HW_ATP_HTTP","content-type":"text/xml; charset=\"utf-8\"","content-length":str(len(body.encode()))}
    h.update(extra)
    return dict(event="incoming HTTP request",timestamp=ts,remoteAddress=ip,deviceId=dev,connection=C1,localPort=7547,method="POST",url="/",headers=h,body=body)
def out(ts,status,body,extra={}):
    h={"content-type":"text/xml; charset=\"utf-8\"","server":"GenieACS/1.2.13","soapserver":"GenieACS/1.2.13","content-length":str(len(body.encode()))}
    h.update(extra)
    if not body: h={"server":"GenieACS/1.2.13"}
    return dict(event="outgoing HTTP response",timestamp=ts,remoteAddress=ip,deviceId=dev,connection=C1,statusCode=status,headers=h,body=body)
recs=[
 inc("2024-03-01T10:00:00.123Z",inform),
 out("2024-03-01T10:00:00.150Z",200,informresp,{"set-cookie":["session=5f0c3a; Path=/"]}),
 inc("2024-03-01T10:00:00.200Z","",{"cookie":"session=5f0c3a"}),
 out("2024-03-01T10:00:00.230Z",200,gpv),
 inc("2024-03-01T10:00:00.300Z",gpvr,{"cookie":"session=5f0c3a"}),
 out("2024-03-01T10:00:00.320Z",204,""),
 dict(event="outgoing HTTP request",timestamp="2024-03-01T10:05:00.001Z",remoteAddress=ip,deviceId=dev,connection=C2,remotePort="7547",method="GET",url="/cr?x=1",headers={},body=""),
 dict(event="incoming HTTP response",timestamp="2024-03-01T10:05:00.040Z",remoteAddress=ip,deviceId=dev,connection=C2,statusCode=401,headers={"www-authenticate":'Digest realm="HuaweiHomeGateway", nonce="3a7d1c", qop="auth"',"content-length":"0"},body=""),
 dict(event="outgoing HTTP request",timestamp="2024-03-01T10:05:00.051Z",remoteAddress=ip,deviceId=dev,connection=C3,remotePort="7547",method="GET",url="/cr?x=1",headers={"authorization":'Digest username="acs", realm="HuaweiHomeGateway", nonce="3a7d1c", uri="/cr?x=1", qop=auth, nc=00000001, cnonce="9f1e", response="0c4a3b2d1e0f"'},body=""),
 dict(event="incoming HTTP response",timestamp="2024-03-01T10:05:00.090Z",remoteAddress=ip,deviceId=dev,connection=C3,statusCode=200,headers={"content-length":"0"},body=""),
]
import re
with open('genieacs_debug.jsonl','w') as f:
    for r in recs: f.write(json.dumps(r,separators=(',',':'),ensure_ascii=False)+"\n")
def scalar(s):
    if isinstance(s,int): return str(s)
    if re.fullmatch(r'\s*',s) or s in ('true','false','null') : return json.dumps(s)
    if re.match(r'''^[\s\-?:,\[\]{}#&$!|>'"%@`]|: | #|\s$''',s): return json.dumps(s)
    try:
        float(s); return json.dumps(s)
    except ValueError: pass
    return s
def fold(l):
    # Break a long line at single spaces so that pieces stay within 80 columns.
    if len(l)<=80 or l.startswith(" "): return [l]
    pieces=[]; start=0
    while len(l)-start>80:
        cut=l.rfind(" ",start+1,start+81)
        if cut<=start or l[cut-1]==" " or (cut+1<len(l) and l[cut+1]==" "): break
        pieces.append(l[start:cut]); start=cut+1
    pieces.append(l[start:])
    return pieces
def emit(r):
    out=["---"]
    for k,v in r.items():
        if k=="headers":
            if not v: out.append("headers: {}"); continue
            out.append("headers: ")
            for hk,hv in v.items():
                if isinstance(hv,list):
                    out.append("  %s: "%hk)
                    for item in hv: out.append("    - "+scalar(item))
                else: out.append("  %s: %s"%(hk,scalar(hv)))
        elif isinstance(v,str) and "\n" in v:
            lines=v.split("\n")
            folded=[fold(l) for l in lines]
            if all(len(f)==1 for f in folded):
                out.append("%s: |-"%k)
                out.extend(("  "+l) if l else l for l in lines)
            else:
                out.append("%s: >-"%k)
                for i,f in enumerate(folded):
                    if i>0 and folded[i-1][0] and not folded[i-1][0].startswith(" "): out.append("")
                    out.extend("  "+p for p in f)
        else: out.append("%s: %s"%(k,scalar(v)))
    return "\n".join(out)+"\n"
with open('genieacs_debug.yaml','w') as f:
    for r in recs: f.write(emit(r))
