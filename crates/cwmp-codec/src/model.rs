//! The CWMP message model: every structure and RPC of the `cwmp-1-0` to `cwmp-1-4` schemas.
//!
//! Fields are `Option` even where the schema requires them: decoding is tolerant, so a message
//! missing a required argument still decodes, with a `missing-element` diagnostic. Scalars keep
//! their raw text next to the parsed value, and every node keeps its span.

use serde::Serialize;

use crate::fields::{ArrayItem, Cx, Field, ParameterValue, Scalar, Text, cwmp_struct};
use crate::value::DateTime;
use crate::xml::XmlElement;
use crate::{CwmpNamespace, Span};

// ---------------------------------------------------------------------------------------------
// Shared structures (TR-069 Annex A.2 and the schemas' complex types)

cwmp_struct! {
    /// A parameter name and its value (`ParameterValueStruct`).
    ParameterValueStruct {
        /// Full path of the parameter.
        one name: Text = "Name",
        /// Its value.
        one value: ParameterValue = "Value",
    }
}

impl ArrayItem for ParameterValueStruct {
    const ITEM: &'static str = "ParameterValueStruct";
    const ARRAY_TYPE: &'static str = "cwmp:ParameterValueStruct";
}

cwmp_struct! {
    /// The identity of a CPE in Inform (`DeviceIdStruct`).
    DeviceId {
        /// Manufacturer name.
        one manufacturer: Text = "Manufacturer",
        /// Organizationally Unique Identifier, six uppercase hexadecimal digits.
        one oui: Text = "OUI",
        /// Product class.
        one product_class: Text = "ProductClass",
        /// Serial number.
        one serial_number: Text = "SerialNumber",
    }
}

cwmp_struct! {
    /// One event in Inform (`EventStruct`).
    EventStruct {
        /// The event code, such as `1 BOOT` or `M Reboot`.
        one event_code: Text = "EventCode",
        /// The CommandKey of the RPC an `M` event refers to; empty otherwise.
        one command_key: Text = "CommandKey",
    }
}

impl ArrayItem for EventStruct {
    const ITEM: &'static str = "EventStruct";
    const ARRAY_TYPE: &'static str = "cwmp:EventStruct";
}

cwmp_struct! {
    /// A parameter name and whether it is writable (`ParameterInfoStruct`).
    ParameterInfoStruct {
        /// Parameter or object path.
        one name: Text = "Name",
        /// Whether the ACS may set it.
        one writable: Scalar<bool> = "Writable",
    }
}

impl ArrayItem for ParameterInfoStruct {
    const ITEM: &'static str = "ParameterInfoStruct";
    const ARRAY_TYPE: &'static str = "cwmp:ParameterInfoStruct";
}

cwmp_struct! {
    /// Attributes to set on one parameter (`SetParameterAttributesStruct`).
    SetParameterAttributesStruct {
        /// Parameter or partial path.
        one name: Text = "Name",
        /// Whether to change the notification setting.
        one notification_change: Scalar<bool> = "NotificationChange",
        /// The notification setting, 0–6.
        one notification: Scalar<i32> = "Notification",
        /// Whether to change the access list.
        one access_list_change: Scalar<bool> = "AccessListChange",
        /// Entities besides the ACS allowed to write the parameter.
        one access_list: Vec<Text> = "AccessList",
    }
}

impl ArrayItem for SetParameterAttributesStruct {
    const ITEM: &'static str = "SetParameterAttributesStruct";
    const ARRAY_TYPE: &'static str = "cwmp:SetParameterAttributesStruct";
}

cwmp_struct! {
    /// The attributes of one parameter (`ParameterAttributeStruct`).
    ParameterAttributeStruct {
        /// Parameter path.
        one name: Text = "Name",
        /// Notification setting, 0–6.
        one notification: Scalar<i32> = "Notification",
        /// Entities besides the ACS allowed to write the parameter.
        one access_list: Vec<Text> = "AccessList",
    }
}

impl ArrayItem for ParameterAttributeStruct {
    const ITEM: &'static str = "ParameterAttributeStruct";
    const ARRAY_TYPE: &'static str = "cwmp:ParameterAttributeStruct";
}

cwmp_struct! {
    /// The outcome of a transfer (`TransferCompleteFaultStruct`): code 0 means success.
    TransferFault {
        /// Fault code, 0 for success.
        one fault_code: Scalar<u32> = "FaultCode",
        /// Human-readable fault text.
        one fault_string: Text = "FaultString",
    }
}

cwmp_struct! {
    /// A time window of ScheduleDownload (`TimeWindowStruct`).
    TimeWindowStruct {
        /// Start, in seconds after the request.
        one window_start: Scalar<u32> = "WindowStart",
        /// End, in seconds after the request.
        one window_end: Scalar<u32> = "WindowEnd",
        /// How the window is used, such as `1 At Any Time`.
        one window_mode: Text = "WindowMode",
        /// Message shown to the user, if any.
        one user_message: Text = "UserMessage",
        /// Retries allowed; -1 means the CPE decides.
        one max_retries: Scalar<i32> = "MaxRetries",
    }
}

impl ArrayItem for TimeWindowStruct {
    const ITEM: &'static str = "TimeWindowStruct";
    const ARRAY_TYPE: &'static str = "cwmp:TimeWindowStruct";
}

cwmp_struct! {
    /// A queued transfer (`QueuedTransferStruct`).
    QueuedTransferStruct {
        /// CommandKey of the transfer.
        one command_key: Text = "CommandKey",
        /// 1 not started, 2 in progress, 3 completed.
        one state: Scalar<i32> = "State",
    }
}

impl ArrayItem for QueuedTransferStruct {
    const ITEM: &'static str = "QueuedTransferStruct";
    const ARRAY_TYPE: &'static str = "cwmp:QueuedTransferStruct";
}

cwmp_struct! {
    /// A queued transfer, ACS-initiated or not (`AllQueuedTransferStruct`).
    AllQueuedTransferStruct {
        /// CommandKey of the transfer.
        one command_key: Text = "CommandKey",
        /// 1 not started, 2 in progress, 3 completed.
        one state: Scalar<i32> = "State",
        /// Download (true) or upload (false).
        one is_download: Scalar<bool> = "IsDownload",
        /// File type.
        one file_type: Text = "FileType",
        /// Size in bytes.
        one file_size: Scalar<u32> = "FileSize",
        /// Target file name.
        one target_file_name: Text = "TargetFileName",
    }
}

impl ArrayItem for AllQueuedTransferStruct {
    const ITEM: &'static str = "AllQueuedTransferStruct";
    const ARRAY_TYPE: &'static str = "cwmp:AllQueuedTransferStruct";
}

/// The fault of a deployment-unit operation (`DeploymentUnitFaultStruct`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct DeploymentUnitFault {
    /// Fault code, 0 for success.
    pub fault_code: Option<Scalar<u32>>,
    /// Human-readable fault text.
    pub fault_string: Option<Text>,
    /// Where the element stands.
    pub span: Span,
}

cwmp_struct! {
    /// The schema's layout of [`DeploymentUnitFault`]'s children.
    DeploymentUnitFaultFields {
        /// Fault code, 0 for success.
        one fault_code: Scalar<u32> = "FaultCode",
        /// Human-readable fault text.
        one (optional) fault_string: Text = "FaultString",
    }
}

impl Field for DeploymentUnitFault {
    fn decode(cx: &mut Cx<'_>, node: usize) -> Self {
        // Some ACSs (cwmp_ex, for one) wrap the fields in a <FaultStruct> element.
        let element = cx.node(node);
        let wrapped = cx
            .children(node)
            .find(|&child| cx.node(child).local == "FaultStruct");
        let source = match wrapped {
            Some(inner) => {
                let span = element.span;
                cx.report(
                    crate::DiagnosticCode::NonSchemaForm,
                    "FaultCode and FaultString are wrapped in <FaultStruct>; the schema puts them directly in <Fault>",
                    span,
                );
                inner
            }
            None => node,
        };
        let fields = DeploymentUnitFaultFields::decode(cx, source);
        Self {
            fault_code: fields.fault_code,
            fault_string: fields.fault_string,
            span: cx.node(node).span,
        }
    }
    fn encode(&self, encoder: &mut crate::encode::Encoder, name: &str) {
        DeploymentUnitFaultFields {
            fault_code: self.fault_code.clone(),
            fault_string: self.fault_string.clone(),
            span: self.span,
        }
        .encode(encoder, name);
    }
}

cwmp_struct! {
    /// Install a deployment unit (`InstallOpStruct`).
    InstallOp {
        /// Where to download it.
        one url: Text = "URL",
        /// Its UUID.
        one (optional) uuid: Text = "UUID",
        /// Download user name.
        one (optional) username: Text = "Username",
        /// Download password.
        one (optional) password: Text = "Password",
        /// Execution environment to install into.
        one (optional) execution_env_ref: Text = "ExecutionEnvRef",
    }
}

cwmp_struct! {
    /// Update a deployment unit (`UpdateOpStruct`).
    UpdateOp {
        /// UUID of the unit to update.
        one (optional) uuid: Text = "UUID",
        /// Version to update.
        one (optional) version: Text = "Version",
        /// Where to download the update.
        one (optional) url: Text = "URL",
        /// Download user name.
        one (optional) username: Text = "Username",
        /// Download password.
        one (optional) password: Text = "Password",
    }
}

cwmp_struct! {
    /// Uninstall a deployment unit (`UninstallOpStruct`).
    UninstallOp {
        /// UUID of the unit.
        one uuid: Text = "UUID",
        /// Version to uninstall.
        one (optional) version: Text = "Version",
        /// Execution environment to uninstall from.
        one (optional) execution_env_ref: Text = "ExecutionEnvRef",
    }
}

/// One operation of ChangeDUState, chosen by its `xsi:type`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "op")]
pub enum DuOperation {
    /// `cwmp:InstallOpStruct`
    Install(InstallOp),
    /// `cwmp:UpdateOpStruct`
    Update(UpdateOp),
    /// `cwmp:UninstallOpStruct`
    Uninstall(UninstallOp),
    /// An operation whose `xsi:type` is missing or unknown, kept raw.
    Unknown(XmlElement),
}

impl Field for DuOperation {
    fn decode(cx: &mut Cx<'_>, node: usize) -> Self {
        let element = cx.node(node);
        let ty = element.attribute(&crate::Ns::Xsi, "type").map(|attribute| {
            attribute
                .value
                .rsplit(':')
                .next()
                .unwrap_or_default()
                .to_owned()
        });
        match ty.as_deref() {
            Some("InstallOpStruct") => Self::Install(InstallOp::decode(cx, node)),
            Some("UpdateOpStruct") => Self::Update(UpdateOp::decode(cx, node)),
            Some("UninstallOpStruct") => Self::Uninstall(UninstallOp::decode(cx, node)),
            _ => {
                let span = element.span;
                cx.report(
                    crate::DiagnosticCode::UnknownElement,
                    "a ChangeDUState operation without a known xsi:type (InstallOpStruct, UpdateOpStruct or UninstallOpStruct); kept raw",
                    span,
                );
                Self::Unknown(cx.doc.to_element(node))
            }
        }
    }
    fn decode_many(cx: &mut Cx<'_>, node: usize) -> Vec<Self> {
        // Real ACSs also write <Operations><InstallOpStruct>…</InstallOpStruct></Operations>,
        // naming the operation by a child element instead of xsi:type.
        let element = cx.node(node);
        if element.attribute(&crate::Ns::Xsi, "type").is_some() {
            return vec![Self::decode(cx, node)];
        }
        let wrapped: Vec<usize> = cx
            .children(node)
            .filter(|&child| {
                matches!(
                    cx.node(child).local,
                    "InstallOpStruct" | "UpdateOpStruct" | "UninstallOpStruct"
                )
            })
            .collect();
        if wrapped.is_empty() {
            return vec![Self::decode(cx, node)];
        }
        let span = element.span;
        cx.report(
            crate::DiagnosticCode::NonSchemaForm,
            "the operation is a child element (<InstallOpStruct>…) of <Operations>; the schema types <Operations> itself with xsi:type",
            span,
        );
        wrapped
            .into_iter()
            .map(|child| match cx.node(child).local {
                "InstallOpStruct" => Self::Install(InstallOp::decode(cx, child)),
                "UpdateOpStruct" => Self::Update(UpdateOp::decode(cx, child)),
                _ => Self::Uninstall(UninstallOp::decode(cx, child)),
            })
            .collect()
    }

    fn encode(&self, encoder: &mut crate::encode::Encoder, name: &str) {
        let (ty, encode): (&str, &dyn Fn(&mut crate::encode::Encoder)) = match self {
            Self::Install(op) => ("cwmp:InstallOpStruct", &|encoder| {
                op.encode_children(encoder);
            }),
            Self::Update(op) => ("cwmp:UpdateOpStruct", &|encoder| {
                op.encode_children(encoder);
            }),
            Self::Uninstall(op) => ("cwmp:UninstallOpStruct", &|encoder| {
                op.encode_children(encoder);
            }),
            Self::Unknown(element) => {
                encoder.raw_element(element);
                return;
            }
        };
        encoder.open_typed(name, ty);
        encode(encoder);
        encoder.close(name);
    }
}

cwmp_struct! {
    /// The result of one deployment-unit operation (`OpResultStruct`).
    OpResult wrapped_as "OpResultStruct" {
        /// UUID of the unit.
        one uuid: Text = "UUID",
        /// Its DeploymentUnit instance path.
        one deployment_unit_ref: Text = "DeploymentUnitRef",
        /// Its version.
        one version: Text = "Version",
        /// Its state after the operation.
        one current_state: Text = "CurrentState",
        /// Whether its dependencies are resolved.
        one resolved: Scalar<bool> = "Resolved",
        /// Its execution units, comma-separated paths.
        one execution_unit_ref_list: Text = "ExecutionUnitRefList",
        /// When the operation started.
        one start_time: Scalar<DateTime> = "StartTime",
        /// When it completed.
        one complete_time: Scalar<DateTime> = "CompleteTime",
        /// Its outcome.
        one fault: DeploymentUnitFault = "Fault",
    }
}

cwmp_struct! {
    /// The result of a deployment-unit operation the CPE did on its own
    /// (`AutonOpResultStruct`).
    AutonOpResult wrapped_as "AutonOpResultStruct" {
        /// UUID of the unit.
        one uuid: Text = "UUID",
        /// Its DeploymentUnit instance path.
        one deployment_unit_ref: Text = "DeploymentUnitRef",
        /// Its version.
        one version: Text = "Version",
        /// Its state after the operation.
        one current_state: Text = "CurrentState",
        /// Whether its dependencies are resolved.
        one resolved: Scalar<bool> = "Resolved",
        /// Its execution units, comma-separated paths.
        one execution_unit_ref_list: Text = "ExecutionUnitRefList",
        /// When the operation started.
        one start_time: Scalar<DateTime> = "StartTime",
        /// When it completed.
        one complete_time: Scalar<DateTime> = "CompleteTime",
        /// Its outcome.
        one fault: DeploymentUnitFault = "Fault",
        /// `Install`, `Update` or `Uninstall`.
        one operation_performed: Text = "OperationPerformed",
    }
}

/// A signed voucher of SetVouchers, base64 text.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Voucher(pub Text);

impl Field for Voucher {
    fn decode(cx: &mut Cx<'_>, node: usize) -> Self {
        Self(Text::decode(cx, node))
    }
    fn encode(&self, encoder: &mut crate::encode::Encoder, name: &str) {
        self.0.encode(encoder, name);
    }
}

impl ArrayItem for Voucher {
    const ITEM: &'static str = "base64";
    const ARRAY_TYPE: &'static str = "SOAP-ENC:base64";
}

cwmp_struct! {
    /// An option of GetOptionsResponse (`OptionStruct`).
    OptionStruct {
        /// Option name.
        one option_name: Text = "OptionName",
        /// Serial number of the voucher that enabled it.
        one voucher_sn: Scalar<u32> = "VoucherSN",
        /// Bit 0 enabled, bit 1 setup complete.
        one state: Scalar<u32> = "State",
        /// 0 disabled, 1 enabled with expiration, 2 enabled without.
        one mode: Scalar<i32> = "Mode",
        /// When it was enabled.
        one start_date: Scalar<DateTime> = "StartDate",
        /// When it expires.
        one (optional) expiration_date: Scalar<DateTime> = "ExpirationDate",
        /// 0 not transferable, 1 transferable.
        one is_transferable: Scalar<i32> = "IsTransferable",
    }
}

impl ArrayItem for OptionStruct {
    const ITEM: &'static str = "OptionStruct";
    const ARRAY_TYPE: &'static str = "cwmp:OptionStruct";
}

cwmp_struct! {
    /// A name–value argument of RequestDownload (`ArgStruct`).
    ArgStruct {
        /// Argument name.
        one name: Text = "Name",
        /// Argument value.
        one value: Text = "Value",
    }
}

impl ArrayItem for ArgStruct {
    const ITEM: &'static str = "ArgStruct";
    const ARRAY_TYPE: &'static str = "cwmp:ArgStruct";
}

cwmp_struct! {
    /// One failed parameter of a SetParameterValues fault.
    SetParameterValuesFault {
        /// The parameter.
        one parameter_name: Text = "ParameterName",
        /// Why it could not be set.
        one fault_code: Scalar<u32> = "FaultCode",
        /// Human-readable fault text.
        one (optional) fault_string: Text = "FaultString",
    }
}

cwmp_struct! {
    /// The CWMP fault in a SOAP Fault's detail (`cwmp:Fault`).
    CwmpFault {
        /// Fault code: 8000–8999 from the ACS, 9000–9999 from the CPE.
        one fault_code: Scalar<u32> = "FaultCode",
        /// Human-readable fault text.
        one (optional) fault_string: Text = "FaultString",
        /// For SetParameterValues: one entry per parameter that could not be set.
        many set_parameter_values_faults: SetParameterValuesFault = "SetParameterValuesFault",
    }
}

/// A SOAP Fault: the answer to a request that failed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct SoapFault {
    /// `Client` (the request was wrong) or `Server` (the receiver failed), possibly prefixed.
    pub faultcode: Option<Text>,
    /// Normally `CWMP fault`.
    pub faultstring: Option<Text>,
    /// The CWMP fault inside `detail`.
    pub detail: Option<CwmpFault>,
    /// Where the Fault element stands.
    pub span: Span,
}

// ---------------------------------------------------------------------------------------------
// RPCs (TR-069 Annex A.3 and A.4)

cwmp_struct! {
    /// Asks which RPCs the peer supports.
    GetRpcMethods {}
}
cwmp_struct! {
    /// The RPCs the peer supports.
    GetRpcMethodsResponse {
        /// Method names.
        one method_list: Vec<Text> = "MethodList",
    }
}
cwmp_struct! {
    /// Sets parameter values.
    SetParameterValues {
        /// The parameters and their new values.
        one parameter_list: Vec<ParameterValueStruct> = "ParameterList",
        /// Value for ManagementServer.ParameterKey once applied.
        one parameter_key: Text = "ParameterKey",
    }
}
cwmp_struct! {
    /// 0: applied; 1: applied, committed later (after a reboot, say).
    SetParameterValuesResponse {
        /// 0 or 1.
        one status: Scalar<i32> = "Status",
    }
}
cwmp_struct! {
    /// Reads parameter values.
    GetParameterValues {
        /// Full or partial paths.
        one parameter_names: Vec<Text> = "ParameterNames",
    }
}
cwmp_struct! {
    /// Parameter values read.
    GetParameterValuesResponse {
        /// The parameters and their values.
        one parameter_list: Vec<ParameterValueStruct> = "ParameterList",
    }
}
cwmp_struct! {
    /// Discovers the parameters under a path.
    GetParameterNames {
        /// Full or partial path; empty means the whole tree.
        one parameter_path: Text = "ParameterPath",
        /// Only the next level down.
        one next_level: Scalar<bool> = "NextLevel",
    }
}
cwmp_struct! {
    /// Parameters found, with writability.
    GetParameterNamesResponse {
        /// The parameters.
        one parameter_list: Vec<ParameterInfoStruct> = "ParameterList",
    }
}
cwmp_struct! {
    /// Sets notification and access attributes.
    SetParameterAttributes {
        /// The changes.
        one parameter_list: Vec<SetParameterAttributesStruct> = "ParameterList",
    }
}
cwmp_struct! {
    /// Attributes set.
    SetParameterAttributesResponse {}
}
cwmp_struct! {
    /// Reads notification and access attributes.
    GetParameterAttributes {
        /// Full or partial paths.
        one parameter_names: Vec<Text> = "ParameterNames",
    }
}
cwmp_struct! {
    /// Attributes read.
    GetParameterAttributesResponse {
        /// The attributes.
        one parameter_list: Vec<ParameterAttributeStruct> = "ParameterList",
    }
}
cwmp_struct! {
    /// Creates an object instance.
    AddObject {
        /// Path of the multi-instance object, ending with a dot.
        one object_name: Text = "ObjectName",
        /// Value for ManagementServer.ParameterKey once applied.
        one parameter_key: Text = "ParameterKey",
    }
}
cwmp_struct! {
    /// The instance created.
    AddObjectResponse {
        /// Its instance number.
        one instance_number: Scalar<u32> = "InstanceNumber",
        /// 0 applied; 1 applied, committed later.
        one status: Scalar<i32> = "Status",
    }
}
cwmp_struct! {
    /// Deletes an object instance.
    DeleteObject {
        /// Path of the instance, ending with a dot.
        one object_name: Text = "ObjectName",
        /// Value for ManagementServer.ParameterKey once applied.
        one parameter_key: Text = "ParameterKey",
    }
}
cwmp_struct! {
    /// Instance deleted.
    DeleteObjectResponse {
        /// 0 applied; 1 applied, committed later.
        one status: Scalar<i32> = "Status",
    }
}
cwmp_struct! {
    /// Reboots the CPE.
    Reboot {
        /// Echoed in the `M Reboot` event afterwards.
        one command_key: Text = "CommandKey",
    }
}
cwmp_struct! {
    /// Reboot accepted.
    RebootResponse {}
}
cwmp_struct! {
    /// Tells the CPE to download a file.
    Download {
        /// Echoed in TransferComplete.
        one command_key: Text = "CommandKey",
        /// What the file is, such as `1 Firmware Upgrade Image`.
        one file_type: Text = "FileType",
        /// Where to get it.
        one url: Text = "URL",
        /// Transfer user name.
        one username: Text = "Username",
        /// Transfer password.
        one password: Text = "Password",
        /// Size in bytes, 0 if unknown.
        one file_size: Scalar<u32> = "FileSize",
        /// Name to store it under.
        one target_file_name: Text = "TargetFileName",
        /// Seconds to wait before starting.
        one delay_seconds: Scalar<u32> = "DelaySeconds",
        /// Where to send the user on success.
        one success_url: Text = "SuccessURL",
        /// Where to send the user on failure.
        one failure_url: Text = "FailureURL",
    }
}
cwmp_struct! {
    /// Download accepted (status 1) or already done (status 0).
    DownloadResponse {
        /// 0 completed; 1 not yet, TransferComplete follows.
        one status: Scalar<i32> = "Status",
        /// When it started (unknown time when status is 1).
        one start_time: Scalar<DateTime> = "StartTime",
        /// When it completed (unknown time when status is 1).
        one complete_time: Scalar<DateTime> = "CompleteTime",
    }
}
cwmp_struct! {
    /// Tells the CPE to upload a file.
    Upload {
        /// Echoed in TransferComplete.
        one command_key: Text = "CommandKey",
        /// What to upload, such as `1 Vendor Configuration File`.
        one file_type: Text = "FileType",
        /// Where to send it.
        one url: Text = "URL",
        /// Transfer user name.
        one username: Text = "Username",
        /// Transfer password.
        one password: Text = "Password",
        /// Seconds to wait before starting.
        one delay_seconds: Scalar<u32> = "DelaySeconds",
    }
}
cwmp_struct! {
    /// Upload accepted (status 1) or already done (status 0).
    UploadResponse {
        /// 0 completed; 1 not yet, TransferComplete follows.
        one status: Scalar<i32> = "Status",
        /// When it started.
        one start_time: Scalar<DateTime> = "StartTime",
        /// When it completed.
        one complete_time: Scalar<DateTime> = "CompleteTime",
    }
}
cwmp_struct! {
    /// Resets the CPE to factory defaults.
    FactoryReset {}
}
cwmp_struct! {
    /// Factory reset accepted.
    FactoryResetResponse {}
}
cwmp_struct! {
    /// Lists the ACS-requested transfers still queued (deprecated by GetAllQueuedTransfers).
    GetQueuedTransfers {}
}
cwmp_struct! {
    /// The queued transfers.
    GetQueuedTransfersResponse {
        /// Up to 16 transfers.
        one transfer_list: Vec<QueuedTransferStruct> = "TransferList",
    }
}
cwmp_struct! {
    /// Lists every queued transfer.
    GetAllQueuedTransfers {}
}
cwmp_struct! {
    /// Every queued transfer.
    GetAllQueuedTransfersResponse {
        /// Up to 16 transfers.
        one transfer_list: Vec<AllQueuedTransferStruct> = "TransferList",
    }
}
cwmp_struct! {
    /// Asks for an Inform at a later time.
    ScheduleInform {
        /// Seconds from now.
        one delay_seconds: Scalar<u32> = "DelaySeconds",
        /// Echoed in the `M ScheduleInform` event.
        one command_key: Text = "CommandKey",
    }
}
cwmp_struct! {
    /// ScheduleInform accepted.
    ScheduleInformResponse {}
}
cwmp_struct! {
    /// Applies signed option vouchers.
    SetVouchers {
        /// The vouchers, base64.
        one voucher_list: Vec<Voucher> = "VoucherList",
    }
}
cwmp_struct! {
    /// Vouchers applied.
    SetVouchersResponse {}
}
cwmp_struct! {
    /// Reads enabled options.
    GetOptions {
        /// An option name, or empty for all.
        one option_name: Text = "OptionName",
    }
}
cwmp_struct! {
    /// The options.
    GetOptionsResponse {
        /// One per option.
        one option_list: Vec<OptionStruct> = "OptionList",
    }
}
cwmp_struct! {
    /// Downloads a file within time windows.
    ScheduleDownload {
        /// Echoed in TransferComplete.
        one command_key: Text = "CommandKey",
        /// What the file is.
        one file_type: Text = "FileType",
        /// Where to get it.
        one url: Text = "URL",
        /// Transfer user name.
        one username: Text = "Username",
        /// Transfer password.
        one password: Text = "Password",
        /// Size in bytes, 0 if unknown.
        one file_size: Scalar<u32> = "FileSize",
        /// Name to store it under.
        one target_file_name: Text = "TargetFileName",
        /// One or two windows.
        one time_window_list: Vec<TimeWindowStruct> = "TimeWindowList",
    }
}
cwmp_struct! {
    /// ScheduleDownload accepted.
    ScheduleDownloadResponse {}
}
cwmp_struct! {
    /// Cancels a queued transfer.
    CancelTransfer {
        /// The transfer's CommandKey.
        one command_key: Text = "CommandKey",
    }
}
cwmp_struct! {
    /// Transfer cancelled.
    CancelTransferResponse {}
}
cwmp_struct! {
    /// Installs, updates or uninstalls deployment units.
    ChangeDuState {
        /// The operations, one element each.
        many operations: DuOperation = "Operations",
        /// Echoed in DUStateChangeComplete.
        one (optional) command_key: Text = "CommandKey",
    }
}
cwmp_struct! {
    /// ChangeDUState accepted.
    ChangeDuStateResponse {}
}
cwmp_struct! {
    /// Opens every CPE session: who the CPE is, why it calls, and selected parameters.
    Inform {
        /// The CPE's identity.
        one device_id: DeviceId = "DeviceId",
        /// Why the session was opened.
        one event: Vec<EventStruct> = "Event",
        /// Envelopes per message; 1 in this protocol, ignored by receivers.
        one max_envelopes: Scalar<u32> = "MaxEnvelopes",
        /// The CPE's clock.
        one current_time: Scalar<DateTime> = "CurrentTime",
        /// Attempts before this one since the last successful session.
        one retry_count: Scalar<u32> = "RetryCount",
        /// Forced and changed parameters.
        one parameter_list: Vec<ParameterValueStruct> = "ParameterList",
    }
}
cwmp_struct! {
    /// Inform accepted.
    InformResponse {
        /// Envelopes per message; 1 in this protocol.
        one max_envelopes: Scalar<u32> = "MaxEnvelopes",
    }
}
cwmp_struct! {
    /// Reports the end of a Download, ScheduleDownload or Upload.
    TransferComplete {
        /// The transfer's CommandKey.
        one command_key: Text = "CommandKey",
        /// Its outcome; code 0 is success.
        one fault_struct: TransferFault = "FaultStruct",
        /// When it started.
        one start_time: Scalar<DateTime> = "StartTime",
        /// When it completed.
        one complete_time: Scalar<DateTime> = "CompleteTime",
    }
}
cwmp_struct! {
    /// TransferComplete accepted.
    TransferCompleteResponse {}
}
cwmp_struct! {
    /// Reports a transfer the ACS did not ask for.
    AutonomousTransferComplete {
        /// URL that announced the transfer.
        one announce_url: Text = "AnnounceURL",
        /// URL transferred from or to.
        one transfer_url: Text = "TransferURL",
        /// Download (true) or upload (false).
        one is_download: Scalar<bool> = "IsDownload",
        /// File type.
        one file_type: Text = "FileType",
        /// Size in bytes.
        one file_size: Scalar<u32> = "FileSize",
        /// Target file name.
        one target_file_name: Text = "TargetFileName",
        /// Outcome; code 0 is success.
        one fault_struct: TransferFault = "FaultStruct",
        /// When it started.
        one start_time: Scalar<DateTime> = "StartTime",
        /// When it completed.
        one complete_time: Scalar<DateTime> = "CompleteTime",
    }
}
cwmp_struct! {
    /// AutonomousTransferComplete accepted.
    AutonomousTransferCompleteResponse {}
}
cwmp_struct! {
    /// Reports the results of a ChangeDUState.
    DuStateChangeComplete {
        /// One per operation.
        many results: OpResult = "Results",
        /// The ChangeDUState's CommandKey.
        one (optional) command_key: Text = "CommandKey",
    }
}
cwmp_struct! {
    /// DUStateChangeComplete accepted.
    DuStateChangeCompleteResponse {}
}
cwmp_struct! {
    /// Reports deployment-unit changes the ACS did not ask for.
    AutonomousDuStateChangeComplete {
        /// One per operation.
        many results: AutonOpResult = "Results",
    }
}
cwmp_struct! {
    /// AutonomousDUStateChangeComplete accepted.
    AutonomousDuStateChangeCompleteResponse {}
}
cwmp_struct! {
    /// Asks the ACS for a download.
    RequestDownload {
        /// The file type wanted.
        one file_type: Text = "FileType",
        /// Extra arguments, up to 16.
        one file_type_arg: Vec<ArgStruct> = "FileTypeArg",
    }
}
cwmp_struct! {
    /// RequestDownload accepted.
    RequestDownloadResponse {}
}
cwmp_struct! {
    /// Web identity management (deprecated): a browser was kicked to the ACS.
    Kicked {
        /// Generic argument for the ACS.
        one command: Text = "Command",
        /// Referer URI of the kick.
        one referer: Text = "Referer",
        /// Generic argument for the ACS.
        one arg: Text = "Arg",
        /// Where the browser goes afterwards.
        one next: Text = "Next",
    }
}
cwmp_struct! {
    /// Where to send the browser next.
    KickedResponse {
        /// The URL.
        one next_url: Text = "NextURL",
    }
}

macro_rules! rpcs {
    ($($variant:ident($ty:ident) = $element:literal,)*) => {
        /// The RPC a SOAP Body carries.
        #[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
        #[serde(tag = "rpc", content = "args")]
        #[allow(
            clippy::large_enum_variant,
            reason = "one message at a time; boxing would cost an allocation per message for nothing"
        )]
        pub enum Rpc {
            $(
                #[doc = concat!("`", $element, "`")]
                $variant($ty),
            )*
            /// A vendor or unknown RPC, kept as written.
            Unknown(XmlElement),
        }

        impl Rpc {
            /// Every RPC element name the model knows.
            pub const KNOWN: &'static [&'static str] = &[$($element,)*];

            /// The element name: `Inform`, `GetParameterValuesResponse`, or the unknown
            /// element's local name.
            pub fn name(&self) -> &str {
                match self {
                    $(Self::$variant(_) => $element,)*
                    Self::Unknown(element) => &element.local,
                }
            }

            pub(crate) fn decode(cx: &mut Cx<'_>, node: usize) -> Option<Self> {
                Some(match cx.node(node).local {
                    $($element => Self::$variant(Field::decode(cx, node)),)*
                    _ => return None,
                })
            }

            pub(crate) fn encode(&self, encoder: &mut crate::encode::Encoder) {
                match self {
                    $(Self::$variant(rpc) => rpc.encode(encoder, concat!("cwmp:", $element)),)*
                    Self::Unknown(element) => encoder.raw_element(element),
                }
            }

            /// The span of the RPC element.
            pub fn span(&self) -> Span {
                match self {
                    $(Self::$variant(rpc) => rpc.span,)*
                    Self::Unknown(element) => element.span,
                }
            }
        }
    };
}

rpcs! {
    GetRpcMethods(GetRpcMethods) = "GetRPCMethods",
    GetRpcMethodsResponse(GetRpcMethodsResponse) = "GetRPCMethodsResponse",
    SetParameterValues(SetParameterValues) = "SetParameterValues",
    SetParameterValuesResponse(SetParameterValuesResponse) = "SetParameterValuesResponse",
    GetParameterValues(GetParameterValues) = "GetParameterValues",
    GetParameterValuesResponse(GetParameterValuesResponse) = "GetParameterValuesResponse",
    GetParameterNames(GetParameterNames) = "GetParameterNames",
    GetParameterNamesResponse(GetParameterNamesResponse) = "GetParameterNamesResponse",
    SetParameterAttributes(SetParameterAttributes) = "SetParameterAttributes",
    SetParameterAttributesResponse(SetParameterAttributesResponse) = "SetParameterAttributesResponse",
    GetParameterAttributes(GetParameterAttributes) = "GetParameterAttributes",
    GetParameterAttributesResponse(GetParameterAttributesResponse) = "GetParameterAttributesResponse",
    AddObject(AddObject) = "AddObject",
    AddObjectResponse(AddObjectResponse) = "AddObjectResponse",
    DeleteObject(DeleteObject) = "DeleteObject",
    DeleteObjectResponse(DeleteObjectResponse) = "DeleteObjectResponse",
    Reboot(Reboot) = "Reboot",
    RebootResponse(RebootResponse) = "RebootResponse",
    Download(Download) = "Download",
    DownloadResponse(DownloadResponse) = "DownloadResponse",
    Upload(Upload) = "Upload",
    UploadResponse(UploadResponse) = "UploadResponse",
    FactoryReset(FactoryReset) = "FactoryReset",
    FactoryResetResponse(FactoryResetResponse) = "FactoryResetResponse",
    GetQueuedTransfers(GetQueuedTransfers) = "GetQueuedTransfers",
    GetQueuedTransfersResponse(GetQueuedTransfersResponse) = "GetQueuedTransfersResponse",
    GetAllQueuedTransfers(GetAllQueuedTransfers) = "GetAllQueuedTransfers",
    GetAllQueuedTransfersResponse(GetAllQueuedTransfersResponse) = "GetAllQueuedTransfersResponse",
    ScheduleInform(ScheduleInform) = "ScheduleInform",
    ScheduleInformResponse(ScheduleInformResponse) = "ScheduleInformResponse",
    SetVouchers(SetVouchers) = "SetVouchers",
    SetVouchersResponse(SetVouchersResponse) = "SetVouchersResponse",
    GetOptions(GetOptions) = "GetOptions",
    GetOptionsResponse(GetOptionsResponse) = "GetOptionsResponse",
    ScheduleDownload(ScheduleDownload) = "ScheduleDownload",
    ScheduleDownloadResponse(ScheduleDownloadResponse) = "ScheduleDownloadResponse",
    CancelTransfer(CancelTransfer) = "CancelTransfer",
    CancelTransferResponse(CancelTransferResponse) = "CancelTransferResponse",
    ChangeDuState(ChangeDuState) = "ChangeDUState",
    ChangeDuStateResponse(ChangeDuStateResponse) = "ChangeDUStateResponse",
    Inform(Inform) = "Inform",
    InformResponse(InformResponse) = "InformResponse",
    TransferComplete(TransferComplete) = "TransferComplete",
    TransferCompleteResponse(TransferCompleteResponse) = "TransferCompleteResponse",
    AutonomousTransferComplete(AutonomousTransferComplete) = "AutonomousTransferComplete",
    AutonomousTransferCompleteResponse(AutonomousTransferCompleteResponse) = "AutonomousTransferCompleteResponse",
    DuStateChangeComplete(DuStateChangeComplete) = "DUStateChangeComplete",
    DuStateChangeCompleteResponse(DuStateChangeCompleteResponse) = "DUStateChangeCompleteResponse",
    AutonomousDuStateChangeComplete(AutonomousDuStateChangeComplete) = "AutonomousDUStateChangeComplete",
    AutonomousDuStateChangeCompleteResponse(AutonomousDuStateChangeCompleteResponse) = "AutonomousDUStateChangeCompleteResponse",
    RequestDownload(RequestDownload) = "RequestDownload",
    RequestDownloadResponse(RequestDownloadResponse) = "RequestDownloadResponse",
    Kicked(Kicked) = "Kicked",
    KickedResponse(KickedResponse) = "KickedResponse",
}

// ---------------------------------------------------------------------------------------------
// Envelope

/// A SOAP header entry with its `mustUnderstand` attribute.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct HeaderField<T> {
    /// The value's text and parsed value.
    pub value: Scalar<T>,
    /// The `mustUnderstand` attribute as written (`1`, `0`, `true`…), if present.
    pub must_understand: Option<String>,
    /// Where the header element stands.
    pub span: Span,
}

impl<T: crate::fields::ScalarValue> HeaderField<T> {
    /// A header entry with `mustUnderstand="1"`, for messages built in code.
    pub fn new(value: T) -> Self {
        Self {
            value: Scalar::new(value),
            must_understand: Some("1".to_owned()),
            span: Span::default(),
        }
    }
}

/// Text has no parse step: any string is an ID.
impl crate::fields::ScalarValue for String {
    const TYPE_NAME: &'static str = "string";
    fn parse(text: &str) -> Result<Self, String> {
        Ok(text.to_owned())
    }
    fn canonical(&self) -> String {
        self.clone()
    }
}

/// The SOAP Header's CWMP entries.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Header {
    /// `cwmp:ID`: pairs a response with its request.
    pub id: Option<HeaderField<String>>,
    /// `cwmp:HoldRequests`: while true, the CPE sends no requests of its own.
    pub hold_requests: Option<HeaderField<bool>>,
    /// `cwmp:NoMoreRequests` (CWMP 1.0 only, deprecated).
    pub no_more_requests: Option<HeaderField<bool>>,
    /// `cwmp:SessionTimeout` (1.3+): seconds the CPE waits for the ACS.
    pub session_timeout: Option<HeaderField<u32>>,
    /// `cwmp:SupportedCWMPVersions` (1.4+): comma-separated versions the CPE supports.
    pub supported_cwmp_versions: Option<HeaderField<String>>,
    /// `cwmp:UseCWMPVersion` (1.4+): the version the ACS chose.
    pub use_cwmp_version: Option<HeaderField<String>>,
    /// Header entries the CWMP schemas do not define, kept as written.
    pub unknown: Vec<XmlElement>,
    /// Where the Header stands.
    pub span: Span,
}

/// What a SOAP Body carries.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind")]
#[allow(
    clippy::large_enum_variant,
    reason = "one message at a time; boxing would cost an allocation per message for nothing"
)]
pub enum Body {
    /// An RPC request or response.
    Rpc(Rpc),
    /// A SOAP Fault.
    Fault(SoapFault),
    /// A Body element with nothing in it.
    Empty,
}

/// A SOAP envelope.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Envelope {
    /// The CWMP namespace its CWMP elements use, when any does.
    pub namespace: Option<CwmpNamespace>,
    /// The Header, when present.
    pub header: Option<Header>,
    /// The Body's content.
    pub body: Body,
    /// Where the Body element stands.
    pub body_span: Span,
    /// Where the Envelope stands.
    pub span: Span,
}

/// One CWMP message: an envelope, or the empty HTTP body that CWMP gives meaning to (the CPE's
/// "nothing more to send" POST, the ACS's "session over" 204).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "message")]
#[allow(
    clippy::large_enum_variant,
    reason = "one message at a time; boxing would cost an allocation per message for nothing"
)]
pub enum Message {
    /// An empty (or whitespace-only) HTTP body.
    Empty,
    /// A SOAP envelope.
    Envelope(Envelope),
}
