//! From bytes to a [`Message`]: the SOAP envelope, its Header entries and the Body's RPC or
//! Fault, tolerating what real devices send and saying so in diagnostics.

use serde::Serialize;

use crate::fields::{Cx, Field, Scalar, ScalarValue, Text};
use crate::model::{Body, CwmpFault, Envelope, Header, HeaderField, Message, Rpc, SoapFault};
use crate::xml::{self, Limits, Ns};
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
