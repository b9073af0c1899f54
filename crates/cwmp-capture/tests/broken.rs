//! Broken inputs: partial results and precise errors, never a panic.
// Lengths in these tests are small and known.
#![allow(clippy::cast_possible_truncation)]

mod common;

use common::{Ng, ipv4_tcp};
use cwmp_capture::{CaptureError, decode_capture, read_frames};
use proptest::prelude::*;

const BAICELLS: &[u8] = include_bytes!("vectors/magma_baicells_qrtb_enodebd_tr069.pcap");

/// Offsets of the record headers of the real capture: 24, then after each record.
fn record_starts() -> Vec<usize> {
    let f = read_frames(BAICELLS);
    let mut v: Vec<usize> = f.frames.iter().map(|fr| fr.span.start - 16).collect();
    v.push(BAICELLS.len());
    v
}

#[test]
fn real_capture_cut_at_every_percent() {
    let starts = record_starts();
    for pct in 0..100 {
        let len = BAICELLS.len() * pct / 100;
        let cut = &BAICELLS[..len];
        let d = decode_capture(cut);
        // Frames wholly inside the cut are all returned.
        let complete = starts.windows(2).filter(|w| w[1] <= len).count();
        assert_eq!(d.frames.frames.len(), complete, "cut at {pct}%");
        assert_eq!(d.summary.frames, complete as u64);
        match d.error() {
            _ if len < 24 => assert!(
                matches!(d.error(), Some(CaptureError::HeaderCut { .. })),
                "{pct}%: {:?}",
                d.error()
            ),
            Some(CaptureError::Cut {
                frame,
                offset,
                len: l,
            }) => {
                assert_eq!(*frame, complete as u64 + 1);
                assert_eq!(*offset, starts[complete]);
                assert_eq!(*l, len);
            }
            None => assert!(starts.contains(&len), "{pct}%"),
            other => panic!("cut at {pct}%: {other:?}"),
        }
    }
}

#[test]
fn pcapng_cut_everywhere() {
    let p = ipv4_tcp([1, 2, 3, 4], [5, 6, 7, 8], 1, 2, 3, b"hello");
    let mut ng = Ng::new();
    let mut ends = Vec::new();
    ng.shb(false);
    ends.push(ng.w.buf.len());
    ng.idb(101, 0, None);
    ends.push(ng.w.buf.len());
    ng.epb(0, 1, 45, &p);
    ends.push(ng.w.buf.len());
    ng.epb(0, 2, 45, &p);
    let file = ng.finish();
    for len in 0..file.len() {
        let f = read_frames(&file[..len]);
        // Only a cut between blocks leaves a valid (shorter) file.
        assert_eq!(
            f.error.is_none(),
            ends.contains(&len),
            "len {len}: {:?}",
            f.error
        );
        assert_eq!(f.frames.len(), usize::from(len >= ends[2]));
        if let Some(CaptureError::Cut { frame, offset, .. }) = f.error {
            assert_eq!(frame, f.frames.len() as u64 + 1);
            assert!(ends.contains(&offset));
        }
    }
    assert_eq!(read_frames(&file).frames.len(), 2);
}

#[test]
fn wrong_magic() {
    let mut bad = BAICELLS.to_vec();
    bad[0] = 0;
    let f = read_frames(&bad);
    assert_eq!(f.error, Some(CaptureError::BadMagic));
    assert_eq!(f.container, None);
    assert!(f.frames.is_empty());
    assert_eq!(
        read_frames(b"<soap:Envelope/>").error,
        Some(CaptureError::BadMagic)
    );
    assert_eq!(
        read_frames(b"").error,
        Some(CaptureError::HeaderCut { len: 0 })
    );
}

#[test]
fn absurd_pcap_record_length() {
    let starts = record_starts();
    let mut bad = BAICELLS.to_vec();
    // Frame 5's captured length becomes 0x7fff_ffff.
    let at = starts[4] + 8;
    bad[at..at + 4].copy_from_slice(&0x7fff_ffffu32.to_le_bytes());
    let f = read_frames(&bad);
    assert_eq!(f.frames.len(), 4);
    assert_eq!(
        f.error,
        Some(CaptureError::AbsurdLength {
            frame: 5,
            offset: starts[4],
            length: 0x7fff_ffff
        })
    );
}

#[test]
fn absurd_pcapng_block_lengths() {
    let p = ipv4_tcp([1, 2, 3, 4], [5, 6, 7, 8], 1, 2, 3, b"hello");
    let mut ng = Ng::new();
    ng.shb(false).idb(101, 0, None).epb(0, 1, 45, &p);
    let good_len = ng.w.buf.len();
    ng.epb(0, 2, 45, &p);
    for bogus in [0u32, 7, 13, 0xffff_fff0] {
        let mut file = ng.finish();
        file[good_len + 4..good_len + 8].copy_from_slice(&bogus.to_le_bytes());
        let f = read_frames(&file);
        assert_eq!(f.frames.len(), 1);
        assert_eq!(
            f.error,
            Some(CaptureError::AbsurdLength {
                frame: 2,
                offset: good_len,
                length: u64::from(bogus)
            }),
            "{bogus}"
        );
    }
}

#[test]
fn mutated_real_capture_never_panics() {
    // Deterministic byte flips over the whole file.
    let mut state = 0x2545_f491_4f6c_dd1du64;
    for _ in 0..2000 {
        let mut m = BAICELLS.to_vec();
        for _ in 0..4 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let at = (state % m.len() as u64) as usize;
            m[at] = (state >> 32) as u8;
        }
        let d = decode_capture(&m);
        assert!(d.summary.frames <= 170 + 1000);
    }
}

proptest! {
    #[test]
    fn random_bytes_never_panic(mut bytes in proptest::collection::vec(any::<u8>(), 0..600), kind in 0u8..4) {
        // Give the random bytes a valid magic some of the time, so the parsers get exercised.
        let magic: &[u8] = match kind {
            0 => &[0xd4, 0xc3, 0xb2, 0xa1],
            1 => &[0xa1, 0xb2, 0x3c, 0x4d],
            2 => &[0x0a, 0x0d, 0x0d, 0x0a],
            _ => &[],
        };
        if bytes.len() >= magic.len() {
            bytes[..magic.len()].copy_from_slice(magic);
        }
        let _ = decode_capture(&bytes);
    }

    #[test]
    fn random_frames_in_valid_pcap_never_panic(frames in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..120), 0..8), link in prop_oneof![Just(0u32), Just(1), Just(12), Just(101), Just(108), Just(113), Just(276)]) {
        let recs: Vec<common::Rec> = frames.iter().map(|f| common::Rec { sec: 0, sub: 0, orig: f.len() as u32, data: f }).collect();
        let file = common::pcap(false, false, link, 65535, &recs);
        let d = decode_capture(&file);
        prop_assert_eq!(d.summary.frames, frames.len() as u64);
        prop_assert_eq!(d.error(), None);
    }
}
