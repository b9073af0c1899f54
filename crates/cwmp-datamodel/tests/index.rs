//! The data-model index: built from BBF-shaped XML with known output, and the committed index
//! looked up with paths from real captures.

use cwmp_datamodel::{Index, bbf_path, build_index};

const XML: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<dm:document xmlns:dm="urn:broadband-forum-org:cwmp:datamodel-1-14" spec="urn:example">
  <dataType name="IPv4Address"><string><size maxLength="15"/></string></dataType>
  <model name="Device:2.17">
    <object name="Device.IP.Interface.{i}." access="readWrite" minEntries="0" maxEntries="unbounded" version="2.0">
      <description>
        IP interface table (a stackable interface object as described in
        {{bibref|TR-181i2|Section 4.2}}).

        Second paragraph, left out.
      </description>
      <uniqueKey><parameter ref="Alias"/></uniqueKey>
      <parameter name="Enable" access="readWrite">
        <description>Enables or disables the interface; see {{param|Status}}.</description>
        <syntax><boolean/><default type="object" value="false"/></syntax>
      </parameter>
      <parameter name="IPAddress" access="readWrite" version="2.2">
        <description>IPv4 address &amp; ''emphasis''.</description>
        <syntax><dataType ref="IPv4Address"/></syntax>
      </parameter>
      <parameter name="LowerLayers" access="readWrite">
        <description>{{list}} Lower layers.</description>
        <syntax>
          <list><size maxLength="1024"/></list>
          <string><pathRef refType="strong"/></string>
        </syntax>
      </parameter>
      <parameter name="Status" access="readOnly">
        <description>Current status: {{enum|Up}} or {{enum|Down}}.</description>
        <syntax><string><enumeration value="Up"><description>Up, {{empty}} otherwise</description></enumeration><enumeration value="Down"/></string></syntax>
      </parameter>
    </object>
    <profile name="Baseline:1">
      <object ref="Device.IP.Interface.{i}." requirement="present">
        <parameter ref="Enable" requirement="readWrite"/>
      </object>
    </profile>
  </model>
</dm:document>"#;

#[test]
fn build_gives_one_line_per_definition_with_type_access_and_first_paragraph() {
    let (model, index) = build_index(XML).unwrap();
    assert_eq!(model, "Device:2.17");
    let lines: Vec<&str> = index.lines().collect();
    assert_eq!(
        lines,
        vec![
            "Device.IP.Interface.{i}.\tobject\tW\t2.0\tIP interface table (a stackable interface object as described in [TR-181i2]).",
            "Device.IP.Interface.{i}.Enable\tboolean\tW\t\tEnables or disables the interface; see Status.",
            "Device.IP.Interface.{i}.IPAddress\tIPv4Address\tW\t2.2\tIPv4 address & emphasis.",
            "Device.IP.Interface.{i}.LowerLayers\tlist of string\tW\t\tLower layers.",
            "Device.IP.Interface.{i}.Status\tstring\tR\t\tCurrent status: Up or Down.",
        ]
    );
    let idx = Index::parse(&index);
    let e = idx.lookup("Device.IP.Interface.12.IPAddress").unwrap();
    assert_eq!((e.kind.as_str(), e.writable), ("IPv4Address", true));
    assert!(idx.lookup("Device.IP.Interface.1.Nope").is_none());
}

#[test]
fn broken_xml_is_an_error_with_an_offset() {
    let err =
        build_index("<dm:document><model name=\"X\"><object name=\"A.\"></model>").unwrap_err();
    assert!(err.offset > 0, "{err}");
    assert!(
        build_index("<dm:document/>")
            .unwrap_err()
            .message
            .contains("no <model>")
    );
}

#[test]
fn instance_numbers_become_placeholders() {
    assert_eq!(
        bbf_path("Device.IP.Interface.3.IPv4Address.1.IPAddress"),
        "Device.IP.Interface.{i}.IPv4Address.{i}.IPAddress"
    );
    assert_eq!(bbf_path("Device."), "Device.");
    assert_eq!(
        bbf_path("InternetGatewayDevice.WANDevice.1."),
        "InternetGatewayDevice.WANDevice.{i}."
    );
}

fn committed(file: &str) -> Index {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../static/datamodel")
        .join(file);
    Index::parse(
        &std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
    )
}

#[test]
fn the_committed_index_answers_paths_from_real_captures() {
    let tr181 = committed("tr-181-2-17-0-cwmp.tsv");
    assert!(tr181.len() > 7000);
    let e = tr181.lookup("Device.DeviceInfo.SoftwareVersion").unwrap();
    assert_eq!((e.kind.as_str(), e.writable), ("string", false));
    assert!(e.description.contains("software version"));
    let e = tr181
        .lookup("Device.ManagementServer.PeriodicInformInterval")
        .unwrap();
    assert_eq!((e.kind.as_str(), e.writable), ("unsignedInt", true));
    // The Baicells eNodeB reports FAPService paths under Device.Services.
    let tr196 = committed("tr-196-2-1-2-cwmp.tsv");
    let e = tr196
        .lookup("Device.Services.FAPService.1.FAPControl.LTE.OpState")
        .unwrap();
    assert_eq!(e.kind, "boolean");
    // Vendor extensions are not in any model.
    assert!(tr181.lookup("Device.DeviceInfo.X_COM_CloudKey").is_none());
    let tr098 = committed("tr-098-1-8-0.tsv");
    let e = tr098.lookup("InternetGatewayDevice.WANDevice.1.WANConnectionDevice.1.WANIPConnection.1.ExternalIPAddress").unwrap();
    assert!(e.writable);
}
