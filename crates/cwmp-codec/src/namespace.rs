//! XML namespaces of SOAP and CWMP, and the protocol versions they stand for.

use serde::Serialize;

/// The SOAP 1.1 envelope namespace, which CWMP uses.
pub const SOAP_ENV: &str = "http://schemas.xmlsoap.org/soap/envelope/";
/// The SOAP 1.1 encoding namespace (`SOAP-ENC:arrayType`).
pub const SOAP_ENC: &str = "http://schemas.xmlsoap.org/soap/encoding/";
/// The SOAP 1.2 envelope namespace: recognised to explain it, not used by CWMP.
pub const SOAP12_ENV: &str = "http://www.w3.org/2003/05/soap-envelope";
/// XML Schema instance (`xsi:type`).
pub const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";
/// XML Schema datatypes (`xsd:string`).
pub const XSD: &str = "http://www.w3.org/2001/XMLSchema";

/// A CWMP protocol version.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum CwmpVersion {
    /// 1.0 (TR-069 Amendment 1).
    #[serde(rename = "1.0")]
    V1_0,
    /// 1.1 (Amendment 2).
    #[serde(rename = "1.1")]
    V1_1,
    /// 1.2 (Amendment 3).
    #[serde(rename = "1.2")]
    V1_2,
    /// 1.3 (Amendment 4).
    #[serde(rename = "1.3")]
    V1_3,
    /// 1.4 (Amendment 5 and 6).
    #[serde(rename = "1.4")]
    V1_4,
}

impl CwmpVersion {
    /// Every version, oldest first.
    pub const ALL: [Self; 5] = [Self::V1_0, Self::V1_1, Self::V1_2, Self::V1_3, Self::V1_4];

    /// `1.0` … `1.4`, as in the `UseCWMPVersion` header.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::V1_0 => "1.0",
            Self::V1_1 => "1.1",
            Self::V1_2 => "1.2",
            Self::V1_3 => "1.3",
            Self::V1_4 => "1.4",
        }
    }

    /// The namespace messages of this version are written in: versions 1.2 to 1.4 all use
    /// `urn:dslforum-org:cwmp-1-2`.
    pub const fn namespace(self) -> CwmpNamespace {
        match self {
            Self::V1_0 => CwmpNamespace::Cwmp1_0,
            Self::V1_1 => CwmpNamespace::Cwmp1_1,
            Self::V1_2 | Self::V1_3 | Self::V1_4 => CwmpNamespace::Cwmp1_2,
        }
    }
}

impl std::fmt::Display for CwmpVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A CWMP namespace URI.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum CwmpNamespace {
    /// `urn:dslforum-org:cwmp-1-0`: protocol 1.0.
    #[serde(rename = "urn:dslforum-org:cwmp-1-0")]
    Cwmp1_0,
    /// `urn:dslforum-org:cwmp-1-1`: protocol 1.1.
    #[serde(rename = "urn:dslforum-org:cwmp-1-1")]
    Cwmp1_1,
    /// `urn:dslforum-org:cwmp-1-2`: protocols 1.2, 1.3 and 1.4.
    #[serde(rename = "urn:dslforum-org:cwmp-1-2")]
    Cwmp1_2,
    /// `urn:dslforum-org:cwmp-1-3`: never published; some stacks send it for 1.3.
    #[serde(rename = "urn:dslforum-org:cwmp-1-3")]
    Cwmp1_3,
    /// `urn:dslforum-org:cwmp-1-4`: never published; some stacks send it for 1.4.
    #[serde(rename = "urn:dslforum-org:cwmp-1-4")]
    Cwmp1_4,
}

impl CwmpNamespace {
    /// Every namespace, official ones first.
    pub const ALL: [Self; 5] = [
        Self::Cwmp1_0,
        Self::Cwmp1_1,
        Self::Cwmp1_2,
        Self::Cwmp1_3,
        Self::Cwmp1_4,
    ];

    /// The namespace URI.
    pub const fn uri(self) -> &'static str {
        match self {
            Self::Cwmp1_0 => "urn:dslforum-org:cwmp-1-0",
            Self::Cwmp1_1 => "urn:dslforum-org:cwmp-1-1",
            Self::Cwmp1_2 => "urn:dslforum-org:cwmp-1-2",
            Self::Cwmp1_3 => "urn:dslforum-org:cwmp-1-3",
            Self::Cwmp1_4 => "urn:dslforum-org:cwmp-1-4",
        }
    }

    /// The namespace for a URI, if it is a CWMP one.
    pub fn from_uri(uri: &[u8]) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|namespace| namespace.uri().as_bytes() == uri)
    }

    /// Whether the Broadband Forum published this namespace in a schema.
    pub const fn is_official(self) -> bool {
        matches!(self, Self::Cwmp1_0 | Self::Cwmp1_1 | Self::Cwmp1_2)
    }

    /// The oldest protocol version this namespace can carry.
    pub const fn min_version(self) -> CwmpVersion {
        match self {
            Self::Cwmp1_0 => CwmpVersion::V1_0,
            Self::Cwmp1_1 => CwmpVersion::V1_1,
            Self::Cwmp1_2 => CwmpVersion::V1_2,
            Self::Cwmp1_3 => CwmpVersion::V1_3,
            Self::Cwmp1_4 => CwmpVersion::V1_4,
        }
    }

    /// The newest protocol version this namespace can carry (`cwmp-1-2` carries 1.2 to 1.4).
    pub const fn max_version(self) -> CwmpVersion {
        match self {
            Self::Cwmp1_0 => CwmpVersion::V1_0,
            Self::Cwmp1_1 => CwmpVersion::V1_1,
            Self::Cwmp1_2 | Self::Cwmp1_4 => CwmpVersion::V1_4,
            Self::Cwmp1_3 => CwmpVersion::V1_3,
        }
    }
}

impl std::fmt::Display for CwmpNamespace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.uri())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn namespace_to_version() {
        assert_eq!(
            CwmpNamespace::from_uri(b"urn:dslforum-org:cwmp-1-0").map(CwmpNamespace::max_version),
            Some(CwmpVersion::V1_0)
        );
        let v12 = CwmpNamespace::from_uri(b"urn:dslforum-org:cwmp-1-2").unwrap();
        assert_eq!(
            (v12.min_version(), v12.max_version()),
            (CwmpVersion::V1_2, CwmpVersion::V1_4)
        );
        assert!(!CwmpNamespace::Cwmp1_4.is_official());
        assert_eq!(CwmpNamespace::from_uri(b"urn:dslforum-org:cwmp-2-0"), None);
        for version in CwmpVersion::ALL {
            assert!(version.namespace().is_official());
        }
    }
}
