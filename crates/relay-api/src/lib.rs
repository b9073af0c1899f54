//! The messages the browser app and the native `cwmpi` server exchange, as serde types.
//!
//! Both sides depend on this crate, so a change of wire format is a compile error on both sides
//! rather than a silent mismatch at run time.

use serde::{Deserialize, Serialize};

/// The answer of `GET /healthz`: the server is up and says which build it is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    /// Always [`HealthStatus::Ok`] when the server answers at all.
    pub status: HealthStatus,
    /// Name of the serving program, `cwmpi`.
    pub name: String,
    /// Version of the serving program.
    pub version: String,
}

/// The state reported by [`Health`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HealthStatus {
    /// Serving requests.
    Ok,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn health_wire_format_is_stable() {
        let health = Health {
            status: HealthStatus::Ok,
            name: "cwmpi".into(),
            version: "1.2.3".into(),
        };
        let json = serde_json::to_string(&health).unwrap();
        assert_eq!(json, r#"{"status":"ok","name":"cwmpi","version":"1.2.3"}"#);
        assert_eq!(serde_json::from_str::<Health>(&json).unwrap(), health);
    }
}
