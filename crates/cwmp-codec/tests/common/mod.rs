//! Shared test helpers: a fully populated, schema-valid sample of every CWMP message
//! ([`every_message`]) and proptest strategies over the whole model ([`arb_message`]).
//!
//! Each test crate uses part of this module, hence `dead_code` is allowed here; the sample
//! helpers return the `Option` that model fields hold, hence `unnecessary_wraps`.
#![allow(dead_code, clippy::unnecessary_wraps)]

use cwmp_codec::model as m;
use cwmp_codec::value::{DateTime, TypedValue, ValueType, XsiType, Zone};
use cwmp_codec::{
    CwmpNamespace, Message, Ns, ParameterValue, Scalar, ScalarValue, Span, Text, XmlAttribute,
    XmlElement,
};
use proptest::prelude::*;

// ---------------------------------------------------------------------------------------------
// every_message(): one fully populated instance of every RPC and of a SOAP Fault

fn t(value: &str) -> Option<Text> {
    Some(Text::new(value))
}

fn u(value: u32) -> Option<Scalar<u32>> {
    Some(Scalar::new(value))
}

fn i(value: i32) -> Option<Scalar<i32>> {
    Some(Scalar::new(value))
}

fn b(value: bool) -> Option<Scalar<bool>> {
    Some(Scalar::new(value))
}

/// A dateTime scalar from its text.
fn dt(text: &str) -> Option<Scalar<DateTime>> {
    let (value, _) = DateTime::parse(text).unwrap_or_else(|error| panic!("{text:?}: {error}"));
    let scalar = Scalar::new(value);
    assert_eq!(scalar.raw, text, "DateTime does not display as it parsed");
    Some(scalar)
}

fn texts(values: &[&str]) -> Option<Vec<Text>> {
    Some(values.iter().map(|value| Text::new(*value)).collect())
}

fn param(name: &str, ty: ValueType, value: &str) -> m::ParameterValueStruct {
    m::ParameterValueStruct {
        name: t(name),
        value: Some(ParameterValue::new(ty, value)),
        ..Default::default()
    }
}

fn header_field<T: ScalarValue>(value: T, must_understand: &str) -> Option<m::HeaderField<T>> {
    Some(m::HeaderField {
        must_understand: Some(must_understand.to_owned()),
        ..m::HeaderField::new(value)
    })
}

/// A Header with every CWMP header entry: the 1.0 entries with `mustUnderstand="1"` as the
/// schemas fix it, SessionTimeout with `mustUnderstand="0"` as cwmp-1-3 fixes it.
/// `NoMoreRequests` (TR-069 Issue 1) is in no schema.
pub fn full_header() -> m::Header {
    m::Header {
        id: header_field("1234567890".to_owned(), "1"),
        hold_requests: header_field(false, "1"),
        no_more_requests: header_field(true, "0"),
        session_timeout: header_field(60, "0"),
        supported_cwmp_versions: header_field("1.0,1.1,1.2,1.3,1.4".to_owned(), "0"),
        use_cwmp_version: header_field("1.4".to_owned(), "1"),
        unknown: Vec::new(),
        span: Span::default(),
    }
}

fn envelope(body: m::Body) -> Message {
    Message::Envelope(m::Envelope {
        namespace: Some(CwmpNamespace::Cwmp1_2),
        header: Some(full_header()),
        body,
        body_span: Span::default(),
        span: Span::default(),
    })
}

fn transfer_fault() -> Option<m::TransferFault> {
    Some(m::TransferFault {
        fault_code: u(9010),
        fault_string: t("Download failure: unable to contact file server"),
        ..Default::default()
    })
}

fn du_fault() -> Option<m::DeploymentUnitFault> {
    Some(m::DeploymentUnitFault {
        fault_code: u(0),
        fault_string: t("Success"),
        ..Default::default()
    })
}

const DU_UUID: &str = "2f1a4c3e-8b7d-4e6f-9a0b-1c2d3e4f5a6b";
const DU_UUID_2: &str = "7e6d5c4b-3a29-4180-8f7e-6d5c4b3a2918";

fn op_result(uuid: &str, instance: u32, state: &str) -> m::OpResult {
    m::OpResult {
        uuid: t(uuid),
        deployment_unit_ref: t(&format!("Device.SoftwareModules.DeploymentUnit.{instance}")),
        version: t("2.1.0"),
        current_state: t(state),
        resolved: b(true),
        execution_unit_ref_list: t(&format!(
            "Device.SoftwareModules.ExecutionUnit.{instance},Device.SoftwareModules.ExecutionUnit.{}",
            instance + 10
        )),
        start_time: dt("2024-05-01T10:00:00Z"),
        complete_time: dt("2024-05-01T10:01:30Z"),
        fault: du_fault(),
        ..Default::default()
    }
}

fn auton_op_result(uuid: &str, instance: u32, operation: &str) -> m::AutonOpResult {
    let result = op_result(uuid, instance, "Installed");
    m::AutonOpResult {
        uuid: result.uuid,
        deployment_unit_ref: result.deployment_unit_ref,
        version: result.version,
        current_state: result.current_state,
        resolved: result.resolved,
        execution_unit_ref_list: result.execution_unit_ref_list,
        start_time: result.start_time,
        complete_time: result.complete_time,
        fault: result.fault,
        operation_performed: t(operation),
        ..Default::default()
    }
}

fn option(name: &str, serial: u32) -> m::OptionStruct {
    m::OptionStruct {
        option_name: t(name),
        voucher_sn: u(serial),
        state: u(3),
        mode: i(1),
        start_date: dt("2024-05-01T10:00:00Z"),
        expiration_date: dt("2025-05-01T10:00:00+02:00"),
        is_transferable: i(0),
        ..Default::default()
    }
}

fn spa(name: &str, notification: i32, access_list_change: bool) -> m::SetParameterAttributesStruct {
    m::SetParameterAttributesStruct {
        name: t(name),
        notification_change: b(true),
        notification: i(notification),
        access_list_change: b(access_list_change),
        access_list: texts(&["Subscriber", "Subscriber"]),
        ..Default::default()
    }
}

fn pas(name: &str, notification: i32) -> m::ParameterAttributeStruct {
    m::ParameterAttributeStruct {
        name: t(name),
        notification: i(notification),
        access_list: texts(&["Subscriber", "Subscriber"]),
        ..Default::default()
    }
}

/// Every RPC of [`m::Rpc`] but `Unknown`, each with every field present, lists of two items
/// (ChangeDUState has one Install, one Update and one Uninstall), realistic values that are valid
/// for every CWMP schema that defines the RPC (1.0 values where 1.0 is stricter: event codes,
/// file types, notification 0–2, fault codes).
#[allow(clippy::too_many_lines)] // one literal per RPC reads best as one list
pub fn every_rpc() -> Vec<m::Rpc> {
    use m::Rpc;
    vec![
        Rpc::GetRpcMethods(m::GetRpcMethods::default()),
        Rpc::GetRpcMethodsResponse(m::GetRpcMethodsResponse {
            method_list: texts(&["GetRPCMethods", "SetParameterValues"]),
            ..Default::default()
        }),
        Rpc::SetParameterValues(m::SetParameterValues {
            parameter_list: Some(vec![
                param(
                    "Device.WiFi.SSID.1.SSID",
                    ValueType::String,
                    "Café & <Guest> \"5G\" 'x'",
                ),
                param(
                    "Device.ManagementServer.PeriodicInformEnable",
                    ValueType::Boolean,
                    "true",
                ),
            ]),
            parameter_key: t("wifi-2024-05-01"),
            ..Default::default()
        }),
        Rpc::SetParameterValuesResponse(m::SetParameterValuesResponse {
            status: i(0),
            ..Default::default()
        }),
        Rpc::GetParameterValues(m::GetParameterValues {
            parameter_names: texts(&["Device.DeviceInfo.", "Device.ManagementServer.URL"]),
            ..Default::default()
        }),
        Rpc::GetParameterValuesResponse(m::GetParameterValuesResponse {
            parameter_list: Some(vec![
                param("Device.DeviceInfo.UpTime", ValueType::UnsignedInt, "86400"),
                param(
                    "Device.Time.CurrentLocalTime",
                    ValueType::DateTime,
                    "2024-05-01T12:00:00+02:00",
                ),
            ]),
            ..Default::default()
        }),
        Rpc::GetParameterNames(m::GetParameterNames {
            parameter_path: t("Device.WiFi."),
            next_level: b(true),
            ..Default::default()
        }),
        Rpc::GetParameterNamesResponse(m::GetParameterNamesResponse {
            parameter_list: Some(vec![
                m::ParameterInfoStruct {
                    name: t("Device.WiFi.SSID."),
                    writable: b(false),
                    ..Default::default()
                },
                m::ParameterInfoStruct {
                    name: t("Device.WiFi.SSID.1.SSID"),
                    writable: b(true),
                    ..Default::default()
                },
            ]),
            ..Default::default()
        }),
        Rpc::SetParameterAttributes(m::SetParameterAttributes {
            parameter_list: Some(vec![
                spa("Device.WiFi.SSID.1.SSID", 2, true),
                spa("Device.DeviceInfo.SoftwareVersion", 1, false),
            ]),
            ..Default::default()
        }),
        Rpc::SetParameterAttributesResponse(m::SetParameterAttributesResponse::default()),
        Rpc::GetParameterAttributes(m::GetParameterAttributes {
            parameter_names: texts(&[
                "Device.WiFi.SSID.1.SSID",
                "Device.DeviceInfo.SoftwareVersion",
            ]),
            ..Default::default()
        }),
        Rpc::GetParameterAttributesResponse(m::GetParameterAttributesResponse {
            parameter_list: Some(vec![
                pas("Device.WiFi.SSID.1.SSID", 2),
                pas("Device.DeviceInfo.SoftwareVersion", 0),
            ]),
            ..Default::default()
        }),
        Rpc::AddObject(m::AddObject {
            object_name: t("Device.WiFi.SSID."),
            parameter_key: t("add-ssid-2"),
            ..Default::default()
        }),
        Rpc::AddObjectResponse(m::AddObjectResponse {
            instance_number: u(2),
            status: i(0),
            ..Default::default()
        }),
        Rpc::DeleteObject(m::DeleteObject {
            object_name: t("Device.WiFi.SSID.2."),
            parameter_key: t("delete-ssid-2"),
            ..Default::default()
        }),
        Rpc::DeleteObjectResponse(m::DeleteObjectResponse {
            status: i(1),
            ..Default::default()
        }),
        Rpc::Reboot(m::Reboot {
            command_key: t("reboot-0042"),
            ..Default::default()
        }),
        Rpc::RebootResponse(m::RebootResponse::default()),
        Rpc::Download(m::Download {
            command_key: t("fw-2.4.1"),
            file_type: t("1 Firmware Upgrade Image"),
            url: t("https://acs.example.com/firmware/rg2400-2.4.1.bin?token=a&b"),
            username: t("cpe-00D09E"),
            password: t("s3cr&t<pw>"),
            file_size: u(16_777_216),
            target_file_name: t("rg2400-2.4.1.bin"),
            delay_seconds: u(0),
            success_url: t("https://portal.example.com/upgrade/ok"),
            failure_url: t("https://portal.example.com/upgrade/failed"),
            ..Default::default()
        }),
        Rpc::DownloadResponse(m::DownloadResponse {
            status: i(0),
            start_time: dt("2024-05-01T10:00:00Z"),
            complete_time: dt("2024-05-01T10:02:30.5Z"),
            ..Default::default()
        }),
        Rpc::Upload(m::Upload {
            command_key: t("cfg-backup-7"),
            file_type: t("1 Vendor Configuration File"),
            url: t("https://files.example.com/upload/EXN2400A0012345.cfg"),
            username: t("uploader"),
            password: t("pässwörd"),
            delay_seconds: u(30),
            ..Default::default()
        }),
        Rpc::UploadResponse(m::UploadResponse {
            status: i(0),
            start_time: dt("2024-05-01T10:00:00Z"),
            complete_time: dt("2024-05-01T10:00:04Z"),
            ..Default::default()
        }),
        Rpc::FactoryReset(m::FactoryReset::default()),
        Rpc::FactoryResetResponse(m::FactoryResetResponse::default()),
        Rpc::GetQueuedTransfers(m::GetQueuedTransfers::default()),
        Rpc::GetQueuedTransfersResponse(m::GetQueuedTransfersResponse {
            transfer_list: Some(vec![
                m::QueuedTransferStruct {
                    command_key: t("fw-2.4.1"),
                    state: i(2),
                    ..Default::default()
                },
                m::QueuedTransferStruct {
                    command_key: t("cfg-backup-7"),
                    state: i(1),
                    ..Default::default()
                },
            ]),
            ..Default::default()
        }),
        Rpc::GetAllQueuedTransfers(m::GetAllQueuedTransfers::default()),
        Rpc::GetAllQueuedTransfersResponse(m::GetAllQueuedTransfersResponse {
            transfer_list: Some(vec![
                m::AllQueuedTransferStruct {
                    command_key: t("fw-2.4.1"),
                    state: i(2),
                    is_download: b(true),
                    file_type: t("1 Firmware Upgrade Image"),
                    file_size: u(16_777_216),
                    target_file_name: t("rg2400-2.4.1.bin"),
                    ..Default::default()
                },
                m::AllQueuedTransferStruct {
                    command_key: t("cfg-backup-7"),
                    state: i(1),
                    is_download: b(false),
                    file_type: t("3 Vendor Configuration File"),
                    file_size: u(20_480),
                    target_file_name: t("config.xml"),
                    ..Default::default()
                },
            ]),
            ..Default::default()
        }),
        Rpc::ScheduleInform(m::ScheduleInform {
            delay_seconds: u(300),
            command_key: t("sched-0001"),
            ..Default::default()
        }),
        Rpc::ScheduleInformResponse(m::ScheduleInformResponse::default()),
        Rpc::SetVouchers(m::SetVouchers {
            // "signed-voucher-1" and "signed-voucher-2", base64.
            voucher_list: Some(vec![
                m::Voucher(Text::new("c2lnbmVkLXZvdWNoZXItMQ==")),
                m::Voucher(Text::new("c2lnbmVkLXZvdWNoZXItMg==")),
            ]),
            ..Default::default()
        }),
        Rpc::SetVouchersResponse(m::SetVouchersResponse::default()),
        Rpc::GetOptions(m::GetOptions {
            option_name: t("X_00D09E_VoIP"),
            ..Default::default()
        }),
        Rpc::GetOptionsResponse(m::GetOptionsResponse {
            option_list: Some(vec![
                option("X_00D09E_VoIP", 1001),
                option("X_00D09E_IPTV", 1002),
            ]),
            ..Default::default()
        }),
        Rpc::ScheduleDownload(m::ScheduleDownload {
            command_key: t("fw-night"),
            file_type: t("1 Firmware Upgrade Image"),
            url: t("https://acs.example.com/firmware/rg2400-2.5.0.bin"),
            username: t("cpe-00D09E"),
            password: t("s3cret"),
            file_size: u(16_900_000),
            target_file_name: t("rg2400-2.5.0.bin"),
            time_window_list: Some(vec![
                m::TimeWindowStruct {
                    window_start: u(0),
                    window_end: u(3600),
                    window_mode: t("1 At Any Time"),
                    user_message: t(""),
                    max_retries: i(-1),
                    ..Default::default()
                },
                m::TimeWindowStruct {
                    window_start: u(7200),
                    window_end: u(10_800),
                    window_mode: t("4 Confirmation Needed"),
                    user_message: t("A firmware upgrade is ready. Install now?"),
                    max_retries: i(3),
                    ..Default::default()
                },
            ]),
            ..Default::default()
        }),
        Rpc::ScheduleDownloadResponse(m::ScheduleDownloadResponse::default()),
        Rpc::CancelTransfer(m::CancelTransfer {
            command_key: t("fw-night"),
            ..Default::default()
        }),
        Rpc::CancelTransferResponse(m::CancelTransferResponse::default()),
        Rpc::ChangeDuState(m::ChangeDuState {
            operations: vec![
                m::DuOperation::Install(m::InstallOp {
                    url: t("https://apps.example.com/du/speedtest-2.1.0.ipk"),
                    uuid: t(DU_UUID),
                    username: t("apps"),
                    password: t("app-secret"),
                    execution_env_ref: t("Device.SoftwareModules.ExecEnv.1"),
                    ..Default::default()
                }),
                m::DuOperation::Update(m::UpdateOp {
                    uuid: t(DU_UUID_2),
                    version: t("1.4.2"),
                    url: t("https://apps.example.com/du/parental-1.4.2.ipk"),
                    username: t("apps"),
                    password: t("app-secret"),
                    ..Default::default()
                }),
                m::DuOperation::Uninstall(m::UninstallOp {
                    uuid: t(DU_UUID),
                    version: t("2.0.0"),
                    execution_env_ref: t("Device.SoftwareModules.ExecEnv.1"),
                    ..Default::default()
                }),
            ],
            command_key: t("du-0007"),
            ..Default::default()
        }),
        Rpc::ChangeDuStateResponse(m::ChangeDuStateResponse::default()),
        Rpc::Inform(m::Inform {
            device_id: Some(m::DeviceId {
                manufacturer: t("Example Networks"),
                oui: t("00D09E"),
                product_class: t("RG-2400"),
                serial_number: t("EXN2400A0012345"),
                ..Default::default()
            }),
            event: Some(vec![
                m::EventStruct {
                    event_code: t("1 BOOT"),
                    command_key: t(""),
                    ..Default::default()
                },
                m::EventStruct {
                    event_code: t("M Reboot"),
                    command_key: t("reboot-0042"),
                    ..Default::default()
                },
            ]),
            max_envelopes: u(1),
            current_time: dt("2024-05-01T10:00:00Z"),
            retry_count: u(0),
            parameter_list: Some(vec![
                param(
                    "Device.DeviceInfo.SoftwareVersion",
                    ValueType::String,
                    "2.4.1-build.7",
                ),
                param(
                    "Device.ManagementServer.ConnectionRequestURL",
                    ValueType::String,
                    "http://192.0.2.10:7547/cr?id=EXN2400A0012345",
                ),
            ]),
            ..Default::default()
        }),
        Rpc::InformResponse(m::InformResponse {
            max_envelopes: u(1),
            ..Default::default()
        }),
        Rpc::TransferComplete(m::TransferComplete {
            command_key: t("fw-2.4.1"),
            fault_struct: transfer_fault(),
            start_time: dt("2024-05-01T10:00:00Z"),
            complete_time: dt("2024-05-01T10:05:00Z"),
            ..Default::default()
        }),
        Rpc::TransferCompleteResponse(m::TransferCompleteResponse::default()),
        Rpc::AutonomousTransferComplete(m::AutonomousTransferComplete {
            announce_url: t("udp://239.0.0.1:5000"),
            transfer_url: t("https://files.example.com/firmware/rg2400-2.4.1.bin"),
            is_download: b(true),
            file_type: t("1 Firmware Upgrade Image"),
            file_size: u(16_777_216),
            target_file_name: t("rg2400-2.4.1.bin"),
            fault_struct: transfer_fault(),
            start_time: dt("2024-05-01T10:00:00Z"),
            complete_time: dt("2024-05-01T10:05:00Z"),
            ..Default::default()
        }),
        Rpc::AutonomousTransferCompleteResponse(m::AutonomousTransferCompleteResponse::default()),
        Rpc::DuStateChangeComplete(m::DuStateChangeComplete {
            results: vec![
                op_result(DU_UUID, 1, "Installed"),
                op_result(DU_UUID_2, 2, "Uninstalled"),
            ],
            command_key: t("du-0007"),
            ..Default::default()
        }),
        Rpc::DuStateChangeCompleteResponse(m::DuStateChangeCompleteResponse::default()),
        Rpc::AutonomousDuStateChangeComplete(m::AutonomousDuStateChangeComplete {
            results: vec![
                auton_op_result(DU_UUID, 1, "Install"),
                auton_op_result(DU_UUID_2, 2, "Update"),
            ],
            ..Default::default()
        }),
        Rpc::AutonomousDuStateChangeCompleteResponse(
            m::AutonomousDuStateChangeCompleteResponse::default(),
        ),
        Rpc::RequestDownload(m::RequestDownload {
            file_type: t("2 Web Content"),
            file_type_arg: Some(vec![
                m::ArgStruct {
                    name: t("Language"),
                    value: t("fr-FR"),
                    ..Default::default()
                },
                m::ArgStruct {
                    name: t("Theme"),
                    value: t("dark"),
                    ..Default::default()
                },
            ]),
            ..Default::default()
        }),
        Rpc::RequestDownloadResponse(m::RequestDownloadResponse::default()),
        Rpc::Kicked(m::Kicked {
            command: t("login"),
            referer: t("https://portal.example.com/"),
            arg: t("session=42&lang=fr"),
            next: t("https://portal.example.com/welcome"),
            ..Default::default()
        }),
        Rpc::KickedResponse(m::KickedResponse {
            next_url: t("https://portal.example.com/welcome?ok=1"),
            ..Default::default()
        }),
    ]
}

/// A SOAP Fault answering a SetParameterValues, with two SetParameterValuesFault entries.
pub fn full_fault() -> m::SoapFault {
    m::SoapFault {
        faultcode: t("Client"),
        faultstring: t("CWMP fault"),
        detail: Some(m::CwmpFault {
            fault_code: u(9003),
            fault_string: t("Invalid arguments"),
            set_parameter_values_faults: vec![
                m::SetParameterValuesFault {
                    parameter_name: t("Device.WiFi.SSID.1.SSID"),
                    fault_code: u(9007),
                    fault_string: t("Invalid parameter value"),
                    ..Default::default()
                },
                m::SetParameterValuesFault {
                    parameter_name: t("Device.DeviceInfo.SoftwareVersion"),
                    fault_code: u(9008),
                    fault_string: t("Attempt to set a non-writable parameter"),
                    ..Default::default()
                },
            ],
            ..Default::default()
        }),
        span: Span::default(),
    }
}

/// One fully populated envelope per RPC of [`every_rpc`], named by the RPC element, plus
/// `"Fault"`: a SOAP Fault. Every envelope has [`full_header`] and the namespace `cwmp-1-2`.
pub fn every_message() -> Vec<(String, Message)> {
    let mut messages: Vec<(String, Message)> = every_rpc()
        .into_iter()
        .map(|rpc| (rpc.name().to_owned(), envelope(m::Body::Rpc(rpc))))
        .collect();
    messages.push(("Fault".to_owned(), envelope(m::Body::Fault(full_fault()))));
    messages
}

// ---------------------------------------------------------------------------------------------
// Proptest strategies

/// Lists of 0 to 3 items.
fn list<S: Strategy>(item: S) -> impl Strategy<Value = Vec<S::Value>> {
    proptest::collection::vec(item, 0..=3)
}

/// Mostly present.
fn opt<S: Strategy>(inner: S) -> impl Strategy<Value = Option<S::Value>> {
    proptest::option::weighted(0.8, inner)
}

/// Printable text (Unicode general categories other than C), biased towards the XML specials
/// `& < > " '`, spaces at the ends and non-ASCII letters and symbols.
pub fn arb_string() -> BoxedStrategy<String> {
    prop_oneof![
        "[ -~]{0,16}",
        "[&<>\"' aZ09é€中😀]{0,10}",
        "\\PC{0,10}",
        Just(String::new()),
    ]
    .boxed()
}

/// A [`Text`] without span.
pub fn arb_text() -> impl Strategy<Value = Text> {
    arb_string().prop_map(Text::new)
}

/// A scalar: usually the canonical text of a value, sometimes any text with the value it parses
/// to (none when it does not parse), as decoding would give.
fn arb_scalar<T>(value: impl Strategy<Value = T>) -> impl Strategy<Value = Scalar<T>>
where
    T: ScalarValue + std::fmt::Debug + Clone,
{
    prop_oneof![
        4 => value.prop_map(Scalar::new),
        1 => arb_string().prop_map(|raw| Scalar {
            value: T::parse(&raw).ok(),
            raw,
            span: Span::default(),
        }),
    ]
}

fn days_in_month(year: i32, month: u8) -> u8 {
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A valid dateTime whose fields agree with its text: `fraction_digits` digits of fraction
/// (nanoseconds a multiple of the last digit's unit), zone `Z`, an offset up to ±14:00, or none.
pub fn arb_date_time() -> BoxedStrategy<DateTime> {
    let zone = prop_oneof![
        Just(None),
        Just(Some(Zone::Utc)),
        (-840_i16..=840).prop_map(|minutes| Some(Zone::Offset(minutes))),
    ];
    (
        prop_oneof![9 => 1_i32..=9999, 1 => 10_000_i32..=99_999_999],
        1_u8..=12,
        1_u8..=31,
        (0_u8..=23, 0_u8..=59, 0_u8..=60),
        (0_u8..=9, 0_u32..1_000_000_000),
        zone,
    )
        .prop_map(
            |(year, month, day, (hour, minute, second), (digits, fraction), zone)| {
                let unit = 10_u32.pow(9 - u32::from(digits));
                DateTime {
                    year,
                    month,
                    day: day.min(days_in_month(year, month)),
                    hour,
                    minute,
                    second,
                    nanosecond: fraction / unit * unit,
                    fraction_digits: digits,
                    zone,
                }
            },
        )
        .boxed()
}

fn arb_date_time_scalar() -> impl Strategy<Value = Scalar<DateTime>> {
    arb_scalar(arb_date_time())
}

/// Bytes for base64 and hexBinary values.
fn arb_bytes() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(any::<u8>(), 0..12)
}

/// The canonical text of a value of `ty`.
fn arb_value_text(ty: ValueType) -> BoxedStrategy<String> {
    match ty {
        ValueType::String => arb_string().boxed(),
        ValueType::Int => any::<i32>().prop_map(|v| v.to_string()).boxed(),
        ValueType::UnsignedInt => any::<u32>().prop_map(|v| v.to_string()).boxed(),
        ValueType::Long => any::<i64>().prop_map(|v| v.to_string()).boxed(),
        ValueType::UnsignedLong => any::<u64>().prop_map(|v| v.to_string()).boxed(),
        ValueType::Boolean => prop_oneof![Just("true"), Just("false"), Just("1"), Just("0")]
            .prop_map(str::to_owned)
            .boxed(),
        ValueType::DateTime => arb_date_time().prop_map(|v| v.to_string()).boxed(),
        ValueType::Base64 => arb_bytes()
            .prop_map(|bytes| cwmp_codec::value::encode_base64(&bytes))
            .boxed(),
        ValueType::HexBinary => arb_bytes()
            .prop_map(|bytes| cwmp_codec::value::encode_hex(&bytes))
            .boxed(),
    }
}

/// A parameter value: typed with its canonical text, typed with any text (valid or not), with
/// a vendor or unknown `xsi:type` spelling, or untyped; `typed` always as decoding computes it.
pub fn arb_parameter_value() -> BoxedStrategy<ParameterValue> {
    let ty = proptest::sample::select(ValueType::ALL.to_vec());
    prop_oneof![
        4 => ty.clone().prop_flat_map(|ty| {
            arb_value_text(ty).prop_map(move |raw| ParameterValue::new(ty, raw))
        }),
        1 => (ty, arb_string()).prop_map(|(ty, raw)| ParameterValue::new(ty, raw)),
        1 => (
            prop_oneof![
                Just("xsd:Int"),
                Just("xsd:unsignedint"),
                Just("SOAP-ENC:base64"),
                Just("xsd:decimal"),
                Just("cwmp:X_Vendor"),
            ],
            arb_string(),
        )
            .prop_map(|(spelling, raw)| {
                let (xsi_type, _) = XsiType::parse(spelling);
                let typed = xsi_type
                    .known
                    .and_then(|ty| cwmp_codec::value::parse_value(ty, &raw).ok());
                ParameterValue {
                    xsi_type: Some(xsi_type),
                    raw,
                    typed,
                    span: Span::default(),
                }
            }),
        1 => arb_string().prop_map(|raw| ParameterValue {
            xsi_type: None,
            raw,
            typed: None,
            span: Span::default(),
        }),
    ]
    .boxed()
}

/// Checks that `typed` is what [`cwmp_codec::value::parse_value`] gives for the raw text.
pub fn typed_agrees(value: &ParameterValue) -> bool {
    let expected: Option<TypedValue> = value
        .xsi_type
        .as_ref()
        .and_then(|ty| ty.known)
        .and_then(|ty| cwmp_codec::value::parse_value(ty, &value.raw).ok());
    expected == value.typed
}

// --- raw XML elements (vendor RPCs, unknown headers, unknown ChangeDUState operations)

/// An XML name without a prefix, never one reserved for `xml`/`xmlns`.
fn arb_xml_name() -> BoxedStrategy<String> {
    "[A-Za-z_][A-Za-z0-9_.-]{0,10}"
        .prop_filter("names starting with xml are reserved", |name| {
            !name.to_ascii_lowercase().starts_with("xml")
        })
        .boxed()
}

/// A vendor namespace URI, never one the codec knows.
fn arb_vendor_uri() -> BoxedStrategy<String> {
    prop_oneof![
        "urn:[a-z]{1,8}:[a-z0-9-]{1,8}",
        "http://example\\.com/[a-z]{1,8}",
    ]
    .boxed()
}

const XML_NAMESPACE: &str = "http://www.w3.org/XML/1998/namespace";

/// Attributes as decoding gives them, with distinct expanded names: unqualified ones, ones in a
/// vendor namespace under one prefix (`a…:`), `xsi:type` and `xml:lang`.
fn arb_attributes() -> BoxedStrategy<Vec<XmlAttribute>> {
    let names = || proptest::collection::btree_map(arb_xml_name(), arb_string(), 0..=2);
    (
        names(),
        ("a[a-z]{0,3}", arb_vendor_uri(), names()),
        proptest::option::weighted(0.2, arb_string()),
        proptest::option::weighted(0.1, arb_string()),
    )
        .prop_map(|(plain, (prefix, uri, foreign), xsi_type, lang)| {
            let mut attributes: Vec<XmlAttribute> = plain
                .into_iter()
                .map(|(name, value)| XmlAttribute {
                    ns: Ns::None,
                    local: name.clone(),
                    name,
                    value,
                })
                .collect();
            attributes.extend(foreign.into_iter().map(|(local, value)| XmlAttribute {
                ns: Ns::Other(uri.clone()),
                name: format!("{prefix}:{local}"),
                local,
                value,
            }));
            if let Some(value) = xsi_type {
                attributes.push(XmlAttribute {
                    ns: Ns::Xsi,
                    name: "xsi:type".to_owned(),
                    local: "type".to_owned(),
                    value,
                });
            }
            if let Some(value) = lang {
                attributes.push(XmlAttribute {
                    ns: Ns::Other(XML_NAMESPACE.to_owned()),
                    name: "xml:lang".to_owned(),
                    local: "lang".to_owned(),
                    value,
                });
            }
            attributes
        })
        .boxed()
}

/// A namespace and a name for an element: a vendor namespace is the default namespace or
/// bound to a prefix (`e…:`), as written; no namespace means no prefix.
fn arb_element_name(ns: BoxedStrategy<Ns>) -> BoxedStrategy<(Ns, String, String)> {
    (ns, arb_xml_name(), proptest::option::of("e[a-z]{0,3}"))
        .prop_map(|(ns, local, prefix)| {
            let name = match (&ns, prefix) {
                (Ns::Other(_), Some(prefix)) => format!("{prefix}:{local}"),
                _ => local.clone(),
            };
            (ns, name, local)
        })
        .boxed()
}

/// An unqualified or vendor element name.
fn arb_child_name() -> BoxedStrategy<(Ns, String, String)> {
    arb_element_name(prop_oneof![Just(Ns::None), arb_vendor_uri().prop_map(Ns::Other)].boxed())
}

/// An element kept raw, as decoding gives it (a vendor RPC, an unknown header, an unknown
/// ChangeDUState operation): its name with the prefix it was written with, attributes, direct
/// text (written before the children) and up to three levels of children, unqualified or in
/// vendor namespaces. Raw elements in a CWMP namespace are left out: the encoder moves them to
/// the namespace it encodes in.
fn arb_raw_element(ns: BoxedStrategy<Ns>) -> BoxedStrategy<XmlElement> {
    let element = |(ns, name, local): (Ns, String, String),
                   attributes: Vec<XmlAttribute>,
                   text: String,
                   children: Vec<XmlElement>| XmlElement {
        ns,
        name,
        local,
        attributes,
        text,
        children,
        span: Span::default(),
    };
    let leaf = (arb_child_name(), arb_attributes(), arb_string())
        .prop_map(move |(name, attributes, text)| element(name, attributes, text, Vec::new()));
    let children = leaf.prop_recursive(2, 8, 3, move |inner| {
        (
            arb_child_name(),
            arb_attributes(),
            arb_string(),
            list(inner),
        )
            .prop_map(move |(name, attributes, text, children)| {
                element(name, attributes, text, children)
            })
    });
    (
        arb_element_name(ns),
        arb_attributes(),
        arb_string(),
        list(children),
    )
        .prop_map(move |(name, attributes, text, children)| {
            element(name, attributes, text, children)
        })
        .boxed()
}

/// A vendor RPC: an element in a vendor namespace whose name is no CWMP RPC.
pub fn arb_vendor_rpc() -> BoxedStrategy<XmlElement> {
    arb_raw_element(arb_vendor_uri().prop_map(Ns::Other).boxed())
        .prop_filter("a CWMP RPC name is decoded as that RPC", |element| {
            !m::Rpc::KNOWN.contains(&element.local.as_str())
        })
        .boxed()
}

/// The local names of the header entries CWMP defines.
pub const HEADER_NAMES: [&str; 6] = [
    "ID",
    "HoldRequests",
    "NoMoreRequests",
    "SessionTimeout",
    "SupportedCWMPVersions",
    "UseCWMPVersion",
];

/// A vendor header entry.
fn arb_unknown_header() -> BoxedStrategy<XmlElement> {
    arb_raw_element(arb_vendor_uri().prop_map(Ns::Other).boxed())
        .prop_filter("a CWMP header name is decoded as that header", |element| {
            !HEADER_NAMES.contains(&element.local.as_str())
        })
        .boxed()
}

/// A ChangeDUState operation whose `xsi:type` is missing or unknown: an unqualified
/// `Operations` element.
fn arb_unknown_operation() -> BoxedStrategy<XmlElement> {
    arb_raw_element(Just(Ns::None).boxed())
        .prop_map(|mut element| {
            "Operations".clone_into(&mut element.local);
            "Operations".clone_into(&mut element.name);
            element
        })
        .prop_filter("a known operation type is decoded as that operation", |e| {
            !e.attributes.iter().any(|attribute| {
                attribute.local == "type"
                    && matches!(
                        attribute.value.rsplit(':').next(),
                        Some("InstallOpStruct" | "UpdateOpStruct" | "UninstallOpStruct")
                    )
            })
        })
        .boxed()
}

// --- the model's structures

fn ot() -> BoxedStrategy<Option<Text>> {
    opt(arb_text()).boxed()
}

fn ou() -> BoxedStrategy<Option<Scalar<u32>>> {
    opt(arb_scalar(any::<u32>())).boxed()
}

fn oi() -> BoxedStrategy<Option<Scalar<i32>>> {
    opt(arb_scalar(any::<i32>())).boxed()
}

fn ob() -> BoxedStrategy<Option<Scalar<bool>>> {
    opt(arb_scalar(any::<bool>())).boxed()
}

fn odt() -> BoxedStrategy<Option<Scalar<DateTime>>> {
    opt(arb_date_time_scalar()).boxed()
}

fn olist<S: Strategy>(item: S) -> impl Strategy<Value = Option<Vec<S::Value>>> {
    opt(list(item))
}

fn arb_pvs() -> BoxedStrategy<m::ParameterValueStruct> {
    (ot(), opt(arb_parameter_value()))
        .prop_map(|(name, value)| m::ParameterValueStruct {
            name,
            value,
            ..Default::default()
        })
        .boxed()
}

fn arb_transfer_fault() -> BoxedStrategy<m::TransferFault> {
    (ou(), ot())
        .prop_map(|(fault_code, fault_string)| m::TransferFault {
            fault_code,
            fault_string,
            ..Default::default()
        })
        .boxed()
}

fn arb_du_fault() -> BoxedStrategy<m::DeploymentUnitFault> {
    (ou(), ot())
        .prop_map(|(fault_code, fault_string)| m::DeploymentUnitFault {
            fault_code,
            fault_string,
            ..Default::default()
        })
        .boxed()
}

fn arb_op_result() -> BoxedStrategy<m::OpResult> {
    (
        (ot(), ot(), ot(), ot(), ob()),
        (ot(), odt(), odt(), opt(arb_du_fault())),
    )
        .prop_map(
            |(
                (uuid, deployment_unit_ref, version, current_state, resolved),
                (execution_unit_ref_list, start_time, complete_time, fault),
            )| m::OpResult {
                uuid,
                deployment_unit_ref,
                version,
                current_state,
                resolved,
                execution_unit_ref_list,
                start_time,
                complete_time,
                fault,
                ..Default::default()
            },
        )
        .boxed()
}

fn arb_auton_op_result() -> BoxedStrategy<m::AutonOpResult> {
    (arb_op_result(), ot())
        .prop_map(|(result, operation_performed)| m::AutonOpResult {
            uuid: result.uuid,
            deployment_unit_ref: result.deployment_unit_ref,
            version: result.version,
            current_state: result.current_state,
            resolved: result.resolved,
            execution_unit_ref_list: result.execution_unit_ref_list,
            start_time: result.start_time,
            complete_time: result.complete_time,
            fault: result.fault,
            operation_performed,
            ..Default::default()
        })
        .boxed()
}

fn arb_du_operation() -> BoxedStrategy<m::DuOperation> {
    prop_oneof![
        (ot(), ot(), ot(), ot(), ot()).prop_map(
            |(url, uuid, username, password, execution_env_ref)| {
                m::DuOperation::Install(m::InstallOp {
                    url,
                    uuid,
                    username,
                    password,
                    execution_env_ref,
                    ..Default::default()
                })
            }
        ),
        (ot(), ot(), ot(), ot(), ot()).prop_map(|(uuid, version, url, username, password)| {
            m::DuOperation::Update(m::UpdateOp {
                uuid,
                version,
                url,
                username,
                password,
                ..Default::default()
            })
        }),
        (ot(), ot(), ot()).prop_map(|(uuid, version, execution_env_ref)| {
            m::DuOperation::Uninstall(m::UninstallOp {
                uuid,
                version,
                execution_env_ref,
                ..Default::default()
            })
        }),
        arb_unknown_operation().prop_map(m::DuOperation::Unknown),
    ]
    .boxed()
}

fn arb_option_struct() -> BoxedStrategy<m::OptionStruct> {
    (ot(), ou(), ou(), oi(), odt(), odt(), oi())
        .prop_map(
            |(
                option_name,
                voucher_sn,
                state,
                mode,
                start_date,
                expiration_date,
                is_transferable,
            )| {
                m::OptionStruct {
                    option_name,
                    voucher_sn,
                    state,
                    mode,
                    start_date,
                    expiration_date,
                    is_transferable,
                    ..Default::default()
                }
            },
        )
        .boxed()
}

fn arb_time_window() -> BoxedStrategy<m::TimeWindowStruct> {
    (ou(), ou(), ot(), ot(), oi())
        .prop_map(
            |(window_start, window_end, window_mode, user_message, max_retries)| {
                m::TimeWindowStruct {
                    window_start,
                    window_end,
                    window_mode,
                    user_message,
                    max_retries,
                    ..Default::default()
                }
            },
        )
        .boxed()
}

/// A CWMP fault (the detail of a SOAP Fault).
pub fn arb_cwmp_fault() -> BoxedStrategy<m::CwmpFault> {
    let entry = (ot(), ou(), ot()).prop_map(|(parameter_name, fault_code, fault_string)| {
        m::SetParameterValuesFault {
            parameter_name,
            fault_code,
            fault_string,
            ..Default::default()
        }
    });
    (ou(), ot(), list(entry))
        .prop_map(
            |(fault_code, fault_string, set_parameter_values_faults)| m::CwmpFault {
                fault_code,
                fault_string,
                set_parameter_values_faults,
                ..Default::default()
            },
        )
        .boxed()
}

/// A SOAP Fault.
pub fn arb_soap_fault() -> BoxedStrategy<m::SoapFault> {
    (ot(), ot(), opt(arb_cwmp_fault()))
        .prop_map(|(faultcode, faultstring, detail)| m::SoapFault {
            faultcode,
            faultstring,
            detail,
            span: Span::default(),
        })
        .boxed()
}

/// Requests and responses of parameter and object management.
#[allow(clippy::too_many_lines)] // one arm per RPC
fn arb_rpc_parameters() -> BoxedStrategy<m::Rpc> {
    use m::Rpc;
    let spa = (ot(), ob(), oi(), ob(), olist(arb_text())).prop_map(
        |(name, notification_change, notification, access_list_change, access_list)| {
            m::SetParameterAttributesStruct {
                name,
                notification_change,
                notification,
                access_list_change,
                access_list,
                ..Default::default()
            }
        },
    );
    let pas = (ot(), oi(), olist(arb_text())).prop_map(|(name, notification, access_list)| {
        m::ParameterAttributeStruct {
            name,
            notification,
            access_list,
            ..Default::default()
        }
    });
    let info = (ot(), ob()).prop_map(|(name, writable)| m::ParameterInfoStruct {
        name,
        writable,
        ..Default::default()
    });
    prop_oneof![
        Just(Rpc::GetRpcMethods(m::GetRpcMethods::default())),
        olist(arb_text()).prop_map(|method_list| Rpc::GetRpcMethodsResponse(
            m::GetRpcMethodsResponse {
                method_list,
                ..Default::default()
            }
        )),
        (olist(arb_pvs()), ot()).prop_map(|(parameter_list, parameter_key)| {
            Rpc::SetParameterValues(m::SetParameterValues {
                parameter_list,
                parameter_key,
                ..Default::default()
            })
        }),
        oi().prop_map(
            |status| Rpc::SetParameterValuesResponse(m::SetParameterValuesResponse {
                status,
                ..Default::default()
            })
        ),
        olist(arb_text()).prop_map(|parameter_names| Rpc::GetParameterValues(
            m::GetParameterValues {
                parameter_names,
                ..Default::default()
            }
        )),
        olist(arb_pvs()).prop_map(|parameter_list| Rpc::GetParameterValuesResponse(
            m::GetParameterValuesResponse {
                parameter_list,
                ..Default::default()
            }
        )),
        (ot(), ob()).prop_map(|(parameter_path, next_level)| Rpc::GetParameterNames(
            m::GetParameterNames {
                parameter_path,
                next_level,
                ..Default::default()
            }
        )),
        olist(info).prop_map(|parameter_list| Rpc::GetParameterNamesResponse(
            m::GetParameterNamesResponse {
                parameter_list,
                ..Default::default()
            }
        )),
        olist(spa).prop_map(|parameter_list| Rpc::SetParameterAttributes(
            m::SetParameterAttributes {
                parameter_list,
                ..Default::default()
            }
        )),
        Just(Rpc::SetParameterAttributesResponse(
            m::SetParameterAttributesResponse::default()
        )),
        olist(arb_text()).prop_map(|parameter_names| Rpc::GetParameterAttributes(
            m::GetParameterAttributes {
                parameter_names,
                ..Default::default()
            }
        )),
        olist(pas).prop_map(|parameter_list| Rpc::GetParameterAttributesResponse(
            m::GetParameterAttributesResponse {
                parameter_list,
                ..Default::default()
            }
        )),
        (ot(), ot()).prop_map(|(object_name, parameter_key)| Rpc::AddObject(m::AddObject {
            object_name,
            parameter_key,
            ..Default::default()
        })),
        (ou(), oi()).prop_map(|(instance_number, status)| Rpc::AddObjectResponse(
            m::AddObjectResponse {
                instance_number,
                status,
                ..Default::default()
            }
        )),
        (ot(), ot()).prop_map(
            |(object_name, parameter_key)| Rpc::DeleteObject(m::DeleteObject {
                object_name,
                parameter_key,
                ..Default::default()
            })
        ),
        oi().prop_map(|status| Rpc::DeleteObjectResponse(m::DeleteObjectResponse {
            status,
            ..Default::default()
        })),
    ]
    .boxed()
}

/// File transfers, reboot, factory reset, scheduling.
#[allow(clippy::too_many_lines)] // one arm per RPC
fn arb_rpc_transfers() -> BoxedStrategy<m::Rpc> {
    use m::Rpc;
    let queued = (ot(), oi()).prop_map(|(command_key, state)| m::QueuedTransferStruct {
        command_key,
        state,
        ..Default::default()
    });
    let all_queued = (ot(), oi(), ob(), ot(), ou(), ot()).prop_map(
        |(command_key, state, is_download, file_type, file_size, target_file_name)| {
            m::AllQueuedTransferStruct {
                command_key,
                state,
                is_download,
                file_type,
                file_size,
                target_file_name,
                ..Default::default()
            }
        },
    );
    prop_oneof![
        ot().prop_map(|command_key| Rpc::Reboot(m::Reboot {
            command_key,
            ..Default::default()
        })),
        Just(Rpc::RebootResponse(m::RebootResponse::default())),
        (
            (ot(), ot(), ot(), ot(), ot()),
            (ou(), ot(), ou(), ot(), ot())
        )
            .prop_map(
                |(
                    (command_key, file_type, url, username, password),
                    (file_size, target_file_name, delay_seconds, success_url, failure_url),
                )| Rpc::Download(m::Download {
                    command_key,
                    file_type,
                    url,
                    username,
                    password,
                    file_size,
                    target_file_name,
                    delay_seconds,
                    success_url,
                    failure_url,
                    ..Default::default()
                })
            ),
        (oi(), odt(), odt()).prop_map(|(status, start_time, complete_time)| {
            Rpc::DownloadResponse(m::DownloadResponse {
                status,
                start_time,
                complete_time,
                ..Default::default()
            })
        }),
        (ot(), ot(), ot(), ot(), ot(), ou()).prop_map(
            |(command_key, file_type, url, username, password, delay_seconds)| {
                Rpc::Upload(m::Upload {
                    command_key,
                    file_type,
                    url,
                    username,
                    password,
                    delay_seconds,
                    ..Default::default()
                })
            }
        ),
        (oi(), odt(), odt()).prop_map(|(status, start_time, complete_time)| {
            Rpc::UploadResponse(m::UploadResponse {
                status,
                start_time,
                complete_time,
                ..Default::default()
            })
        }),
        Just(Rpc::FactoryReset(m::FactoryReset::default())),
        Just(Rpc::FactoryResetResponse(m::FactoryResetResponse::default())),
        Just(Rpc::GetQueuedTransfers(m::GetQueuedTransfers::default())),
        olist(queued).prop_map(|transfer_list| Rpc::GetQueuedTransfersResponse(
            m::GetQueuedTransfersResponse {
                transfer_list,
                ..Default::default()
            }
        )),
        Just(Rpc::GetAllQueuedTransfers(
            m::GetAllQueuedTransfers::default()
        )),
        olist(all_queued).prop_map(|transfer_list| Rpc::GetAllQueuedTransfersResponse(
            m::GetAllQueuedTransfersResponse {
                transfer_list,
                ..Default::default()
            }
        )),
        (ou(), ot()).prop_map(|(delay_seconds, command_key)| Rpc::ScheduleInform(
            m::ScheduleInform {
                delay_seconds,
                command_key,
                ..Default::default()
            }
        )),
        Just(Rpc::ScheduleInformResponse(
            m::ScheduleInformResponse::default()
        )),
        (
            (ot(), ot(), ot(), ot()),
            (ot(), ou(), ot(), olist(arb_time_window()))
        )
            .prop_map(
                |(
                    (command_key, file_type, url, username),
                    (password, file_size, target_file_name, time_window_list),
                )| Rpc::ScheduleDownload(m::ScheduleDownload {
                    command_key,
                    file_type,
                    url,
                    username,
                    password,
                    file_size,
                    target_file_name,
                    time_window_list,
                    ..Default::default()
                })
            ),
        Just(Rpc::ScheduleDownloadResponse(
            m::ScheduleDownloadResponse::default()
        )),
        ot().prop_map(|command_key| Rpc::CancelTransfer(m::CancelTransfer {
            command_key,
            ..Default::default()
        })),
        Just(Rpc::CancelTransferResponse(
            m::CancelTransferResponse::default()
        )),
        (ot(), olist(arb_args())).prop_map(|(file_type, file_type_arg)| {
            Rpc::RequestDownload(m::RequestDownload {
                file_type,
                file_type_arg,
                ..Default::default()
            })
        }),
        Just(Rpc::RequestDownloadResponse(
            m::RequestDownloadResponse::default()
        )),
    ]
    .boxed()
}

fn arb_args() -> BoxedStrategy<m::ArgStruct> {
    (ot(), ot())
        .prop_map(|(name, value)| m::ArgStruct {
            name,
            value,
            ..Default::default()
        })
        .boxed()
}

/// Inform, transfer and deployment-unit reports, options, vouchers, Kicked.
#[allow(clippy::too_many_lines)] // one arm per RPC
fn arb_rpc_reports() -> BoxedStrategy<m::Rpc> {
    use m::Rpc;
    let device_id =
        (ot(), ot(), ot(), ot()).prop_map(|(manufacturer, oui, product_class, serial_number)| {
            m::DeviceId {
                manufacturer,
                oui,
                product_class,
                serial_number,
                ..Default::default()
            }
        });
    let event = (ot(), ot()).prop_map(|(event_code, command_key)| m::EventStruct {
        event_code,
        command_key,
        ..Default::default()
    });
    prop_oneof![
        (
            opt(device_id),
            olist(event),
            ou(),
            odt(),
            ou(),
            olist(arb_pvs())
        )
            .prop_map(
                |(device_id, event, max_envelopes, current_time, retry_count, parameter_list)| {
                    Rpc::Inform(m::Inform {
                        device_id,
                        event,
                        max_envelopes,
                        current_time,
                        retry_count,
                        parameter_list,
                        ..Default::default()
                    })
                }
            ),
        ou().prop_map(|max_envelopes| Rpc::InformResponse(m::InformResponse {
            max_envelopes,
            ..Default::default()
        })),
        (ot(), opt(arb_transfer_fault()), odt(), odt()).prop_map(
            |(command_key, fault_struct, start_time, complete_time)| {
                Rpc::TransferComplete(m::TransferComplete {
                    command_key,
                    fault_struct,
                    start_time,
                    complete_time,
                    ..Default::default()
                })
            }
        ),
        Just(Rpc::TransferCompleteResponse(
            m::TransferCompleteResponse::default()
        )),
        (
            (ot(), ot(), ob(), ot(), ou()),
            (ot(), opt(arb_transfer_fault()), odt(), odt())
        )
            .prop_map(
                |(
                    (announce_url, transfer_url, is_download, file_type, file_size),
                    (target_file_name, fault_struct, start_time, complete_time),
                )| Rpc::AutonomousTransferComplete(m::AutonomousTransferComplete {
                    announce_url,
                    transfer_url,
                    is_download,
                    file_type,
                    file_size,
                    target_file_name,
                    fault_struct,
                    start_time,
                    complete_time,
                    ..Default::default()
                })
            ),
        Just(Rpc::AutonomousTransferCompleteResponse(
            m::AutonomousTransferCompleteResponse::default()
        )),
        (list(arb_du_operation()), ot()).prop_map(|(operations, command_key)| {
            Rpc::ChangeDuState(m::ChangeDuState {
                operations,
                command_key,
                ..Default::default()
            })
        }),
        Just(Rpc::ChangeDuStateResponse(
            m::ChangeDuStateResponse::default()
        )),
        (list(arb_op_result()), ot()).prop_map(|(results, command_key)| {
            Rpc::DuStateChangeComplete(m::DuStateChangeComplete {
                results,
                command_key,
                ..Default::default()
            })
        }),
        Just(Rpc::DuStateChangeCompleteResponse(
            m::DuStateChangeCompleteResponse::default()
        )),
        list(arb_auton_op_result()).prop_map(|results| {
            Rpc::AutonomousDuStateChangeComplete(m::AutonomousDuStateChangeComplete {
                results,
                ..Default::default()
            })
        }),
        Just(Rpc::AutonomousDuStateChangeCompleteResponse(
            m::AutonomousDuStateChangeCompleteResponse::default()
        )),
        olist(arb_text().prop_map(m::Voucher)).prop_map(|voucher_list| Rpc::SetVouchers(
            m::SetVouchers {
                voucher_list,
                ..Default::default()
            }
        )),
        Just(Rpc::SetVouchersResponse(m::SetVouchersResponse::default())),
        ot().prop_map(|option_name| Rpc::GetOptions(m::GetOptions {
            option_name,
            ..Default::default()
        })),
        olist(arb_option_struct()).prop_map(|option_list| Rpc::GetOptionsResponse(
            m::GetOptionsResponse {
                option_list,
                ..Default::default()
            }
        )),
        (ot(), ot(), ot(), ot()).prop_map(|(command, referer, arg, next)| {
            Rpc::Kicked(m::Kicked {
                command,
                referer,
                arg,
                next,
                ..Default::default()
            })
        }),
        ot().prop_map(|next_url| Rpc::KickedResponse(m::KickedResponse {
            next_url,
            ..Default::default()
        })),
    ]
    .boxed()
}

/// Any RPC of the model, `Unknown` vendor RPCs included.
pub fn arb_rpc() -> BoxedStrategy<m::Rpc> {
    prop_oneof![
        4 => arb_rpc_parameters(),
        4 => arb_rpc_transfers(),
        4 => arb_rpc_reports(),
        1 => arb_vendor_rpc().prop_map(m::Rpc::Unknown),
    ]
    .boxed()
}

fn arb_header_field<T>(
    value: impl Strategy<Value = T> + 'static,
) -> BoxedStrategy<m::HeaderField<T>>
where
    T: ScalarValue + std::fmt::Debug + Clone + 'static,
{
    let must_understand = prop_oneof![
        Just(None),
        Just(Some("1".to_owned())),
        Just(Some("0".to_owned())),
        Just(Some("true".to_owned())),
        arb_string().prop_map(Some),
    ];
    (arb_scalar(value), must_understand)
        .prop_map(|(value, must_understand)| m::HeaderField {
            value,
            must_understand,
            span: Span::default(),
        })
        .boxed()
}

/// A SOAP Header: any subset of the CWMP entries, and vendor entries.
pub fn arb_header() -> BoxedStrategy<m::Header> {
    (
        opt(arb_header_field(arb_string())),
        opt(arb_header_field(any::<bool>())),
        opt(arb_header_field(any::<bool>())),
        opt(arb_header_field(any::<u32>())),
        opt(arb_header_field(arb_string())),
        opt(arb_header_field(arb_string())),
        list(arb_unknown_header()),
    )
        .prop_map(
            |(
                id,
                hold_requests,
                no_more_requests,
                session_timeout,
                supported_cwmp_versions,
                use_cwmp_version,
                unknown,
            )| m::Header {
                id,
                hold_requests,
                no_more_requests,
                session_timeout,
                supported_cwmp_versions,
                use_cwmp_version,
                unknown,
                span: Span::default(),
            },
        )
        .boxed()
}

/// Any message: an empty HTTP body, or an envelope with or without a Header whose Body holds an
/// RPC, a SOAP Fault or nothing. `namespace` is `None`: what decoding reports depends on the
/// namespace it is encoded in (see the round-trip test).
pub fn arb_message() -> BoxedStrategy<Message> {
    let body = prop_oneof![
        8 => arb_rpc().prop_map(m::Body::Rpc),
        1 => arb_soap_fault().prop_map(m::Body::Fault),
        1 => Just(m::Body::Empty),
    ];
    prop_oneof![
        1 => Just(Message::Empty),
        20 => (proptest::option::of(arb_header()), body).prop_map(|(header, body)| {
            Message::Envelope(m::Envelope {
                namespace: None,
                header,
                body,
                body_span: Span::default(),
                span: Span::default(),
            })
        }),
    ]
    .boxed()
}
