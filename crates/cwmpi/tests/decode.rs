//! `cwmpi decode` and `cwmpi lint`, run as the real binary on real and built inputs.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn baicells() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../cwmp-capture/tests/vectors/magma_baicells_qrtb_enodebd_tr069.pcap")
}

fn cwmpi(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cwmpi"))
        .args(args)
        .output()
        .expect("the cwmpi binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("the output is UTF-8")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).expect("the output is JSON")
}

#[test]
fn decode_prints_one_line_per_message_grouped_by_session() {
    let path = baicells();
    let output = cwmpi(&["decode", path.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].contains("pcap") && lines[0].contains("3 sessions"),
        "{text}"
    );
    let headers: Vec<&&str> = lines.iter().filter(|l| l.starts_with("session ")).collect();
    assert_eq!(headers.len(), 3, "{text}");
    assert!(headers[0].contains("48BF74-FAP/pBS31010/CA-1202000291213VB0009"));
    assert!(headers[0].contains("[2 PERIODIC]") && headers[0].contains("completed"));
    // 10 + 14 + 10 messages, each on an indented line.
    let messages: Vec<&&str> = lines.iter().filter(|l| l.starts_with("  ")).collect();
    assert_eq!(messages.len(), 34, "{text}");
    assert!(messages[0].contains("CPE → ACS") && messages[0].contains("Inform"));
    assert!(messages[0].contains("id=1889361990") && messages[0].contains("events=[2 PERIODIC]"));
    assert!(messages[1].contains("ACS → CPE") && messages[1].contains("200   InformResponse"));
    assert!(messages[2].contains("POST  Empty"));
    assert!(messages[3].contains("GetParameterValues") && messages[3].contains("parameters=7"));
    assert!(
        lines
            .last()
            .unwrap()
            .starts_with("import: 170 frames, 3 TCP connections"),
        "{text}"
    );
    // Deterministic: the same input gives the same bytes.
    assert_eq!(
        cwmpi(&["decode", path.to_str().unwrap()]).stdout,
        output.stdout
    );
}

#[test]
fn decode_reads_standard_input_for_a_dash() {
    let bytes = std::fs::read(baicells()).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_cwmpi"))
        .args(["decode", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&bytes).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    let text = stdout(&output);
    assert!(text.starts_with("-: pcap"), "{text}");
    let from_file = stdout(&cwmpi(&["decode", baicells().to_str().unwrap()]));
    // Only the name on the first line differs.
    assert_eq!(
        text.split_once('\n').unwrap().1,
        from_file.split_once('\n').unwrap().1
    );
}

#[test]
fn decode_json_prints_the_contract() {
    let path = baicells();
    let output = cwmpi(&["decode", "--json", path.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    let capture = json(&output);
    assert_eq!(capture["format"], "cwmp-inspector-capture");
    let sessions = capture["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 3);
    let first = sessions[0]["messages"].as_array().unwrap();
    let outline: Vec<(&str, &str)> = first
        .iter()
        .take(4)
        .map(|m| (m["direction"].as_str().unwrap(), m["rpc"].as_str().unwrap()))
        .collect();
    assert_eq!(
        outline,
        [
            ("cpe-to-acs", "Inform"),
            ("acs-to-cpe", "InformResponse"),
            ("cpe-to-acs", "Empty"),
            ("acs-to-cpe", "GetParameterValues"),
        ]
    );
    assert_eq!(first[0]["cwmp_id"], "1889361990");
    assert_eq!(first[1]["http_status"], 200);
    assert!(
        first[0]["time"]
            .as_str()
            .unwrap()
            .starts_with("2022-04-25T16:11:42")
    );
    // Streamed output is the library's own JSON, byte for byte.
    let bytes = std::fs::read(&path).unwrap();
    let expected = cwmp_session::analyse(&bytes, Some(path.to_str().unwrap())).to_json();
    assert_eq!(stdout(&output).trim_end(), expected);
}

#[test]
fn decode_json_of_several_files_is_an_array_and_skips_unreadable_ones() {
    let path = baicells();
    let path = path.to_str().unwrap();
    let output = cwmpi(&["decode", "--json", path, "/nonexistent/capture.pcap", path]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("/nonexistent/capture.pcap"));
    let captures = json(&output);
    assert_eq!(captures.as_array().unwrap().len(), 2);
    assert_eq!(captures[1]["sessions"].as_array().unwrap().len(), 3);
}

#[test]
fn an_unreadable_file_is_named_and_the_next_file_is_still_decoded() {
    let path = baicells();
    let output = cwmpi(&[
        "decode",
        "/nonexistent/missing.pcap",
        path.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    let error = stderr(&output);
    assert!(error.contains("/nonexistent/missing.pcap"), "{error}");
    assert!(stdout(&output).contains("3 sessions"));
}

#[test]
fn help_is_there_for_each_subcommand() {
    for sub in ["decode", "lint"] {
        let output = cwmpi(&[sub, "--help"]);
        assert!(output.status.success());
        let text = stdout(&output);
        assert!(text.contains("FILE"), "{text}");
        // `--stats` is for the benchmark and documented in the README only.
        assert!(!text.contains("--stats"), "{text}");
    }
    assert!(stdout(&cwmpi(&["decode", "--help"])).contains("--json"));
}

/// Error findings as the JSON reports them: what `lint`'s exit status must agree with.
fn error_findings(path: &str) -> usize {
    let capture = json(&cwmpi(&["decode", "--json", path]));
    capture["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "error")
        .count()
}

#[test]
fn lint_exit_status_follows_error_findings() {
    let path = baicells();
    let path = path.to_str().unwrap();
    let output = cwmpi(&["lint", path]);
    let expected = i32::from(error_findings(path) > 0);
    assert_eq!(output.status.code(), Some(expected), "{}", stdout(&output));
    let findings = json(&cwmpi(&["decode", "--json", path]))["findings"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(stdout(&output).lines().count(), findings);

    // A session that breaks the protocol: the ACS answers the Inform with a GetParameterValues
    // instead of an InformResponse, and the CPE then leaves it unanswered: an error.
    let dir = tempfile::tempdir().unwrap();
    let transcript = dir.path().join("broken.txt");
    std::fs::write(&transcript, broken_session()).unwrap();
    let transcript = transcript.to_str().unwrap();
    let output = cwmpi(&["lint", transcript]);
    assert!(error_findings(transcript) > 0, "{}", stdout(&output));
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
    for line in stdout(&output).lines() {
        assert!(line.starts_with(&format!("{transcript}:")), "{line}");
    }
}

#[test]
fn other_http_on_an_acs_host_is_listed_and_does_not_fail_lint() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../cwmp-session/tests/vectors/traffic/other-http.pcap");
    let path = path.to_str().unwrap();
    let output = cwmpi(&["lint", path]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let output = cwmpi(&["decode", path]);
    let text = stdout(&output);
    assert!(
        text.contains("other HTTP (not CWMP): 4 exchanges (GET 3, POST 1) to acs.example.net:3000"),
        "{text}"
    );
    assert!(!text.contains("Unknown"), "{text}");
    let capture = json(&cwmpi(&["decode", "--json", path]));
    assert_eq!(capture["import_summary"]["other_http"]["exchanges"], 4);
    assert_eq!(capture["sessions"].as_array().unwrap().len(), 1);
}

#[test]
fn lint_exits_2_on_a_missing_file() {
    let output = cwmpi(&["lint", "/nonexistent/missing.pcap"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("/nonexistent/missing.pcap"));
}

fn envelope(id: &str, body: &str) -> String {
    format!(
        "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\" \
         xmlns:cwmp=\"urn:dslforum-org:cwmp-1-0\"><soap:Header><cwmp:ID \
         soap:mustUnderstand=\"1\">{id}</cwmp:ID></soap:Header><soap:Body>{body}</soap:Body>\
         </soap:Envelope>"
    )
}

fn broken_session() -> String {
    let inform = envelope(
        "1",
        "<cwmp:Inform><DeviceId><Manufacturer>Acme</Manufacturer><OUI>001122</OUI>\
         <ProductClass>Box</ProductClass><SerialNumber>42</SerialNumber></DeviceId>\
         <Event><EventStruct><EventCode>2 PERIODIC</EventCode><CommandKey></CommandKey>\
         </EventStruct></Event><MaxEnvelopes>1</MaxEnvelopes>\
         <CurrentTime>2024-01-01T00:00:00Z</CurrentTime><RetryCount>0</RetryCount>\
         <ParameterList></ParameterList></cwmp:Inform>",
    );
    let gpv = envelope(
        "2",
        "<cwmp:GetParameterValues><ParameterNames><string>Device.DeviceInfo.</string>\
         </ParameterNames></cwmp:GetParameterValues>",
    );
    format!(
        "POST /acs HTTP/1.1\r\nContent-Type: text/xml\r\nContent-Length: {}\r\n\r\n{inform}\
         HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: {}\r\n\r\n{gpv}\
         POST /acs HTTP/1.1\r\nContent-Length: 0\r\n\r\n\
         HTTP/1.1 204 No Content\r\n\r\n",
        inform.len(),
        gpv.len()
    )
}
