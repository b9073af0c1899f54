//! Idempotent installation of the tools the build and the tests need.
//!
//! Each `ensure_*` first asks the tool for its version and installs only when it is missing or
//! different, so a warm run costs a few process spawns.

use std::path::Path;
use std::process::Command;

use crate::steps::{Workspace, run};

/// Trunk 0.22 needs a newer rustc than this machine's 1.95; 0.21.14 is the newest that builds.
const TRUNK_VERSION: &str = "0.21.14";
const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// The first line a command prints for `args`, or `None` when it cannot be run.
fn version_of(program: &str, args: &[&str]) -> Option<String> {
    let output = Command::new(program).args(args).output().ok()?;
    output.status.success().then(|| {
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .next()
            .unwrap_or_default()
            .trim()
            .to_owned()
    })
}

/// The wasm32 standard library, through rustup.
pub fn ensure_wasm_target() -> Result<(), String> {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map_err(|error| format!("cannot run rustup: {error}"))?;
    if String::from_utf8_lossy(&installed.stdout)
        .lines()
        .any(|target| target.trim() == WASM_TARGET)
    {
        return Ok(());
    }
    run(Command::new("rustup").args(["target", "add", WASM_TARGET]))
}

/// trunk, pinned: it builds the app and runs wasm-bindgen and wasm-opt.
pub fn ensure_trunk() -> Result<(), String> {
    if version_of("trunk", &["--version"]).as_deref() == Some(&format!("trunk {TRUNK_VERSION}")) {
        return Ok(());
    }
    // Thin LTO and more codegen units cut the install from about 7.5 to about 5.5 minutes on
    // two cores; trunk's speed is irrelevant next to the builds it drives.
    run(Command::new("cargo")
        .args(["install", "--locked", "trunk", "--version", TRUNK_VERSION])
        .env("CARGO_PROFILE_RELEASE_LTO", "off")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16"))
}

/// wasm-bindgen-cli (which also brings `wasm-bindgen-test-runner`) at exactly the version of the
/// `wasm-bindgen` crate in Cargo.lock: the two must match or trunk and the tests refuse to run.
pub fn ensure_wasm_bindgen(workspace: &Workspace) -> Result<(), String> {
    let version = locked_version(&workspace.root.join("Cargo.lock"), "wasm-bindgen")?;
    let wanted = format!("wasm-bindgen {version}");
    let runner_wanted = format!("wasm-bindgen-test-runner {version}");
    if version_of("wasm-bindgen", &["--version"]).as_deref() == Some(&wanted)
        && version_of("wasm-bindgen-test-runner", &["--version"]).as_deref() == Some(&runner_wanted)
    {
        return Ok(());
    }
    // Not `--locked`: the CLI's own lockfile pins a webpki-roots release this registry lacks.
    run(Command::new("cargo").args(["install", "wasm-bindgen-cli", "--version", &version]))
}

/// The npm packages in package-lock.json: binaryen's wasm-opt and playwright-core.
pub fn ensure_node_modules(workspace: &Workspace) -> Result<(), String> {
    let lock = workspace.root.join("package-lock.json");
    let installed_lock = workspace.root.join("node_modules/.package-lock.json");
    let up_to_date = modified(&installed_lock)
        .zip(modified(&lock))
        .is_some_and(|(installed, wanted)| installed >= wanted)
        && workspace.root.join("node_modules/.bin/wasm-opt").exists()
        && workspace.root.join("node_modules/playwright-core").is_dir();
    if up_to_date {
        return Ok(());
    }
    run(Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(&workspace.root))
}

/// Debian's Chromium and `ChromeDriver`, for the wasm tests and the end-to-end tests.
pub fn ensure_chromium() -> Result<(), String> {
    if version_of("chromedriver", &["--version"]).is_some() && Path::new(CHROMIUM).exists() {
        return Ok(());
    }
    apt_install(&["chromium", "chromium-driver"])
}

/// xmllint (Debian's `libxml2-utils`): the codec's tests validate encoded messages against the
/// CWMP schemas with it.
pub fn ensure_xmllint() -> Result<(), String> {
    // `--version` prints to stderr, so success alone says it is there.
    if version_of("xmllint", &["--version"]).is_some() {
        return Ok(());
    }
    apt_install(&["libxml2-utils"])
}

/// tshark (Debian's `tshark`): cwmp-capture's oracle tests compare their HTTP exchanges with
/// Wireshark's, and `cargo xtask bench` times it against our pipeline. Its debconf question
/// (may non-root users capture?) is answered by the noninteractive frontend `apt_install` uses.
pub fn ensure_tshark() -> Result<(), String> {
    if version_of("tshark", &["--version"]).is_some() {
        return Ok(());
    }
    apt_install(&["tshark"])
}

/// Installs Debian packages as root, or says what to install when not root.
fn apt_install(packages: &[&str]) -> Result<(), String> {
    let is_root = version_of("id", &["-u"]).as_deref() == Some("0");
    if !is_root {
        return Err(format!(
            "{} missing; install (Debian: `sudo apt-get install {}`) and run again",
            packages.join(" and "),
            packages.join(" ")
        ));
    }
    run(Command::new("apt-get").args(["update", "-q"]))?;
    run(Command::new("apt-get")
        .args(["install", "-y", "-q"])
        .args(packages)
        .env("DEBIAN_FRONTEND", "noninteractive"))
}

/// Whether rustup has a nightly toolchain, which cargo-fuzz needs for its sanitizer flags.
pub fn has_nightly() -> bool {
    Command::new("rustup")
        .args(["toolchain", "list"])
        .output()
        .is_ok_and(|output| {
            String::from_utf8_lossy(&output.stdout)
                .lines()
                .any(|toolchain| toolchain.starts_with("nightly"))
        })
}

/// cargo-fuzz, whichever version is current: it only drives libFuzzer, so any recent one works.
pub fn ensure_cargo_fuzz() -> Result<(), String> {
    if version_of("cargo", &["fuzz", "--version"]).is_some() {
        return Ok(());
    }
    run(Command::new("cargo").args(["install", "cargo-fuzz", "--locked"])).or_else(|error| {
        // Its lockfile can pin a release this registry lacks (as wasm-bindgen-cli's does).
        println!("{error}; retrying without --locked");
        run(Command::new("cargo").args(["install", "cargo-fuzz"]))
    })
}

/// Where Debian installs Chromium; the end-to-end tests launch it from there.
pub const CHROMIUM: &str = "/usr/bin/chromium";

fn modified(path: &Path) -> Option<std::time::SystemTime> {
    std::fs::metadata(path).ok()?.modified().ok()
}

/// The version of `package` recorded in a Cargo.lock.
fn locked_version(lockfile: &Path, package: &str) -> Result<String, String> {
    let text = std::fs::read_to_string(lockfile)
        .map_err(|error| format!("cannot read {}: {error}", lockfile.display()))?;
    let name_line = format!("name = \"{package}\"");
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if line == name_line
            && let Some(version) = lines
                .next()
                .and_then(|next| next.strip_prefix("version = \""))
                .and_then(|rest| rest.strip_suffix('"'))
        {
            return Ok(version.to_owned());
        }
    }
    Err(format!(
        "{package} is not in {}; run `cargo generate-lockfile`",
        lockfile.display()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_locked_version() {
        let dir = std::env::temp_dir().join(format!("xtask-lock-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let lock = dir.join("Cargo.lock");
        std::fs::write(
            &lock,
            "[[package]]\nname = \"wasm-bindgen-futures\"\nversion = \"0.4.1\"\n\n\
             [[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.130\"\n",
        )
        .unwrap();
        assert_eq!(locked_version(&lock, "wasm-bindgen").unwrap(), "0.2.130");
        assert!(
            locked_version(&lock, "yew")
                .unwrap_err()
                .contains("yew is not in")
        );
        std::fs::remove_dir_all(dir).unwrap();
    }
}
