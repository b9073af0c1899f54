//! From bytes to a [`Message`]: the SOAP envelope, its Header entries and the Body's RPC or
//! Fault, tolerating what real devices send and saying so in diagnostics.

use serde::Serialize;

use crate::fields::{Cx, Field, Scalar, ScalarValue, Text};
use crate::model::{Body, CwmpFault, Envelope, Header, HeaderField, Message, Rpc, SoapFault};
use crate::xml::{self, Limits, Ns, XmlElement};
use crate::{CwmpNamespace, DecodeError, Diagnostic, DiagnosticCode, Span};

/// A decoded message and what decoding noticed on the way.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Decoded {
    /// The message.
    pub message: Message,
    /// Tolerated deviations, in input order.
    pub diagnostics: Vec<Diagnostic>,
}

/// Decodes one HTTP body as a CWMP message, under the default [`Limits`].
///
/// # Errors
///
/// [`DecodeError`] when the input is not XML, not a SOAP envelope, or breaks a limit. Anything
/// less is a diagnostic on the decoded message.
pub fn decode(input: &[u8]) -> Result<Decoded, DecodeError> {
    decode_with_limits(input, &Limits::default())
}

/// Decodes one HTTP body as a CWMP message under explicit limits.
///
/// # Errors
///
/// As [`decode`].
pub fn decode_with_limits(input: &[u8], limits: &Limits) -> Result<Decoded, DecodeError> {
    let content = input.strip_prefix(b"\xef\xbb\xbf").unwrap_or(input);
    if content.trim_ascii().is_empty() {
        return Ok(Decoded {
            message: Message::Empty,
            diagnostics: Vec::new(),
        });
    }
    let mut diagnostics = Vec::new();
    let prepared = xml::prepare(input, limits, &mut diagnostics)?;
    let document = xml::parse(&prepared, limits, &mut diagnostics)?;
    let mut cx = Cx {
        doc: &document,
        diagnostics: &mut diagnostics,
    };
    let envelope = decode_envelope(&mut cx, document.root)?;
    diagnostics.sort_by_key(|diagnostic| diagnostic.span.start);
    Ok(Decoded {
        message: Message::Envelope(envelope),
        diagnostics,
    })
}

/// Reads one HTTP body as a generic element tree, without the CWMP model: every element with its
/// namespace, attributes, text and span (in `input`'s offsets, byte-order mark and ISO-8859-1
/// widening accounted for). `None` for an empty body. For viewers that show any envelope as
/// written, vendor RPCs included, without carrying the typed decoder.
///
/// # Errors
///
/// [`DecodeError`] when the input is not well-formed XML or breaks a limit.
pub fn parse_tree(input: &[u8]) -> Result<Option<XmlElement>, DecodeError> {
    let content = input.strip_prefix(b"\xef\xbb\xbf").unwrap_or(input);
    if content.trim_ascii().is_empty() {
        return Ok(None);
    }
    let limits = Limits::default();
    let mut diagnostics = Vec::new();
    let prepared = xml::prepare(input, &limits, &mut diagnostics)?;
    let document = xml::parse(&prepared, &limits, &mut diagnostics)?;
    Ok(Some(document.to_element(document.root)))
}

fn decode_envelope(cx: &mut Cx<'_>, root: usize) -> Result<Envelope, DecodeError> {
    let node = cx.node(root);
    let span = node.span;
    if node.local != "Envelope" {
        return Err(DecodeError::NotSoap {
            offset: span.start,
            found: node.name.to_owned(),
        });
    }
    match &node.ns {
        Ns::SoapEnv => {}
        Ns::Soap12Env => cx.report(
            DiagnosticCode::Soap12Envelope,
            "the envelope is SOAP 1.2; CWMP uses SOAP 1.1",
            span,
        ),
        _ => {
            let message = format!(
                "<{}> is not in the SOAP 1.1 envelope namespace; read as one by its name",
                node.name
            );
            cx.report(DiagnosticCode::UnqualifiedElement, message, span);
        }
    }
    let mut namespaces = Vec::new();
    let mut header = None;
    let mut body = None;
    for child in cx.children(root) {
        let element = cx.node(child);
        match element.local {
            "Header" if header.is_none() && body.is_none() => {
                header = Some(decode_header(cx, child, &mut namespaces));
            }
            "Body" if body.is_none() => body = Some(child),
            _ => {
                let message = format!(
                    "<{}> in the Envelope; only a Header and a Body belong there",
                    element.name
                );
                let span = element.span;
                cx.report(DiagnosticCode::UnknownElement, message, span);
            }
        }
    }
    let Some(body_node) = body else {
        return Err(DecodeError::MissingBody { offset: span.start });
    };
    match &header {
        None => cx.report(
            DiagnosticCode::MissingHeader,
            "the envelope has no SOAP Header, so no cwmp:ID to pair request and response",
            span,
        ),
        Some(header) if header.id.is_none() => cx.report(
            DiagnosticCode::MissingId,
            "the Header has no cwmp:ID",
            header.span,
        ),
        Some(_) => {}
    }
    let body_span = cx.node(body_node).span;
    let body = decode_body(cx, body_node, &mut namespaces);
    let namespace = namespaces.first().map(|(namespace, _)| *namespace);
    check_namespaces(cx, &namespaces);
    if let Body::Rpc(rpc) = &body {
        crate::checks::check_rpc(cx, rpc);
    }
    if let Body::Fault(fault) = &body {
        crate::checks::check_fault(cx, fault);
    }
    Ok(Envelope {
        namespace,
        header,
        body,
        body_span,
        span,
    })
}

fn check_namespaces(cx: &mut Cx<'_>, namespaces: &[(CwmpNamespace, Span)]) {
    let Some(&(first, _)) = namespaces.first() else {
        return;
    };
    if !first.is_official() {
        cx.report(
            DiagnosticCode::UnofficialNamespace,
            format!(
                "{first} was never published by the Broadband Forum; protocol {} uses urn:dslforum-org:cwmp-1-2",
                first.min_version()
            ),
            namespaces[0].1,
        );
    }
    if let Some(&(other, span)) = namespaces.iter().find(|(namespace, _)| *namespace != first) {
        cx.report(
            DiagnosticCode::MixedNamespaces,
            format!("this element is in {other}, but the message started in {first}"),
            span,
        );
    }
}

fn decode_header(
    cx: &mut Cx<'_>,
    node: usize,
    namespaces: &mut Vec<(CwmpNamespace, Span)>,
) -> Header {
    let mut header = Header {
        span: cx.node(node).span,
        ..Header::default()
    };
    for child in cx.children(node) {
        let element = cx.node(child);
        let span = element.span;
        if let Ns::Cwmp(namespace) = element.ns {
            namespaces.push((namespace, span));
        }
        let is_cwmp = matches!(element.ns, Ns::Cwmp(_));
        let local = element.local;
        let known = matches!(
            local,
            "ID" | "HoldRequests"
                | "NoMoreRequests"
                | "SessionTimeout"
                | "SupportedCWMPVersions"
                | "UseCWMPVersion"
        );
        if !known {
            let message = format!("header <{}> is not defined by CWMP; kept raw", element.name);
            cx.report(DiagnosticCode::UnknownHeader, message, span);
            header.unknown.push(cx.doc.to_element(child));
            continue;
        }
        if !is_cwmp {
            let message = format!(
                "header <{}> is not in a CWMP namespace; read by its name",
                element.name
            );
            cx.report(DiagnosticCode::UnqualifiedElement, message, span);
        }
        match local {
            "ID" => {
                let field = header_field::<String>(cx, child);
                if field.value.raw.trim() == "null" {
                    cx.report(
                        DiagnosticCode::NullId,
                        "cwmp:ID is the text \"null\": the sender had no ID to echo",
                        field.value.span,
                    );
                }
                set_once(cx, &mut header.id, field);
            }
            "HoldRequests" => {
                let field = header_field(cx, child);
                set_once(cx, &mut header.hold_requests, field);
            }
            "NoMoreRequests" => {
                let field = header_field(cx, child);
                set_once(cx, &mut header.no_more_requests, field);
            }
            "SessionTimeout" => {
                let field = header_field(cx, child);
                set_once(cx, &mut header.session_timeout, field);
            }
            "SupportedCWMPVersions" => {
                let field = header_field(cx, child);
                set_once(cx, &mut header.supported_cwmp_versions, field);
            }
            _ => {
                let field = header_field(cx, child);
                set_once(cx, &mut header.use_cwmp_version, field);
            }
        }
    }
    header
}

fn set_once<T>(cx: &mut Cx<'_>, slot: &mut Option<HeaderField<T>>, field: HeaderField<T>) {
    if slot.is_some() {
        cx.report(
            DiagnosticCode::DuplicateElement,
            "this header appears more than once; the first is used",
            field.span,
        );
    } else {
        *slot = Some(field);
    }
}

fn header_field<T: ScalarValue>(cx: &mut Cx<'_>, node: usize) -> HeaderField<T> {
    let element = cx.node(node);
    let span = element.span;
    let must_understand = element
        .attributes
        .iter()
        .find(|attribute| attribute.local() == "mustUnderstand")
        .map(|attribute| attribute.value.to_string());
    if let Some(value) = &must_understand
        && value != "1"
        && value != "0"
    {
        cx.report(
            DiagnosticCode::MustUnderstandSpelling,
            format!("mustUnderstand=\"{value}\"; SOAP 1.1 defines only \"1\" and \"0\""),
            span,
        );
    }
    HeaderField {
        value: Scalar::<T>::decode(cx, node),
        must_understand,
        span,
    }
}

fn decode_body(cx: &mut Cx<'_>, node: usize, namespaces: &mut Vec<(CwmpNamespace, Span)>) -> Body {
    let children: Vec<usize> = cx.children(node).collect();
    let span = cx.node(node).span;
    let Some(&first) = children.first() else {
        cx.report(
            DiagnosticCode::EmptyBody,
            "the SOAP Body is empty; an empty HTTP body is how CWMP says \"nothing to send\"",
            span,
        );
        return Body::Empty;
    };
    for &extra in &children[1..] {
        let element = cx.node(extra);
        let message = format!(
            "<{}> is a second element in the Body; CWMP carries one RPC per envelope, so it is ignored",
            element.name
        );
        let span = element.span;
        cx.report(DiagnosticCode::MultipleBodyElements, message, span);
    }
    let element = cx.node(first);
    let span = element.span;
    if element.local == "Fault" && matches!(element.ns, Ns::SoapEnv | Ns::Soap12Env) {
        return Body::Fault(decode_fault(cx, first, namespaces));
    }
    match &element.ns {
        Ns::Cwmp(namespace) => namespaces.push((*namespace, span)),
        _ => {
            if Rpc::KNOWN.contains(&element.local) {
                let message = format!(
                    "<{}> is not in a CWMP namespace; decoded by its name",
                    element.name
                );
                cx.report(DiagnosticCode::UnqualifiedElement, message, span);
            }
        }
    }
    Body::Rpc(Rpc::decode(cx, first).unwrap_or_else(|| Rpc::Unknown(cx.doc.to_element(first))))
}

fn decode_fault(
    cx: &mut Cx<'_>,
    node: usize,
    namespaces: &mut Vec<(CwmpNamespace, Span)>,
) -> SoapFault {
    let mut fault = SoapFault {
        span: cx.node(node).span,
        ..SoapFault::default()
    };
    for child in cx.children(node) {
        match cx.node(child).local {
            "faultcode" => fault.faultcode = Some(Text::decode(cx, child)),
            "faultstring" => fault.faultstring = Some(Text::decode(cx, child)),
            "detail" => {
                for entry in cx.children(child) {
                    let element = cx.node(entry);
                    if element.local == "Fault" && fault.detail.is_none() {
                        if let Ns::Cwmp(namespace) = element.ns {
                            namespaces.push((namespace, element.span));
                        }
                        fault.detail = Some(CwmpFault::decode(cx, entry));
                    }
                }
            }
            _ => {
                let element = cx.node(child);
                let message = format!("<{}> is not part of a SOAP Fault", element.name);
                let span = element.span;
                cx.report(DiagnosticCode::UnknownElement, message, span);
            }
        }
    }
    if fault.detail.is_none() {
        cx.report(
            DiagnosticCode::MissingElement,
            "the SOAP Fault has no cwmp:Fault in its detail, so no CWMP fault code",
            fault.span,
        );
    }
    fault
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::EncodeOptions;

    const SOAP: &str = "http://schemas.xmlsoap.org/soap/envelope/";

    fn envelope(namespace: &str, header: &str, body: &str) -> String {
        format!(
            "<soap:Envelope xmlns:soap=\"{SOAP}\" xmlns:cwmp=\"{namespace}\" \
             xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
             xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\">{header}<soap:Body>{body}</soap:Body></soap:Envelope>"
        )
    }

    fn codes(decoded: &Decoded) -> Vec<&'static str> {
        decoded
            .diagnostics
            .iter()
            .map(|d| d.code.as_str())
            .collect()
    }

    fn rpc(decoded: &Decoded) -> &Rpc {
        match &decoded.message {
            Message::Envelope(Envelope {
                body: Body::Rpc(rpc),
                ..
            }) => rpc,
            other => panic!("not an RPC: {other:?}"),
        }
    }

    const ID: &str = "<soap:Header><cwmp:ID soap:mustUnderstand=\"1\">7</cwmp:ID></soap:Header>";

    #[test]
    fn empty_and_whitespace_bodies_are_the_empty_message() {
        for input in [&b""[..], b"  \r\n\t", b"\xef\xbb\xbf\n"] {
            let decoded = decode(input).unwrap();
            assert_eq!(decoded.message, Message::Empty, "{input:?}");
            assert!(decoded.diagnostics.is_empty());
        }
    }

    #[test]
    fn matches_namespaces_not_prefixes() {
        // Default namespace for the RPC, an unusual prefix for the envelope.
        let input = format!(
            "<e:Envelope xmlns:e=\"{SOAP}\"><e:Header><ID xmlns=\"urn:dslforum-org:cwmp-1-0\" \
             e:mustUnderstand=\"1\">1</ID></e:Header><e:Body><Reboot \
             xmlns=\"urn:dslforum-org:cwmp-1-0\"><CommandKey xmlns=\"\">k</CommandKey></Reboot>\
             </e:Body></e:Envelope>"
        );
        let decoded = decode(input.as_bytes()).unwrap();
        let Rpc::Reboot(reboot) = rpc(&decoded) else {
            panic!()
        };
        assert_eq!(reboot.command_key.as_ref().unwrap().value, "k");
        assert_eq!(codes(&decoded), Vec::<&str>::new());
        let Message::Envelope(envelope) = &decoded.message else {
            panic!()
        };
        assert_eq!(envelope.namespace, Some(CwmpNamespace::Cwmp1_0));
        assert_eq!(
            envelope
                .header
                .as_ref()
                .unwrap()
                .id
                .as_ref()
                .unwrap()
                .value
                .raw,
            "1"
        );
    }

    #[test]
    fn header_quirks_become_diagnostics() {
        let header = "<soap:Header><cwmp:ID soap:mustUnderstand=\"true\">null</cwmp:ID>\
                      <cwmp:HoldRequests soap:mustUnderstand=\"1\">0</cwmp:HoldRequests>\
                      <cwmp:SessionTimeout>40</cwmp:SessionTimeout>\
                      <vendor:Trace xmlns:vendor=\"urn:example\">x</vendor:Trace></soap:Header>";
        let input = envelope("urn:dslforum-org:cwmp-1-2", header, "<cwmp:GetRPCMethods/>");
        let decoded = decode(input.as_bytes()).unwrap();
        assert_eq!(
            codes(&decoded),
            ["must-understand-spelling", "null-id", "unknown-header"]
        );
        let Message::Envelope(envelope) = &decoded.message else {
            panic!()
        };
        let header = envelope.header.as_ref().unwrap();
        assert_eq!(
            header.hold_requests.as_ref().unwrap().value.value,
            Some(false)
        );
        assert_eq!(
            header.session_timeout.as_ref().unwrap().value.value,
            Some(40)
        );
        assert_eq!(header.unknown[0].local, "Trace");
    }

    #[test]
    fn missing_header_and_unofficial_namespace() {
        let input = envelope("urn:dslforum-org:cwmp-1-4", "", "<cwmp:GetRPCMethods/>");
        let decoded = decode(input.as_bytes()).unwrap();
        assert_eq!(codes(&decoded), ["missing-header", "unofficial-namespace"]);
    }

    #[test]
    fn mixed_namespaces_are_reported() {
        let header = "<soap:Header><cwmp:ID soap:mustUnderstand=\"1\">1</cwmp:ID></soap:Header>";
        let body = "<x:GetRPCMethods xmlns:x=\"urn:dslforum-org:cwmp-1-2\"/>";
        let input = envelope("urn:dslforum-org:cwmp-1-0", header, body);
        assert_eq!(
            codes(&decode(input.as_bytes()).unwrap()),
            ["mixed-namespaces"]
        );
    }

    #[test]
    fn qualified_children_and_unknown_children_are_tolerated() {
        let body =
            "<cwmp:Reboot><cwmp:CommandKey>k</cwmp:CommandKey><Extra>1</Extra></cwmp:Reboot>";
        let input = envelope("urn:dslforum-org:cwmp-1-0", ID, body);
        let decoded = decode(input.as_bytes()).unwrap();
        assert_eq!(
            codes(&decoded),
            ["qualified-child-element", "unknown-element"]
        );
        let Rpc::Reboot(reboot) = rpc(&decoded) else {
            panic!()
        };
        assert_eq!(reboot.command_key.as_ref().unwrap().value, "k");
    }

    #[test]
    fn iso_8859_1_keeps_spans_in_the_original_bytes() {
        let mut input = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>".to_vec();
        input.extend_from_slice(
            envelope(
                "urn:dslforum-org:cwmp-1-0",
                ID,
                "<cwmp:Reboot><CommandKey>Caf\u{e9}</CommandKey></cwmp:Reboot>",
            )
            .replace('\u{e9}', "\u{1}")
            .as_bytes(),
        );
        // A single Latin-1 byte 0xE9 where the marker is.
        let marker = input.iter().position(|&b| b == 1).unwrap();
        input[marker] = 0xe9;
        let decoded = decode(&input).unwrap();
        assert_eq!(codes(&decoded), ["non-utf8-declaration"]);
        let Rpc::Reboot(reboot) = rpc(&decoded) else {
            panic!()
        };
        let key = reboot.command_key.as_ref().unwrap();
        assert_eq!(key.value, "Caf\u{e9}");
        assert_eq!(&input[key.span.start..key.span.end], b"Caf\xe9");
        // The envelope ends exactly at the end of the input.
        let Message::Envelope(envelope) = &decoded.message else {
            panic!()
        };
        assert_eq!(envelope.span.end, input.len());
    }

    #[test]
    fn byte_order_mark_and_trailing_content() {
        let mut input = b"\xef\xbb\xbf".to_vec();
        input.extend_from_slice(
            envelope("urn:dslforum-org:cwmp-1-0", ID, "<cwmp:GetRPCMethods/>").as_bytes(),
        );
        input.extend_from_slice(b"\r\ngarbage");
        let decoded = decode(&input).unwrap();
        assert_eq!(codes(&decoded), ["byte-order-mark", "trailing-content"]);
    }

    #[test]
    fn vendor_rpc_is_kept_and_re_encoded() {
        let body = "<v:X_ACME_Diagnose xmlns:v=\"urn:acme\"><Level a=\"1\">3 &amp; up</Level></v:X_ACME_Diagnose>";
        let input = envelope("urn:dslforum-org:cwmp-1-0", ID, body);
        let decoded = decode(input.as_bytes()).unwrap();
        let Rpc::Unknown(element) = rpc(&decoded) else {
            panic!()
        };
        assert_eq!(element.ns, Ns::Other("urn:acme".to_owned()));
        assert_eq!(element.children[0].text, "3 & up");
        assert_eq!(&input[element.span.start..element.span.end], body);
        for namespace in [CwmpNamespace::Cwmp1_0, CwmpNamespace::Cwmp1_2] {
            let options = EncodeOptions {
                namespace,
                xml_declaration: false,
            };
            let Message::Envelope(mut expected) = decoded.message.clone() else {
                panic!()
            };
            expected.namespace = Some(namespace);
            let encoded = crate::encode(&decoded.message, &options);
            assert_eq!(
                decode(encoded.as_bytes()).unwrap().message,
                Message::Envelope(expected),
                "{encoded}"
            );
        }
    }

    #[test]
    fn fault_with_set_parameter_values_faults() {
        let body = "<soap:Fault><faultcode>Client</faultcode><faultstring>CWMP fault</faultstring>\
            <detail><cwmp:Fault><FaultCode>9003</FaultCode><FaultString>Invalid arguments</FaultString>\
            <SetParameterValuesFault><ParameterName>Device.X</ParameterName><FaultCode>9007</FaultCode>\
            <FaultString>bad</FaultString></SetParameterValuesFault>\
            <SetParameterValuesFault><ParameterName>Device.Y</ParameterName><FaultCode>12</FaultCode>\
            </SetParameterValuesFault></cwmp:Fault></detail></soap:Fault>";
        let input = envelope("urn:dslforum-org:cwmp-1-0", ID, body);
        let decoded = decode(input.as_bytes()).unwrap();
        assert_eq!(codes(&decoded), ["unknown-fault-code"]);
        let Message::Envelope(Envelope {
            body: Body::Fault(fault),
            ..
        }) = &decoded.message
        else {
            panic!()
        };
        let detail = fault.detail.as_ref().unwrap();
        assert_eq!(detail.fault_code.as_ref().unwrap().value, Some(9003));
        assert_eq!(detail.set_parameter_values_faults.len(), 2);
    }

    #[test]
    fn empty_and_crowded_bodies() {
        let input = envelope("urn:dslforum-org:cwmp-1-0", ID, "");
        let decoded = decode(input.as_bytes()).unwrap();
        assert_eq!(codes(&decoded), ["empty-body"]);
        let input = envelope(
            "urn:dslforum-org:cwmp-1-0",
            ID,
            "<cwmp:GetRPCMethods/><cwmp:Reboot/>",
        );
        let decoded = decode(input.as_bytes()).unwrap();
        assert!(codes(&decoded).contains(&"multiple-body-elements"));
        assert_eq!(rpc(&decoded).name(), "GetRPCMethods");
    }

    #[test]
    fn soap_12_and_missing_body() {
        let input = "<e:Envelope xmlns:e=\"http://www.w3.org/2003/05/soap-envelope\"><e:Body/></e:Envelope>";
        let decoded = decode(input.as_bytes()).unwrap();
        assert_eq!(
            codes(&decoded),
            ["soap12-envelope", "missing-header", "empty-body"]
        );
        let error = decode(format!("<e:Envelope xmlns:e=\"{SOAP}\"/>").as_bytes()).unwrap_err();
        assert_eq!(error, DecodeError::MissingBody { offset: 0 });
    }

    #[test]
    fn values_keep_type_and_raw_text() {
        let body = "<cwmp:SetParameterValues><ParameterList>\
            <ParameterValueStruct><Name>A</Name><Value xsi:type=\"xsd:Int\">-5</Value></ParameterValueStruct>\
            <ParameterValueStruct><Name>B</Name><Value xsi:type=\"xsd:dateTime\">2019-03-05T11:54::14</Value></ParameterValueStruct>\
            <ParameterValueStruct><Name>C</Name><Value>plain</Value></ParameterValueStruct>\
            </ParameterList><ParameterKey/></cwmp:SetParameterValues>";
        let input = envelope("urn:dslforum-org:cwmp-1-0", ID, body);
        let decoded = decode(input.as_bytes()).unwrap();
        assert_eq!(
            codes(&decoded),
            [
                "array-type-missing",
                "type-spelling",
                "invalid-value",
                "missing-type"
            ]
        );
        let Rpc::SetParameterValues(set) = rpc(&decoded) else {
            panic!()
        };
        let list = set.parameter_list.as_ref().unwrap();
        let value = |index: usize| list[index].value.as_ref().unwrap();
        assert_eq!(value(0).typed, Some(crate::value::TypedValue::Int(-5)));
        assert_eq!(value(1).raw, "2019-03-05T11:54::14");
        assert_eq!(value(1).typed, None);
        assert_eq!(value(2).xsi_type, None);
        let invalid = &decoded.diagnostics[2];
        assert_eq!(
            &input[invalid.span.start..invalid.span.end],
            "2019-03-05T11:54::14"
        );
    }
}
