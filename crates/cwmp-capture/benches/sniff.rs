//! Format recognition on real inputs. It runs on every paste and drop, before anything else, so it
//! must cost nanoseconds whatever the input's size.

use divan::black_box;

fn main() {
    divan::main();
}

const PCAP: &[u8] = include_bytes!("../tests/vectors/magma_baicells_qrtb_enodebd_tr069.pcap");
const INFORM: &[u8] = include_bytes!("../../cwmp-codec/tests/vectors/soap/jdalberg_inform_1.xml");
const HTTP: &[u8] = b"\r\n\r\nPOST /acs HTTP/1.1\r\nHost: acs.example\r\nContent-Length: 0\r\n\r\n";

#[divan::bench]
fn sniff_pcap() -> cwmp_capture::InputFormat {
    cwmp_capture::sniff(black_box(PCAP))
}

#[divan::bench]
fn sniff_soap() -> cwmp_capture::InputFormat {
    cwmp_capture::sniff(black_box(INFORM))
}

#[divan::bench]
fn sniff_http_text() -> cwmp_capture::InputFormat {
    cwmp_capture::sniff(black_box(HTTP))
}
