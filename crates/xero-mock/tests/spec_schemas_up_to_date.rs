//! The committed schema registry must be exactly what the generator makes from Xero's spec.
use std::path::PathBuf;
use std::process::Command;

#[test]
fn spec_schemas_match_the_openapi_specification() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    // The repository's pinned copy (spec/SOURCE says which commit of Xero's repository).
    let spec = root.join("spec/xero_accounting.yaml");
    assert!(
        spec.exists(),
        "Xero's OpenAPI spec not found at {}",
        spec.display()
    );
    let out = Command::new("python3")
        .arg(root.join("tools/gen_mock_schemas.py"))
        .arg(&spec)
        .arg("-")
        .output()
        .expect("python3 runs the generator");
    assert!(
        out.status.success(),
        "generator failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let committed =
        std::fs::read_to_string(root.join("crates/xero-mock/src/spec_schemas.rs")).unwrap();
    assert!(
        committed == String::from_utf8_lossy(&out.stdout),
        "spec_schemas.rs differs from the generator's output: run tools/gen_mock_schemas.py"
    );
}
