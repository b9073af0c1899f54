//! A message body read as a generic element tree (`cwmp_codec::parse_tree`), and what the
//! Decoded tab shows from it: the RPC's arguments, its groups (DeviceId, FaultStruct…) and its
//! lists as tables (ParameterList, ParameterNames, SetParameterValuesFault…).
//!
//! Generic on purpose: it shows every RPC as written, vendor RPCs and extensions included, and
//! keeps the typed decoder (the worker's) out of the page. The typed reading — fault codes,
//! events, the session rules — arrives with the analysis.

use cwmp_codec::XmlElement;

/// A byte range of the message body.
pub type BodySpan = (usize, usize);

/// One table of the Decoded tab.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    /// The list's element name, such as `ParameterList`.
    pub title: String,
    /// Column names; the first is the item's name or path.
    pub columns: Vec<String>,
    /// Each item's cells, and where the item stands in the body.
    pub rows: Vec<(Vec<String>, Option<BodySpan>)>,
}

/// What the Decoded tab shows of an RPC.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Details {
    /// The RPC element's local name, such as `Inform` or `Fault`.
    pub rpc: String,
    /// Its single-valued arguments, in order: (name, text).
    pub arguments: Vec<(String, String)>,
    /// Its structures of single values, such as DeviceId: (name, fields).
    pub groups: Vec<(String, Vec<(String, String)>)>,
    /// Its lists.
    pub tables: Vec<Table>,
}

/// The element the Body carries: the RPC, its response, or `cwmp:Fault` inside a SOAP Fault's
/// `detail` (for a SOAP Fault without one, the Fault itself).
pub fn rpc_element(tree: &XmlElement) -> Option<&XmlElement> {
    let body = tree.children.iter().find(|child| child.local == "Body")?;
    let first = body.children.first()?;
    if first.local == "Fault"
        && let Some(cwmp) = child(first, "detail").and_then(|detail| child(detail, "Fault"))
    {
        return Some(cwmp);
    }
    Some(first)
}

fn child<'e>(element: &'e XmlElement, local: &str) -> Option<&'e XmlElement> {
    element.children.iter().find(|child| child.local == local)
}

fn is_leaf(element: &XmlElement) -> bool {
    element.children.is_empty()
}

fn span(element: &XmlElement) -> Option<BodySpan> {
    (!element.span.is_empty()).then_some((element.span.start, element.span.end))
}

/// The parameter names or paths the RPC lists: the `Name` of each `…Struct` item and each
/// `string` of `ParameterNames`, then `ObjectName` and `ParameterPath`. The same names as
/// `cwmp_session::rpc_parameter_names` gives for the typed RPCs.
pub fn parameter_names(tree: &XmlElement) -> Vec<String> {
    let Some(rpc) = rpc_element(tree) else {
        return Vec::new();
    };
    let mut names = Vec::new();
    for argument in &rpc.children {
        match argument.local.as_str() {
            "ObjectName" | "ParameterPath" => names.push(argument.text.clone()),
            "ParameterNames" => names.extend(
                argument
                    .children
                    .iter()
                    .filter(|item| is_leaf(item))
                    .map(|item| item.text.clone()),
            ),
            "ParameterList" => names.extend(
                argument
                    .children
                    .iter()
                    .filter_map(|item| child(item, "Name"))
                    .map(|name| name.text.clone()),
            ),
            _ => {}
        }
    }
    names
}

/// The RPC's arguments, groups and tables.
pub fn details(tree: &XmlElement) -> Details {
    let Some(rpc) = rpc_element(tree) else {
        return Details::default();
    };
    let mut details = Details {
        rpc: rpc.local.clone(),
        ..Details::default()
    };
    // Items repeated directly under the RPC (SetParameterValuesFault in a Fault) form a table.
    let mut repeated: Vec<&XmlElement> = Vec::new();
    for (index, argument) in rpc.children.iter().enumerate() {
        let repeats = rpc
            .children
            .iter()
            .enumerate()
            .any(|(other, e)| other != index && e.local == argument.local);
        if repeats {
            repeated.push(argument);
        } else if is_leaf(argument) {
            details
                .arguments
                .push((argument.local.clone(), argument.text.clone()));
        } else if argument.local == "Event" {
            // Shown with their meanings from the analysis.
        } else if is_list(argument) {
            details
                .tables
                .push(table(&argument.local, &argument.children));
        } else {
            details
                .groups
                .push((argument.local.clone(), fields(argument)));
        }
    }
    if let Some(first) = repeated.first() {
        let items: Vec<XmlElement> = repeated.iter().map(|item| (*item).clone()).collect();
        details.tables.push(table(&first.local, &items));
    }
    details
}

/// Whether an element holds a list: an array type, or children that are all leaves or all
/// structures named alike.
fn is_list(element: &XmlElement) -> bool {
    if element.attributes.iter().any(|a| a.local == "arrayType") {
        return true;
    }
    let mut names = element.children.iter().map(|c| c.local.as_str());
    let first = names.next();
    element.children.len() > 1 && names.all(|name| Some(name) == first)
        || element.local.ends_with("List")
        || element.local.ends_with("Names")
}

/// A structure's single values, nested ones joined (`AccessList` → `Subscriber, …`).
fn fields(element: &XmlElement) -> Vec<(String, String)> {
    element
        .children
        .iter()
        .map(|field| (field.local.clone(), flat_text(field)))
        .collect()
}

/// An element's text, or its leaves' texts joined by commas.
fn flat_text(element: &XmlElement) -> String {
    if is_leaf(element) {
        return element.text.clone();
    }
    element
        .children
        .iter()
        .map(flat_text)
        .collect::<Vec<_>>()
        .join(", ")
}

/// A list as a table: leaf items make one column; structures make a column per field, in order
/// of first appearance, with `Value`'s `xsi:type` as a Type column before it.
fn table(title: &str, items: &[XmlElement]) -> Table {
    if items.iter().all(is_leaf) {
        return Table {
            title: title.to_owned(),
            columns: vec![
                if title == "MethodList" {
                    "Method"
                } else {
                    "Name"
                }
                .to_owned(),
            ],
            rows: items
                .iter()
                .map(|item| (vec![item.text.clone()], span(item)))
                .collect(),
        };
    }
    let mut columns: Vec<String> = Vec::new();
    for item in items {
        for field in &item.children {
            if !columns.contains(&field.local) {
                if field.local == "Value" && !columns.iter().any(|c| c == "Type") {
                    columns.push("Type".to_owned());
                }
                columns.push(field.local.clone());
            }
        }
    }
    let rows = items
        .iter()
        .map(|item| {
            let cells = columns
                .iter()
                .map(|column| {
                    if column == "Type" {
                        return child(item, "Value")
                            .and_then(|value| value.attributes.iter().find(|a| a.local == "type"))
                            .map_or_else(|| "—".to_owned(), |a| a.value.clone());
                    }
                    child(item, column).map(flat_text).unwrap_or_default()
                })
                .collect();
            (cells, span(item))
        })
        .collect();
    Table {
        title: title.to_owned(),
        columns,
        rows,
    }
}
