//! IPv4 fragment reassembly.
//!
//! Fragments are grouped by (source, destination, protocol, identification) and may arrive in
//! any order. Overlaps are resolved with a **first wins** policy: bytes already received are
//! never overwritten by a later fragment. Memory is bounded by [`FragmentLimits`]; a fragment
//! that would exceed them is dropped and reported, never silently.

use std::collections::HashMap;
use std::net::Ipv4Addr;

/// Largest IPv4 payload a reassembled datagram may have (65535 − 20-byte minimal header).
const MAX_DATAGRAM: usize = 65_515;

/// Bounds on the memory fragment reassembly may use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FragmentLimits {
    /// Datagrams being reassembled at the same time.
    pub max_datagrams: usize,
    /// Bytes buffered across all datagrams being reassembled.
    pub max_buffered_bytes: usize,
}

impl Default for FragmentLimits {
    fn default() -> Self {
        Self {
            max_datagrams: 1024,
            max_buffered_bytes: 16 * 1024 * 1024,
        }
    }
}

/// Why a fragment was dropped.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FragmentError {
    /// Too many datagrams were being reassembled at once.
    #[error("frame {frame}: fragment dropped, {limit} datagrams already being reassembled")]
    TooManyDatagrams {
        /// Frame of the dropped fragment.
        frame: u64,
        /// The limit in force.
        limit: usize,
    },
    /// Too many bytes were buffered.
    #[error("frame {frame}: fragment dropped, {limit} bytes of fragments already buffered")]
    TooManyBytes {
        /// Frame of the dropped fragment.
        frame: u64,
        /// The limit in force.
        limit: usize,
    },
    /// The fragment ends beyond the largest possible IPv4 datagram.
    #[error("frame {frame}: fragment ends at byte {end}, beyond the largest IPv4 datagram")]
    TooLarge {
        /// Frame of the dropped fragment.
        frame: u64,
        /// Where the fragment ends in the datagram's payload.
        end: usize,
    },
    /// The fragment contradicts the datagram's length given by its last fragment.
    #[error(
        "frame {frame}: fragment contradicts the datagram length {total} set by its last fragment"
    )]
    Inconsistent {
        /// Frame of the dropped fragment.
        frame: u64,
        /// Payload length announced by the last fragment.
        total: usize,
    },
}

/// A datagram rebuilt from its fragments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reassembled {
    /// The IP payload (transport header and data).
    pub payload: Vec<u8>,
    /// Numbers of the frames that contributed, in arrival order.
    pub frames: Vec<u64>,
}

/// One IPv4 fragment, as read from a frame.
#[derive(Clone, Copy, Debug)]
pub struct Fragment<'a> {
    /// Frame the fragment was in.
    pub frame: u64,
    /// Source address.
    pub src: Ipv4Addr,
    /// Destination address.
    pub dst: Ipv4Addr,
    /// IP protocol number.
    pub protocol: u8,
    /// IP identification.
    pub id: u16,
    /// Offset of this fragment in the datagram's payload, in bytes.
    pub offset: usize,
    /// More-fragments flag.
    pub more: bool,
    /// The fragment's payload bytes.
    pub data: &'a [u8],
}

#[derive(Default)]
struct Pending {
    data: Vec<u8>,
    covered: Vec<bool>,
    total: Option<usize>,
    frames: Vec<u64>,
}

type Key = (Ipv4Addr, Ipv4Addr, u8, u16);

/// Reassembles IPv4 datagrams from fragments fed in capture order.
#[derive(Default)]
pub struct Defragmenter {
    limits: FragmentLimits,
    pending: HashMap<Key, Pending>,
    buffered: usize,
}

impl Defragmenter {
    /// A defragmenter with the given limits.
    pub fn new(limits: FragmentLimits) -> Self {
        Self {
            limits,
            pending: HashMap::new(),
            buffered: 0,
        }
    }

    /// Datagrams still incomplete.
    pub fn incomplete(&self) -> usize {
        self.pending.len()
    }

    /// Adds a fragment; returns the datagram when this fragment completes it.
    ///
    /// # Errors
    ///
    /// When the fragment is dropped because of a limit or an inconsistency.
    pub fn push(&mut self, f: &Fragment<'_>) -> Result<Option<Reassembled>, FragmentError> {
        let key = (f.src, f.dst, f.protocol, f.id);
        let end = f.offset.saturating_add(f.data.len());
        if end > MAX_DATAGRAM {
            return Err(FragmentError::TooLarge {
                frame: f.frame,
                end,
            });
        }
        if !self.pending.contains_key(&key) && self.pending.len() >= self.limits.max_datagrams {
            return Err(FragmentError::TooManyDatagrams {
                frame: f.frame,
                limit: self.limits.max_datagrams,
            });
        }
        let p = self.pending.entry(key).or_default();
        let total = match (p.total, f.more) {
            (Some(t), _) if end > t || (!f.more && end != t) => {
                return Err(FragmentError::Inconsistent {
                    frame: f.frame,
                    total: t,
                });
            }
            (None, false) if p.data.len() > end => {
                return Err(FragmentError::Inconsistent {
                    frame: f.frame,
                    total: end,
                });
            }
            (t, more) => t.or(if more { None } else { Some(end) }),
        };
        let grow = end.saturating_sub(p.data.len());
        if self.buffered + grow > self.limits.max_buffered_bytes {
            if p.frames.is_empty() {
                self.pending.remove(&key);
            }
            return Err(FragmentError::TooManyBytes {
                frame: f.frame,
                limit: self.limits.max_buffered_bytes,
            });
        }
        p.total = total;
        if grow > 0 {
            p.data.resize(end, 0);
            p.covered.resize(end, false);
            self.buffered += grow;
        }
        // First wins: only fill bytes no earlier fragment has provided.
        for (i, &b) in f.data.iter().enumerate() {
            let at = f.offset + i;
            if !p.covered[at] {
                p.covered[at] = true;
                p.data[at] = b;
            }
        }
        p.frames.push(f.frame);
        let done = p
            .total
            .is_some_and(|t| p.covered.len() == t && p.covered.iter().all(|&c| c));
        if done {
            let p = self.pending.remove(&key).unwrap_or_default();
            self.buffered -= p.data.len();
            return Ok(Some(Reassembled {
                payload: p.data,
                frames: p.frames,
            }));
        }
        Ok(None)
    }
}
