//! The committed column registry must be exactly what the generator makes from Xero's spec.
use std::path::PathBuf;
use std::process::Command;

#[test]
fn spec_columns_match_the_openapi_specification() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    // The repository's pinned copy (spec/SOURCE says which commit of Xero's repository).
    let spec = root.join("spec/xero_accounting.yaml");
    assert!(spec.exists(), "Xero's OpenAPI spec not found at {}", spec.display());
    let out = Command::new("python3")
        .arg(root.join("tools/gen_entity_columns.py"))
        .arg(&spec)
        .arg("-")
        .output()
        .expect("python3 runs the generator");
    assert!(out.status.success(), "generator failed: {}", String::from_utf8_lossy(&out.stderr));
    let committed = std::fs::read_to_string(root.join("crates/xero-core/src/entities/spec_columns.rs")).unwrap();
    assert!(
        committed == String::from_utf8_lossy(&out.stdout),
        "spec_columns.rs differs from the generator's output: run tools/gen_entity_columns.py"
    );
}
