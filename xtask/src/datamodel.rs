//! `cargo xtask datamodel --bbf DIR`: the committed data-model index, rebuilt from the Broadband
//! Forum's flattened ("full") data-model XML.
//!
//! The XML is not kept in the repository (7 MB); the index it yields is, under
//! `static/datamodel/`, one `.tsv` per model plus `MANIFEST.tsv` naming the source file, the model
//! and the entry count, so that a rebuild from the same files is byte-identical.

use std::fmt::Write as _;
use std::path::PathBuf;

use crate::steps::Workspace;

/// Rebuilds `static/datamodel/` from the `*-full.xml` files in the `--bbf` directory.
pub fn run(workspace: &Workspace, args: &[String]) -> Result<(), String> {
    let dir = match args {
        [flag, dir] if flag == "--bbf" => PathBuf::from(dir),
        _ => return Err("usage: cargo xtask datamodel --bbf DIR".to_owned()),
    };
    let mut sources: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|p| p.to_string_lossy().ends_with("-full.xml"))
        .collect();
    sources.sort();
    if sources.is_empty() {
        return Err(format!("no *-full.xml in {}", dir.display()));
    }
    let out_dir = workspace.root.join("static/datamodel");
    std::fs::create_dir_all(&out_dir)
        .map_err(|e| format!("cannot create {}: {e}", out_dir.display()))?;
    let mut manifest = String::from("# file\tmodel\tentries\tsource\n");
    for source in sources {
        let xml = std::fs::read_to_string(&source)
            .map_err(|e| format!("cannot read {}: {e}", source.display()))?;
        let (model, index) =
            cwmp_datamodel::build_index(&xml).map_err(|e| format!("{}: {e}", source.display()))?;
        let stem = source
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix("-full.xml"))
            .unwrap_or("model");
        let file = format!("{stem}.tsv");
        std::fs::write(out_dir.join(&file), &index)
            .map_err(|e| format!("cannot write {file}: {e}"))?;
        let entries = index.lines().count();
        let _ = writeln!(
            manifest,
            "{file}\t{model}\t{entries}\t{}",
            source.file_name().and_then(|n| n.to_str()).unwrap_or("")
        );
        println!("{file}: {model}, {entries} entries, {} bytes", index.len());
    }
    std::fs::write(out_dir.join("MANIFEST.tsv"), manifest)
        .map_err(|e| format!("cannot write MANIFEST.tsv: {e}"))?;
    Ok(())
}
